import { composeMail as compose, type MailContent as Content } from '@app/platform';

export function verificationMail(p: { tenantName: string; username: string; link: string }): Content {
  return compose(
    `Verify your email address for ${p.tenantName}`,
    [
      `Hello ${p.username},`,
      `please confirm that this is your email address by opening the link below. It works once, within 24 hours.`,
      `If you did not create an account at ${p.tenantName}, ignore this mail.`,
    ],
    { href: p.link, label: 'Verify my email address' },
  );
}

export function passwordResetMail(p: { tenantName: string; username: string; link: string }): Content {
  return compose(
    `Reset your ${p.tenantName} password`,
    [
      `Hello ${p.username},`,
      `someone (hopefully you) asked to reset your password. Open the link below to choose a new one. It works once, within 30 minutes.`,
      `If you did not ask for this, ignore this mail: your password stays as it is.`,
    ],
    { href: p.link, label: 'Choose a new password' },
  );
}

/** Sent to the owner of an address someone tried to register again (the registrant is not told). */
export function registrationAttemptMail(p: { tenantName: string; username: string; forgotLink: string }): Content {
  return compose(
    `Sign-up attempt with your address at ${p.tenantName}`,
    [
      `Hello ${p.username},`,
      `someone tried to create a new account at ${p.tenantName} with this email address, which already belongs to your account. No new account was created.`,
      `If that was you: sign in with your existing account, or reset your password with the link below. Otherwise you can ignore this mail.`,
    ],
    { href: p.forgotLink, label: 'Reset my password' },
  );
}
