import { composeMail, type MailContent } from '@app/platform';

/** Told to the account's verified address: a new passkey is a new way into the account. */
export function passkeyAddedMail(p: { tenantName: string; username: string; passkeyName: string }): MailContent {
  return composeMail(`A passkey was added to your ${p.tenantName} account`, [
    `Hello ${p.username},`,
    `a passkey named "${p.passkeyName}" was just added to your account at ${p.tenantName}. It can sign in to your account without a password.`,
    `If that was not you, sign in, remove the passkey from your account, change your password and contact your administrator.`,
  ]);
}
