import { AuditService } from '@app/audit';
import { UsersService } from '@app/identity';
import { FAILURE_RULES, type FailureRule, Metrics, Public, SHARED_STATE, type SharedState } from '@app/platform';
import { lockoutRule } from '@app/tenancy';
import { Body, Controller, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { InteractionPages } from '../interaction/interaction-pages.js';
import { field, FORM_EXPIRED, GENERIC_LOGIN_ERROR } from '../interaction/interaction-state.js';
import { BrokerStep } from './broker.step.js';
import { SignInCompletion } from './sign-in-completion.service.js';

/** The username and password form, behind the per-IP limit and the per-account lockout. */
@ApiExcludeController()
@Public()
@Controller('t/:tenant/interaction/:uid')
export class LoginController {
  constructor(
    private readonly pages: InteractionPages,
    private readonly completion: SignInCompletion,
    private readonly users: UsersService,
    @Inject(SHARED_STATE) private readonly store: SharedState,
    private readonly metrics: Metrics,
    private readonly audit: AuditService,
    private readonly broker: BrokerStep,
  ) {}

  @Post('login')
  async login(@Param('tenant') slug: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response) {
    await this.pages.withInteraction(slug, req, res, async (runtime, details) => {
      if (!this.pages.csrfValid(runtime, details, body)) return this.pages.sendError(res, 403, FORM_EXPIRED);
      if (details.prompt.name !== 'login') return this.pages.sendError(res, 400, 'This sign-in step is already done.');
      // A "Continue with …" button of the same form: no password involved, off to the upstream.
      const provider = field(body, 'provider');
      if (provider !== undefined) return this.broker.start(req, res, runtime, details, provider.slice(0, 64));
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
        const clientName = await this.pages.clientName(runtime, details);
        return this.pages.sendLogin(res, runtime, details, clientName, { username, error }, 429);
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
        const clientName = await this.pages.clientName(runtime, details);
        return this.pages.sendLogin(res, runtime, details, clientName, { username, error: GENERIC_LOGIN_ERROR }, 401);
      }
      await limit.succeeded();
      await this.completion.passwordStepDone(req, res, runtime, details, user);
    });
  }
}
