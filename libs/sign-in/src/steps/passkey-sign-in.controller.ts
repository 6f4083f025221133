import { AuditService } from '@app/audit';
import { UsersService } from '@app/identity';
import { PasskeyRejectedError, PasskeysService } from '@app/passkeys';
import { FAILURE_RULES, type FailureRule, Metrics, Public, SHARED_STATE, type SharedState } from '@app/platform';
import type { TenantRuntime } from '@app/protocol';
import { Body, Controller, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { InteractionPages } from '../interaction/interaction-pages.js';
import { ACR_MFA, type Details, FORM_EXPIRED, pendingSecondFactor } from '../interaction/interaction-state.js';
import { passkeyAnswer, sendJsonError } from '../interaction/passkey-answers.js';
import { SecondFactorPages } from '../interaction/second-factor-pages.js';
import { SignInCompletion } from './sign-in-completion.service.js';

const PASSKEY_FAILED = 'That passkey did not work. Please try again, or use another way to sign in.';

/**
 * Signing in with a passkey: on the login page instead of the password (a discoverable
 * credential with user verification), or on the verification page as the second factor of
 * the user whose password was just checked. Options first (JSON, for the page's script),
 * then the authenticator's answer in the form.
 */
@ApiExcludeController()
@Public()
@Controller('t/:tenant/interaction/:uid')
export class PasskeySignInController {
  constructor(
    private readonly pages: InteractionPages,
    private readonly factorPages: SecondFactorPages,
    private readonly completion: SignInCompletion,
    private readonly passkeys: PasskeysService,
    private readonly users: UsersService,
    @Inject(SHARED_STATE) private readonly store: SharedState,
    private readonly metrics: Metrics,
    private readonly audit: AuditService,
  ) {}

  @Post('passkey/options')
  async options(@Param('tenant') slug: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response) {
    await this.pages.withInteraction(slug, req, res, async (runtime, details) => {
      if (!this.pages.csrfValid(runtime, details, body)) return sendJsonError(res, 403, FORM_EXPIRED);
      const pending = pendingSecondFactor(details);
      if (details.prompt.name !== 'login' || pending?.enroll || !this.pages.passkeysAvailable)
        return sendJsonError(res, 400, 'This sign-in step does not take a passkey.');
      const options = await this.passkeys
        .signInOptions(runtime.tenant.id, { interaction: details.uid, userId: pending?.accountId })
        .catch(() => null);
      if (!options) return sendJsonError(res, 400, 'There is no passkey on this account.');
      res.status(200).set('cache-control', 'no-store').json(options);
    });
  }

  @Post('passkey')
  async signIn(@Param('tenant') slug: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response) {
    await this.pages.withInteraction(slug, req, res, async (runtime, details) => {
      if (!this.pages.csrfValid(runtime, details, body)) return this.pages.sendError(res, 403, FORM_EXPIRED);
      const pending = pendingSecondFactor(details);
      if (details.prompt.name !== 'login' || pending?.enroll)
        return this.pages.sendError(res, 400, 'This sign-in step is not expected.');
      const tenantId = runtime.tenant.id;
      // Failures count where the same step's other failures do: per IP without a user, per account as a second factor.
      const limits: [string, FailureRule][] = pending
        ? [[`mfa:account:${pending.accountId}`, FAILURE_RULES.secondFactorPerAccount]]
        : [[`login:ip:${req.ip}`, FAILURE_RULES.loginPerIp]];
      const limit = await this.store.failures.reserve(tenantId, limits);
      if (limit.blocked) {
        this.metrics.rateLimited.inc({ kind: pending ? 'second_factor' : 'login' });
        res.set('retry-after', String(limit.retryAfterSeconds));
        const error = `Too many failed attempts. Please try again in ${Math.ceil(limit.retryAfterSeconds / 60)} minutes.`;
        return this.refuse(res, runtime, details, pending?.accountId, error, 429);
      }
      const who = { clientId: String(details.params.client_id), ip: req.ip, userAgent: req.get('user-agent') };
      const during = pending ? 'second-factor' : 'sign-in';
      let signedIn: Awaited<ReturnType<PasskeysService['signIn']>>;
      try {
        signedIn = await this.passkeys.signIn(tenantId, passkeyAnswer(body), {
          interaction: details.uid,
          userId: pending?.accountId,
        });
        const user = await this.users.find(tenantId, signedIn.userId);
        if (!user || user.disabled) throw new PasskeyRejectedError('unknown_credential', signedIn.passkey);
      } catch (error) {
        if (!(error instanceof PasskeyRejectedError)) throw error;
        const owner = error.passkey?.userId ?? pending?.accountId;
        await this.audit.record(tenantId, {
          type: 'passkey.failure',
          outcome: 'failure',
          actor: owner ? { type: 'user', id: owner } : { type: 'anonymous' },
          subject: error.passkey?.id ?? owner,
          ...who,
          data: { reason: error.reason, during },
        });
        this.metrics.authFailures.inc({ kind: 'passkey' });
        if (!pending) this.metrics.logins.inc({ outcome: 'failure' });
        return this.refuse(res, runtime, details, pending?.accountId, PASSKEY_FAILED, 401);
      }
      await limit.succeeded();
      await this.audit.recordQuietly(tenantId, {
        type: 'passkey.used',
        outcome: 'success',
        actor: { type: 'user', id: signedIn.userId },
        subject: signedIn.passkey.id,
        ...who,
        data: { method: signedIn.method, during },
      });
      const amr = pending ? [pending.firstFactor, signedIn.method, 'mfa'] : [signedIn.method, 'mfa'];
      await this.completion.authenticated(req, res, runtime, details, {
        accountId: signedIn.userId,
        amr,
        acr: ACR_MFA,
      });
    });
  }

  /** The page the passkey button was on, again, with what went wrong. */
  private async refuse(
    res: Response,
    runtime: TenantRuntime,
    details: Details,
    pendingAccount: string | undefined,
    error: string,
    status: number,
  ): Promise<void> {
    if (pendingAccount) return this.factorPages.sendMfa(res, runtime, details, pendingAccount, { error, status });
    const clientName = await this.pages.clientName(runtime, details);
    return this.pages.sendLogin(res, runtime, details, clientName, { error }, status);
  }
}
