import { UsersService } from '@app/identity';
import { MfaService } from '@app/mfa';
import { AuditService } from '@app/audit';
import { SessionsService, SessionTerminationService } from '@app/sessions';
import {
  APP_CONFIG,
  type AppConfig,
  SHARED_STATE,
  type SharedState,
  FAILURE_RULES,
  type FailureRule,
  MASTER_KEY,
  Metrics,
  Public,
} from '@app/platform';
import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { InteractionResults } from 'oidc-provider';
import {
  renderConsentPage,
  renderErrorPage,
  renderLoginPage,
  renderMfaEnrollPage,
  renderMfaPage,
  renderRecoveryCodesPage,
  renderRegisterPage,
  stylesheetHref,
} from '@app/pages';
import { SelfServiceService } from '../self-service/self-service.service.js';
import { effectiveSettings, lockoutRule } from '@app/tenancy';
import { type TenantRuntime, TenantProviderRegistry } from '@app/protocol';
import { InteractionCsrf } from './interaction-csrf.js';

type Details = Awaited<ReturnType<TenantRuntime['provider']['interactionDetails']>>;

const GENERIC_LOGIN_ERROR = 'Invalid username or password.';
const PENDING_MFA = 'pendingSecondFactor';
const ACR_PASSWORD = 'urn:idp:acr:pwd';
const ACR_MFA = 'urn:idp:acr:mfa';

const ENROLLED = 'enrolledSecondFactor';

function pendingSecondFactor(details: {
  result?: Record<string, unknown>;
}): { accountId: string; enroll: boolean } | undefined {
  const pending = details.result?.[PENDING_MFA] as { accountId?: unknown; enroll?: unknown } | undefined;
  return typeof pending?.accountId === 'string'
    ? { accountId: pending.accountId, enroll: pending.enroll === true }
    : undefined;
}

function field(body: unknown, name: string): string | undefined {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** The login and consent pages oidc-provider sends the browser to (one form per step). */
@ApiExcludeController()
@Public()
@Controller('t/:tenant/interaction/:uid')
export class InteractionsController {
  private readonly csrf: InteractionCsrf;
  private readonly css: string;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(MASTER_KEY) masterKey: Buffer,
    private readonly registry: TenantProviderRegistry,
    private readonly users: UsersService,
    @Inject(SHARED_STATE) private readonly store: SharedState,
    private readonly metrics: Metrics,
    private readonly mfa: MfaService,
    private readonly audit: AuditService,
    private readonly sessions: SessionsService,
    private readonly termination: SessionTerminationService,
    private readonly selfService: SelfServiceService,
  ) {
    this.csrf = new InteractionCsrf(masterKey);
    this.css = stylesheetHref(config.publicUrl);
  }

  @Get()
  async show(@Param('tenant') slug: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.withInteraction(slug, req, res, async (runtime, details) => {
      const pending = details.prompt.name === 'login' ? pendingSecondFactor(details) : undefined;
      if (pending?.enroll)
        return this.sendEnrollment(res, runtime, details, await this.users.get(runtime.tenant.id, pending.accountId));
      if (pending) return this.sendMfa(res, runtime, details);
      if (details.prompt.name === 'login')
        return this.sendLogin(res, runtime, details, await this.clientName(runtime, details));
      if (details.prompt.name === 'consent') {
        const client = await runtime.provider.Client.find(String(details.params.client_id));
        if ((client as unknown as { first_party?: boolean })?.first_party) {
          return this.finishConsent(req, res, runtime, details);
        }
        return this.sendConsent(res, runtime, details, client?.clientName ?? String(details.params.client_id));
      }
      return this.sendError(res, 400, 'This sign-in step is not supported.');
    });
  }

  @Post('login')
  async login(@Param('tenant') slug: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response) {
    await this.withInteraction(slug, req, res, async (runtime, details) => {
      if (!this.csrf.isValid(runtime.tenant.id, details.uid, field(body, 'csrf'))) {
        return this.sendError(res, 403, 'The form expired or was not sent from this site. Please start again.');
      }
      if (details.prompt.name !== 'login') return this.sendError(res, 400, 'This sign-in step is already done.');
      const username = (field(body, 'username') ?? '').slice(0, 320);
      const password = (field(body, 'password') ?? '').slice(0, 1024);
      const tenantId = runtime.tenant.id;
      const accountKey = `login:account:${username.trim().toLowerCase()}`;
      const limits: [string, FailureRule][] = [
        [`login:ip:${req.ip}`, FAILURE_RULES.loginPerIp],
        [accountKey, lockoutRule(runtime.tenant.settings)],
      ];
      // A slot is taken before the (slow) check and given back on success: parallel guesses cannot overshoot.
      const limit = await this.store.failures.reserve(tenantId, limits);
      const who = {
        subject: username.trim().toLowerCase(),
        clientId: String(details.params.client_id),
        ip: req.ip,
        userAgent: req.get('user-agent'),
      };
      if (limit.blocked) {
        await this.audit.recordQuietly(tenantId, {
          type: 'login.failure',
          outcome: 'failure',
          actor: { type: 'anonymous' },
          ...who,
          data: { reason: 'rate_limited' },
        });
        this.metrics.logins.inc({ outcome: 'locked' });
        this.metrics.rateLimited.inc({ kind: 'login' });
        res.set('retry-after', String(limit.retryAfterSeconds));
        const minutes = Math.ceil(limit.retryAfterSeconds / 60);
        const error = `Too many failed attempts. Please try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
        return this.sendLogin(res, runtime, details, await this.clientName(runtime, details), { username, error }, 429);
      }
      const user = username && password ? await this.users.verifyCredentials(tenantId, username, password) : null;
      if (!user) {
        await this.audit.recordQuietly(tenantId, {
          type: 'login.failure',
          outcome: 'failure',
          actor: { type: 'anonymous' },
          ...who,
          data: { reason: 'invalid_credentials' },
        });
        this.metrics.authFailures.inc({ kind: 'password' });
        this.metrics.logins.inc({ outcome: 'failure' });
        if (limit.filled.includes(accountKey)) {
          // This wrong password took the account's last attempt: it is locked from now on.
          const { limit: threshold, windowSeconds } = lockoutRule(runtime.tenant.settings);
          this.metrics.lockouts.inc();
          await this.audit.record(tenantId, {
            type: 'account.locked',
            outcome: 'failure',
            actor: { type: 'anonymous' },
            ...who,
            data: { threshold, durationSeconds: windowSeconds },
          });
        }
        const clientName = await this.clientName(runtime, details);
        return this.sendLogin(res, runtime, details, clientName, { username, error: GENERIC_LOGIN_ERROR }, 401);
      }
      await limit.succeeded();
      await this.passwordStepDone(req, res, runtime, details, user);
    });
  }

  @Get('register')
  async registerForm(@Param('tenant') slug: string, @Req() req: Request, @Res() res: Response) {
    await this.withInteraction(slug, req, res, async (runtime, details) => {
      if (!effectiveSettings(runtime.tenant.settings).selfRegistration) {
        return this.sendError(res, 404, 'This page does not exist.');
      }
      if (details.prompt.name !== 'login') return this.sendError(res, 400, 'This sign-in step is already done.');
      this.sendRegister(res, runtime, details);
    });
  }

  /** Self-registration inside the running sign-in: the new account continues it at once. */
  @Post('register')
  async register(@Param('tenant') slug: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response) {
    await this.withInteraction(slug, req, res, async (runtime, details) => {
      if (!effectiveSettings(runtime.tenant.settings).selfRegistration) {
        return this.sendError(res, 404, 'This page does not exist.');
      }
      if (!this.csrf.isValid(runtime.tenant.id, details.uid, field(body, 'csrf'))) {
        return this.sendError(res, 403, 'The form expired or was not sent from this site. Please start again.');
      }
      if (details.prompt.name !== 'login') return this.sendError(res, 400, 'This sign-in step is already done.');
      const input = {
        username: (field(body, 'username') ?? '').slice(0, 128),
        email: (field(body, 'email') ?? '').slice(0, 320),
        password: (field(body, 'password') ?? '').slice(0, 1024),
      };
      const who = {
        clientId: String(details.params.client_id),
        ip: req.ip,
        userAgent: req.get('user-agent'),
      };
      const outcome = await this.selfService.register(runtime, input, who);
      if (!('user' in outcome)) {
        if (outcome.retryAfterSeconds) res.set('retry-after', String(outcome.retryAfterSeconds));
        return this.sendRegister(res, runtime, details, { ...input, error: outcome.message }, outcome.status);
      }
      await this.passwordStepDone(req, res, runtime, details, outcome.user);
    });
  }

  /** The password is proven (sign-in or a new account): a second factor next, or done. */
  private async passwordStepDone(
    req: Request,
    res: Response,
    runtime: TenantRuntime,
    details: Details,
    user: { id: string; username: string },
  ): Promise<void> {
    const tenantId = runtime.tenant.id;
    if (await this.mfa.isActive(tenantId, user.id)) {
      // The password step is done; remember it in the interaction (server-side, bound to its cookie).
      await runtime.provider.interactionResult(
        req,
        res,
        { [PENDING_MFA]: { accountId: user.id } },
        { mergeWithLastSubmission: false },
      );
      return this.sendMfa(res, runtime, details);
    }
    const requested = String(details.params.acr_values ?? '').split(' ');
    if (effectiveSettings(runtime.tenant.settings).mfaRequired || requested.includes(ACR_MFA)) {
      await runtime.provider.interactionResult(
        req,
        res,
        { [PENDING_MFA]: { accountId: user.id, enroll: true } },
        { mergeWithLastSubmission: false },
      );
      return this.sendEnrollment(res, runtime, details, user);
    }
    await this.completeLogin(req, res, runtime, details, { accountId: user.id, amr: ['pwd'], acr: ACR_PASSWORD });
  }

  @Post('mfa')
  async secondFactor(@Param('tenant') slug: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response) {
    await this.withInteraction(slug, req, res, async (runtime, details) => {
      if (!this.csrf.isValid(runtime.tenant.id, details.uid, field(body, 'csrf'))) {
        return this.sendError(res, 403, 'The form expired or was not sent from this site. Please start again.');
      }
      const pending = pendingSecondFactor(details);
      if (details.prompt.name !== 'login' || !pending)
        return this.sendError(res, 400, 'This sign-in step is not expected.');
      const tenantId = runtime.tenant.id;
      const limitKey = `mfa:account:${pending.accountId}`;
      const limit = await this.store.failures.reserve(tenantId, [[limitKey, FAILURE_RULES.secondFactorPerAccount]]);
      if (limit.blocked) {
        this.metrics.rateLimited.inc({ kind: 'second_factor' });
        res.set('retry-after', String(limit.retryAfterSeconds));
        const minutes = Math.ceil(limit.retryAfterSeconds / 60);
        return this.sendMfa(
          res,
          runtime,
          details,
          `Too many wrong codes. Please try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
          429,
        );
      }
      const code = (field(body, 'code') ?? '').slice(0, 64);
      if (pending.enroll) {
        if (await this.finishEnrollment(req, res, runtime, details, pending.accountId, code)) await limit.succeeded();
        return;
      }
      const method = await this.mfa.verify(tenantId, pending.accountId, code);
      const who = {
        subject: pending.accountId,
        clientId: String(details.params.client_id),
        ip: req.ip,
        userAgent: req.get('user-agent'),
      };
      if (!method) {
        await this.audit.recordQuietly(tenantId, {
          type: 'mfa.failure',
          outcome: 'failure',
          actor: { type: 'user', id: pending.accountId },
          ...who,
        });
        this.metrics.authFailures.inc({ kind: 'second_factor' });
        return this.sendMfa(res, runtime, details, 'That code did not work. Try again.', 401);
      }
      await limit.succeeded();
      const amr = method === 'otp' ? ['pwd', 'otp'] : ['pwd', 'otp', 'recovery'];
      await this.completeLogin(req, res, runtime, details, { accountId: pending.accountId, amr, acr: ACR_MFA });
    });
  }

  /** After login-time enrollment: the user saw the recovery codes; the sign-in completes. */
  @Post('mfa/done')
  async enrollmentDone(
    @Param('tenant') slug: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.withInteraction(slug, req, res, async (runtime, details) => {
      const done = details.result?.[ENROLLED] as { accountId?: string } | undefined;
      if (
        !this.csrf.isValid(runtime.tenant.id, details.uid, field(body, 'csrf')) ||
        typeof done?.accountId !== 'string'
      ) {
        return this.sendError(res, 400, 'This sign-in step is not expected.');
      }
      await this.completeLogin(req, res, runtime, details, {
        accountId: done.accountId,
        amr: ['pwd', 'otp'],
        acr: ACR_MFA,
      });
    });
  }

  @Post('consent')
  async consent(@Param('tenant') slug: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response) {
    await this.withInteraction(slug, req, res, async (runtime, details) => {
      if (!this.csrf.isValid(runtime.tenant.id, details.uid, field(body, 'csrf'))) {
        return this.sendError(res, 403, 'The form expired or was not sent from this site. Please start again.');
      }
      if (details.prompt.name !== 'consent') return this.sendError(res, 400, 'This sign-in step is already done.');
      const decision = field(body, 'decision');
      if (decision === 'deny') {
        await this.recordConsent(runtime, details, req, 'denied');
        const result = { error: 'access_denied', error_description: 'the user denied the request' };
        return runtime.provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
      }
      if (decision !== 'approve') return this.sendError(res, 400, 'Please choose Allow or Deny.');
      return this.finishConsent(req, res, runtime, details);
    });
  }

  private async withInteraction(
    slug: string,
    req: Request,
    res: Response,
    step: (runtime: TenantRuntime, details: Details) => Promise<void>,
  ): Promise<void> {
    const runtime = await this.registry.get(slug);
    if (!runtime) return this.sendError(res, 404, 'This sign-in page does not exist.');
    let details: Details;
    try {
      details = await runtime.provider.interactionDetails(req, res);
    } catch {
      return this.sendError(
        res,
        400,
        'This sign-in request has expired or is invalid. Please start again from the application.',
      );
    }
    if (details.uid !== req.params.uid) return this.sendError(res, 400, 'This sign-in request is invalid.');
    await step(runtime, details);
  }

  /** Grants what the client asked for and is still missing (oidc-provider's consent contract). */
  private async finishConsent(req: Request, res: Response, runtime: TenantRuntime, details: Details): Promise<void> {
    const { provider } = runtime;
    const { prompt, params, session, grantId: existingGrantId } = details;
    const grant = existingGrantId
      ? await provider.Grant.find(existingGrantId)
      : new provider.Grant({ accountId: session!.accountId, clientId: String(params.client_id) });
    if (!grant) return this.sendError(res, 400, 'This sign-in request is invalid.');
    const missing = prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    const grantId = await grant.save();
    await this.recordConsent(runtime, details, req, 'granted', missing);
    const consent = existingGrantId ? {} : { grantId };
    await provider.interactionFinished(req, res, { consent }, { mergeWithLastSubmission: true });
  }

  /**
   * The user is authenticated: enforce the tenant's concurrent-session limit (end the oldest
   * sessions, or refuse), record the sign-in, and hand the result to oidc-provider.
   */
  private async completeLogin(
    req: Request,
    res: Response,
    runtime: TenantRuntime,
    details: Details,
    login: { accountId: string; amr: string[]; acr: string },
  ): Promise<void> {
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
        return this.sendError(
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
    const result: InteractionResults = { login };
    await runtime.provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  }

  private async recordConsent(
    runtime: TenantRuntime,
    details: Details,
    req: Request,
    outcome: 'granted' | 'denied',
    granted?: { missingOIDCScope?: string[]; missingResourceScopes?: Record<string, string[]> },
  ): Promise<void> {
    const accountId = details.session?.accountId;
    await this.audit.recordQuietly(runtime.tenant.id, {
      type: `consent.${outcome}`,
      outcome: outcome === 'granted' ? 'success' : 'failure',
      actor: accountId ? { type: 'user', id: accountId } : { type: 'anonymous' },
      subject: accountId,
      clientId: String(details.params.client_id),
      ip: req.ip,
      userAgent: req.get('user-agent'),
      data: granted
        ? { scopes: granted.missingOIDCScope ?? [], resources: granted.missingResourceScopes ?? {} }
        : { requested: String(details.params.scope ?? '') },
    });
  }

  private actionFor(runtime: TenantRuntime, uid: string, step: string): string {
    return `${new URL(runtime.issuer).pathname}/interaction/${uid}/${step}`;
  }

  private async clientName(runtime: TenantRuntime, details: Details): Promise<string> {
    const client = await runtime.provider.Client.find(String(details.params.client_id));
    return client?.clientName ?? String(details.params.client_id);
  }

  private sendLogin(
    res: Response,
    runtime: TenantRuntime,
    details: Details,
    clientName: string,
    state: { username?: string; error?: string } = {},
    status = 200,
  ): void {
    this.sendHtml(
      res,
      status,
      renderLoginPage({
        tenantName: runtime.tenant.displayName,
        clientName,
        action: this.actionFor(runtime, details.uid, 'login'),
        csrfToken: this.csrf.tokenFor(runtime.tenant.id, details.uid),
        stylesheetHref: this.css,
        forgotHref: this.selfService.passwordResetAvailable
          ? `${new URL(runtime.issuer).pathname}/password/forgot?uid=${encodeURIComponent(details.uid)}`
          : undefined,
        registerHref: effectiveSettings(runtime.tenant.settings).selfRegistration
          ? this.actionFor(runtime, details.uid, 'register')
          : undefined,
        ...state,
      }),
    );
  }

  private sendRegister(
    res: Response,
    runtime: TenantRuntime,
    details: Details,
    state: { username?: string; email?: string; error?: string } = {},
    status = 200,
  ): void {
    const policy = effectiveSettings(runtime.tenant.settings).passwordPolicy;
    this.sendHtml(
      res,
      status,
      renderRegisterPage({
        tenantName: runtime.tenant.displayName,
        action: this.actionFor(runtime, details.uid, 'register'),
        csrfToken: this.csrf.tokenFor(runtime.tenant.id, details.uid),
        stylesheetHref: this.css,
        loginHref: `${new URL(runtime.issuer).pathname}/interaction/${details.uid}`,
        hint: `At least ${policy.minLength} characters.`,
        username: state.username,
        email: state.email,
        error: state.error,
      }),
    );
  }

  private sendMfa(res: Response, runtime: TenantRuntime, details: Details, error?: string, status = 200): void {
    this.sendHtml(
      res,
      status,
      renderMfaPage({
        tenantName: runtime.tenant.displayName,
        action: this.actionFor(runtime, details.uid, 'mfa'),
        csrfToken: this.csrf.tokenFor(runtime.tenant.id, details.uid),
        stylesheetHref: this.css,
        error,
      }),
    );
  }

  private async sendEnrollment(
    res: Response,
    runtime: TenantRuntime,
    details: Details,
    user: { id: string; username: string },
    error?: string,
    status = 200,
  ): Promise<void> {
    const enrollment = await this.mfa.startEnrollment(runtime.tenant.id, user, runtime.tenant.displayName);
    this.sendHtml(
      res,
      status,
      renderMfaEnrollPage({
        tenantName: runtime.tenant.displayName,
        action: this.actionFor(runtime, details.uid, 'mfa'),
        csrfToken: this.csrf.tokenFor(runtime.tenant.id, details.uid),
        stylesheetHref: this.css,
        qrCodeDataUrl: enrollment.qrCodeDataUrl,
        secret: enrollment.secret,
        error,
      }),
    );
  }

  /** Activates the factor enrolled at sign-in and shows the recovery codes once. */
  private async finishEnrollment(
    req: Request,
    res: Response,
    runtime: TenantRuntime,
    details: Details,
    accountId: string,
    code: string,
  ): Promise<boolean> {
    let codes: string[];
    try {
      codes = await this.mfa.activate(runtime.tenant.id, accountId, code);
    } catch {
      const user = await this.users.get(runtime.tenant.id, accountId);
      // A new secret each time: the failed one was shown on a page that may be cached.
      await this.sendEnrollment(
        res,
        runtime,
        details,
        user,
        'That code did not work. Scan the new code and try again.',
        401,
      );
      return false;
    }
    await this.audit.recordQuietly(runtime.tenant.id, {
      type: 'mfa.enrolled',
      outcome: 'success',
      actor: { type: 'user', id: accountId },
      subject: accountId,
      ip: req.ip,
      data: { factor: 'totp', during: 'sign-in' },
    });
    await runtime.provider.interactionResult(
      req,
      res,
      { [ENROLLED]: { accountId } },
      { mergeWithLastSubmission: false },
    );
    this.sendHtml(
      res,
      200,
      renderRecoveryCodesPage({
        tenantName: runtime.tenant.displayName,
        action: this.actionFor(runtime, details.uid, 'mfa/done'),
        csrfToken: this.csrf.tokenFor(runtime.tenant.id, details.uid),
        stylesheetHref: this.css,
        codes,
      }),
    );
    return true;
  }

  private sendConsent(res: Response, runtime: TenantRuntime, details: Details, clientName: string): void {
    const missing = details.prompt.details as {
      missingOIDCScope?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    this.sendHtml(
      res,
      200,
      renderConsentPage({
        tenantName: runtime.tenant.displayName,
        clientName,
        action: this.actionFor(runtime, details.uid, 'consent'),
        csrfToken: this.csrf.tokenFor(runtime.tenant.id, details.uid),
        stylesheetHref: this.css,
        scopes: missing.missingOIDCScope ?? [],
        resources: Object.entries(missing.missingResourceScopes ?? {}).map(([identifier, scopes]) => ({
          identifier,
          scopes,
        })),
      }),
    );
  }

  private sendError(res: Response, status: number, message: string): void {
    this.sendHtml(res, status, renderErrorPage({ title: 'Sign-in problem', message, stylesheetHref: this.css }));
  }

  private sendHtml(res: Response, status: number, html: string): void {
    res.status(status).type('html').set('cache-control', 'no-store').send(html);
  }
}
