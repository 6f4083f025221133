import { AuditService } from '@app/audit';
import { PasswordsService, UsersService } from '@app/identity';
import { PasskeysService } from '@app/passkeys';
import { Metrics, SHARED_STATE, type SharedState } from '@app/platform';
import type { InteractionResults, TenantRuntime } from '@app/protocol';
import { SessionsService, SessionTerminationService } from '@app/sessions';
import { effectiveSettings } from '@app/tenancy';
import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { InteractionPages } from '../interaction/interaction-pages.js';
import {
  ACR_FEDERATED,
  ACR_MFA,
  ACR_PASSWORD,
  type AfterAuthentication,
  AUTHENTICATED,
  type Authenticated,
  type Details,
  type FirstFactor,
  type Login,
  PENDING_MFA,
} from '../interaction/interaction-state.js';
import { passkeyOfferDeclined } from '../interaction/passkey-offer-cookie.js';
import { SecondFactorPages } from '../interaction/second-factor-pages.js';
import { SecondFactors } from '../interaction/second-factors.js';

/** What every way of proving who one is ends in: a second factor next, the steps after it, then the login. */
@Injectable()
export class SignInCompletion {
  constructor(
    private readonly pages: InteractionPages,
    private readonly factorPages: SecondFactorPages,
    private readonly factors: SecondFactors,
    private readonly passkeys: PasskeysService,
    private readonly users: UsersService,
    private readonly passwords: PasswordsService,
    private readonly audit: AuditService,
    private readonly sessions: SessionsService,
    private readonly termination: SessionTerminationService,
    private readonly metrics: Metrics,
    @Inject(SHARED_STATE) private readonly store: SharedState,
  ) {}

  /** The password is proven (sign-in or a new account): a second factor next, or done. */
  passwordStepDone(
    req: Request,
    res: Response,
    runtime: TenantRuntime,
    details: Details,
    user: { id: string; username: string; email?: string | null; emailVerified?: boolean },
  ): Promise<void> {
    return this.firstFactorDone(req, res, runtime, details, user, 'pwd');
  }

  /**
   * The first factor is proven — the password, or an upstream provider (`fed`): a second
   * factor next when the user has one or the tenant (or the client) requires it, or done.
   */
  async firstFactorDone(
    req: Request,
    res: Response,
    runtime: TenantRuntime,
    details: Details,
    user: { id: string; username: string; email?: string | null; emailVerified?: boolean },
    firstFactor: FirstFactor,
  ): Promise<void> {
    const tenantId = runtime.tenant.id;
    const factors = await this.factors.of(tenantId, user);
    if (SecondFactors.any(factors)) {
      // The password step is done; remember it in the interaction (server-side, bound to its cookie).
      await runtime.provider.interactionResult(
        req,
        res,
        { [PENDING_MFA]: { accountId: user.id, firstFactor } },
        { mergeWithLastSubmission: false },
      );
      // Codes by email as the first factor: the code goes out at once, the form waits for it.
      if (!factors.totp && factors.email) return this.factorPages.sendEmailCode(res, runtime, details, user, false);
      return this.factorPages.sendMfa(res, runtime, details, user.id);
    }
    const requested = String(details.params.acr_values ?? '').split(' ');
    if (effectiveSettings(runtime.tenant.settings).mfaRequired || requested.includes(ACR_MFA)) {
      await runtime.provider.interactionResult(
        req,
        res,
        { [PENDING_MFA]: { accountId: user.id, enroll: true, firstFactor } },
        { mergeWithLastSubmission: false },
      );
      return this.factorPages.sendEnrollment(res, runtime, details, user);
    }
    await this.authenticated(req, res, runtime, details, {
      accountId: user.id,
      amr: [firstFactor],
      acr: firstFactor === 'fed' ? ACR_FEDERATED : ACR_PASSWORD,
    });
  }

  /**
   * Every factor is proven. Before the login is handed over: a new password when the one
   * just used is older than the tenant allows (only now, after the second factor — a
   * password alone must not be enough to replace it); then the passkey offer, when the
   * tenant makes it and this user and device have neither a passkey nor said no.
   */
  async authenticated(
    req: Request,
    res: Response,
    runtime: TenantRuntime,
    details: Details,
    login: Login,
    done: AfterAuthentication = {},
  ): Promise<void> {
    if (!done.passwordChanged && login.amr.includes('pwd') && (await this.passwordExpired(runtime, login))) {
      await this.remember(req, res, runtime, { login, done, step: 'password-change' });
      return this.factorPages.sendPasswordChange(res, runtime, details);
    }
    if (!done.passkeyOffered && (await this.offersPasskey(req, runtime, login))) {
      await this.remember(req, res, runtime, { login, done, step: 'passkey-offer' });
      return this.factorPages.sendPasskeyOffer(res, runtime, details);
    }
    await this.completeLogin(req, res, runtime, details, login);
  }

  private async passwordExpired(runtime: TenantRuntime, login: Login): Promise<boolean> {
    const policy = effectiveSettings(runtime.tenant.settings).passwordPolicy;
    if (policy.maxAgeDays <= 0) return false;
    const user = await this.users.find(runtime.tenant.id, login.accountId);
    return !!user && this.passwords.expired(user, policy);
  }

  private async offersPasskey(req: Request, runtime: TenantRuntime, login: Login): Promise<boolean> {
    if (!effectiveSettings(runtime.tenant.settings).offerPasskeys || !this.pages.passkeysAvailable) return false;
    if (login.amr.some((method) => method === 'hwk' || method === 'swk')) return false;
    if (passkeyOfferDeclined(req)) return false;
    return (await this.passkeys.count(runtime.tenant.id, login.accountId)) === 0;
  }

  /** Kept server-side in the interaction: the login waits there until the step's page is answered. */
  private async remember(req: Request, res: Response, runtime: TenantRuntime, state: Authenticated): Promise<void> {
    await runtime.provider.interactionResult(req, res, { [AUTHENTICATED]: state }, { mergeWithLastSubmission: false });
  }

  /**
   * The user is authenticated: enforce the tenant's concurrent-session limit (end the oldest
   * sessions, or refuse), record the sign-in, and hand the result to oidc-provider.
   */
  async completeLogin(req: Request, res: Response, runtime: TenantRuntime, details: Details, login: Login) {
    const tenantId = runtime.tenant.id;
    const who = {
      actor: { type: 'user' as const, id: login.accountId },
      subject: login.accountId,
      clientId: String(details.params.client_id),
      ip: req.ip,
      userAgent: req.get('user-agent'),
    };
    const policy = effectiveSettings(runtime.tenant.settings).sessions;
    // Signing in again in a browser that already holds this user's session opens no new one.
    const reusesSession = details.session?.accountId === login.accountId;
    if (policy.maxPerUser > 0 && !reusesSession) {
      // Oldest sign-in first; sign-ins within the same second by when they were last used.
      const active = (await this.sessions.listForAccount(tenantId, login.accountId)).sort(
        (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.lastSeenAt.getTime() - b.lastSeenAt.getTime(),
      );
      const excess = active.length - policy.maxPerUser + 1;
      if (excess > 0 && policy.whenLimitReached === 'refuse') {
        await this.audit.recordQuietly(tenantId, {
          type: 'login.failure',
          outcome: 'failure',
          ...who,
          data: { reason: 'session_limit', activeSessions: active.length },
        });
        this.metrics.logins.inc({ outcome: 'refused' });
        return this.pages.sendError(
          res,
          403,
          'You are signed in on too many devices. Sign out on one of them (or from your account page) and try again.',
        );
      }
      for (const oldest of active.slice(0, Math.max(0, excess))) {
        await this.termination.end(tenantId, login.accountId, oldest.uid);
        await this.audit.recordQuietly(tenantId, {
          type: 'session.ended',
          outcome: 'success',
          ...who,
          data: { sessionId: oldest.uid, reason: 'session_limit' },
        });
      }
    }
    await this.audit.recordQuietly(tenantId, {
      type: 'login.success',
      outcome: 'success',
      ...who,
      data: { amr: login.amr },
    });
    this.metrics.logins.inc({ outcome: 'success' });
    // `lastLoginAt` in the admin API; a failed write must not fail the sign-in itself.
    await this.users.recordLogin(tenantId, login.accountId).catch(() => undefined);
    // Counted per tenant and hour for the stats API (the metric has no tenant label).
    void this.store.tokenStats.recordSignIn(tenantId).catch(() => undefined);
    const result: InteractionResults = { login: { ...login } };
    await runtime.provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  }
}
