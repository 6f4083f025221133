import { AuditService } from '@app/audit';
import {
  type CheckedPassword,
  PasswordsService,
  UserActionTokensService,
  UsersService,
  type UserEntity,
} from '@app/identity';
import {
  ConflictError,
  SHARED_STATE,
  type SharedState,
  FAILURE_RULES,
  MailService,
  ValidationError,
} from '@app/platform';
import { effectiveSettings, type TenantEntity } from '@app/tenancy';
import { Inject, Injectable } from '@nestjs/common';
import { passwordResetMail, registrationAttemptMail, verificationMail } from './mail-templates.js';
import { SessionTerminationService } from '@app/sessions';

/** The tenant a self-service request is for, and where its links point. */
export interface SelfServiceTenant {
  tenant: TenantEntity;
  issuer: string;
}

/** Who is asking (for the audit trail and the per-IP limits). */
export interface Requester {
  ip?: string;
  userAgent?: string;
  clientId?: string;
}

export type Refusal = { status: number; message: string; retryAfterSeconds?: number };

const USERNAME = /^[A-Za-z0-9._@+-]{1,128}$/;
const EMAIL = /^[^\s@<>"]{1,64}@[^\s@<>"]+\.[^\s@<>"]+$/;
export const INVALID_LINK = 'This link is invalid, has expired or was already used. Please request a new one.';
const EMAIL_UNUSABLE =
  'We could not create an account with these details. If you already have an account, sign in or reset your password.';

export function registrationInputProblem(username: string, email: string): string | undefined {
  if (!USERNAME.test(username)) return 'A username is 1-128 letters, digits or . _ @ + -';
  if (email.length > 320 || !EMAIL.test(email)) return 'Please enter a valid email address.';
  return undefined;
}

function tooMany(retryAfterSeconds: number): Refusal {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return {
    status: 429,
    retryAfterSeconds,
    message: `Too many requests. Please try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
  };
}

/**
 * Self-registration, email verification and password reset by mail. Answers never say
 * whether an email address or (for resets) a username is registered; links are single-use
 * tokens that only the mail carries — never the audit trail or a log.
 */
@Injectable()
export class SelfServiceService {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordsService,
    private readonly tokens: UserActionTokensService,
    private readonly mail: MailService,
    private readonly audit: AuditService,
    @Inject(SHARED_STATE) private readonly store: SharedState,
    private readonly termination: SessionTerminationService,
  ) {}

  /** Password reset needs a mail that can arrive (no relay in production = no reset pages). */
  get passwordResetAvailable(): boolean {
    return this.mail.canDeliver;
  }

  async register(
    { tenant, issuer }: SelfServiceTenant,
    input: { username: string; email: string; password: string },
    who: Requester,
  ): Promise<{ user: UserEntity } | Refusal> {
    const username = input.username.trim().toLowerCase();
    const email = input.email.trim().toLowerCase();
    const problem = registrationInputProblem(username, email);
    if (problem) return { status: 400, message: problem };
    const limit = await this.store.failures.reserve(tenant.id, [
      [`register:ip:${who.ip}`, FAILURE_RULES.registrationPerIp],
    ]);
    const audit = { actor: { type: 'anonymous' as const }, subject: username, ...who };
    if (limit.blocked) {
      await this.audit.recordQuietly(tenant.id, {
        type: 'registration.failure',
        outcome: 'failure',
        ...audit,
        data: { reason: 'rate_limited' },
      });
      return tooMany(limit.retryAfterSeconds);
    }
    // Usernames are public handles (shown like Keycloak does); email addresses are not.
    if (await this.users.usernameTaken(tenant.id, username)) return { status: 409, message: 'That username is taken.' };
    const owner = await this.users.findByEmail(tenant.id, email);
    if (owner) {
      await this.audit.recordQuietly(tenant.id, {
        type: 'registration.failure',
        outcome: 'failure',
        ...audit,
        data: { reason: 'email_in_use' },
      });
      // The owner learns of the attempt; the registrant gets the same answer as any refused sign-up.
      this.mail.sendInBackground({
        to: owner.email!,
        ...registrationAttemptMail({
          tenantName: tenant.displayName,
          username: owner.username,
          forgotLink: `${issuer}/password/forgot`,
        }),
      });
      return { status: 400, message: EMAIL_UNUSABLE };
    }
    let user: UserEntity;
    try {
      user = await this.users.create(
        tenant.id,
        { username, email, password: input.password, emailVerified: false },
        effectiveSettings(tenant.settings).passwordPolicy,
      );
    } catch (error) {
      if (error instanceof ValidationError) return { status: 400, message: sentence(error.message) };
      if (error instanceof ConflictError) return { status: 400, message: EMAIL_UNUSABLE };
      throw error;
    }
    await this.audit.recordQuietly(tenant.id, {
      type: 'user.registered',
      outcome: 'success',
      ...audit,
      actor: { type: 'user', id: user.id },
      subject: user.id,
    });
    await this.sendVerification({ tenant, issuer }, user);
    return { user };
  }

  async sendVerification({ tenant, issuer }: SelfServiceTenant, user: UserEntity): Promise<void> {
    if (!user.email) return;
    const token = await this.tokens.issue(tenant.id, { id: user.id, email: user.email }, 'verify_email');
    this.mail.sendInBackground({
      to: user.email,
      ...verificationMail({
        tenantName: tenant.displayName,
        username: user.username,
        link: `${issuer}/email/verify?token=${token}`,
      }),
    });
  }

  async verifyEmail({ tenant }: SelfServiceTenant, token: string, who: Requester): Promise<boolean> {
    const holder = await this.tokens.consume(tenant.id, 'verify_email', token);
    const verified = !!holder && (await this.users.markEmailVerified(tenant.id, holder.userId, holder.email));
    await this.audit.recordQuietly(tenant.id, {
      type: 'email.verified',
      outcome: verified ? 'success' : 'failure',
      actor: holder ? { type: 'user', id: holder.userId } : { type: 'anonymous' },
      subject: holder?.userId,
      ...who,
      ...(verified ? {} : { data: { reason: holder ? 'email_changed' : 'invalid_link' } }),
    });
    return verified;
  }

  /**
   * "Forgot password": the same answer whether or not the login names an account (and the
   * mail leaves in the background, so not even the timing differs much). Every request
   * counts against the IP and the login typed, found or not.
   */
  async requestPasswordReset(
    { tenant, issuer }: SelfServiceTenant,
    login: string,
    who: Requester,
  ): Promise<Refusal | undefined> {
    const typed = login.trim().toLowerCase().slice(0, 320);
    const limit = await this.store.failures.reserve(tenant.id, [
      [`reset:ip:${who.ip}`, FAILURE_RULES.passwordResetPerIp],
      [`reset:account:${typed}`, FAILURE_RULES.passwordResetPerAccount],
    ]);
    if (limit.blocked) {
      await this.audit.recordQuietly(tenant.id, {
        type: 'password.reset_requested',
        outcome: 'failure',
        actor: { type: 'anonymous' },
        subject: typed,
        ...who,
        data: { reason: 'rate_limited' },
      });
      return tooMany(limit.retryAfterSeconds);
    }
    const user = await this.users.findByLogin(tenant.id, typed);
    const eligible = user && !user.disabled && user.email;
    await this.audit.recordQuietly(tenant.id, {
      type: 'password.reset_requested',
      outcome: eligible ? 'success' : 'failure',
      actor: { type: 'anonymous' },
      subject: user?.id ?? typed,
      ...who,
      ...(eligible ? {} : { data: { reason: user ? 'account_cannot_reset' : 'no_such_account' } }),
    });
    if (!eligible) return undefined;
    const token = await this.tokens.issue(tenant.id, { id: user.id, email: user.email! }, 'reset_password');
    this.mail.sendInBackground({
      to: user.email!,
      ...passwordResetMail({
        tenantName: tenant.displayName,
        username: user.username,
        link: `${issuer}/password/reset?token=${token}`,
      }),
    });
    return undefined;
  }

  /** Whether a reset link still works (to show its form, or say it does not). */
  async resetLinkUsable({ tenant }: SelfServiceTenant, token: string): Promise<boolean> {
    return !!(await this.tokens.peek(tenant.id, 'reset_password', token));
  }

  /**
   * Completes a reset: policy and password history first (a refused choice does not burn the link), then the link is
   * used up, the password replaced, the lockout lifted and every session of the user ended.
   */
  async resetPassword(
    { tenant }: SelfServiceTenant,
    token: string,
    password: string,
    who: Requester,
  ): Promise<Refusal | undefined> {
    const holder = await this.tokens.peek(tenant.id, 'reset_password', token);
    const user = holder ? await this.users.find(tenant.id, holder.userId) : null;
    if (!holder || !user || user.disabled) return { status: 400, message: INVALID_LINK };
    const policy = effectiveSettings(tenant.settings).passwordPolicy;
    let checked: CheckedPassword;
    try {
      checked = await this.passwords.check(tenant.id, user, password, policy);
    } catch (error) {
      if (error instanceof ValidationError) return { status: 400, message: sentence(error.message) };
      throw error;
    }
    if (!(await this.tokens.consume(tenant.id, 'reset_password', token))) return { status: 400, message: INVALID_LINK };
    await this.passwords.apply(tenant.id, user, checked, policy);
    // The mail reached them: that proves the address too.
    await this.users.markEmailVerified(tenant.id, user.id, holder.email);
    await this.store.failures.clear(tenant.id, [`login:account:${user.username}`]);
    const ended = await this.termination.endAll(tenant.id, user.id);
    await this.audit.recordQuietly(tenant.id, {
      type: 'password.reset_completed',
      outcome: 'success',
      actor: { type: 'user', id: user.id },
      subject: user.id,
      ...who,
      data: { sessionsEnded: ended },
    });
    return undefined;
  }
}

function sentence(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1) + '.';
}
