import { AuditService } from '@app/audit';
import { UsersService } from '@app/identity';
import { MfaService } from '@app/mfa';
import { FAILURE_RULES, Metrics, Public, SHARED_STATE, type SharedState } from '@app/platform';
import type { TenantRuntime } from '@app/protocol';
import { Body, Controller, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { InteractionPages } from '../interaction/interaction-pages.js';
import {
  ACR_MFA,
  type Details,
  ENROLLED,
  field,
  type FirstFactor,
  FORM_EXPIRED,
  pendingSecondFactor,
} from '../interaction/interaction-state.js';
import { SecondFactorPages } from '../interaction/second-factor-pages.js';
import { EmailCodeStep } from './email-code.step.js';
import { SignInCompletion } from './sign-in-completion.service.js';

/** The second factor after the password: a TOTP or recovery code, or enrolling one when the tenant requires it. */
@ApiExcludeController()
@Public()
@Controller('t/:tenant/interaction/:uid')
export class SecondFactorController {
  constructor(
    private readonly pages: InteractionPages,
    private readonly factorPages: SecondFactorPages,
    private readonly completion: SignInCompletion,
    private readonly emailCodes: EmailCodeStep,
    private readonly users: UsersService,
    private readonly mfa: MfaService,
    @Inject(SHARED_STATE) private readonly store: SharedState,
    private readonly metrics: Metrics,
    private readonly audit: AuditService,
  ) {}

  @Post('mfa')
  async secondFactor(@Param('tenant') slug: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response) {
    await this.pages.withInteraction(slug, req, res, async (runtime, details) => {
      if (!this.pages.csrfValid(runtime, details, body)) return this.pages.sendError(res, 403, FORM_EXPIRED);
      const pending = pendingSecondFactor(details);
      if (details.prompt.name !== 'login' || !pending)
        return this.pages.sendError(res, 400, 'This sign-in step is not expected.');
      const tenantId = runtime.tenant.id;
      const byEmail = field(body, 'factor') === 'email';
      const limitKey = `mfa:account:${pending.accountId}`;
      const limit = await this.store.failures.reserve(tenantId, [[limitKey, FAILURE_RULES.secondFactorPerAccount]]);
      if (limit.blocked) {
        this.metrics.rateLimited.inc({ kind: 'second_factor' });
        res.set('retry-after', String(limit.retryAfterSeconds));
        const minutes = Math.ceil(limit.retryAfterSeconds / 60);
        const error = `Too many wrong codes. Please try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
        if (pending.enroll && !byEmail) {
          const user = await this.users.get(tenantId, pending.accountId);
          return this.factorPages.sendEnrollment(res, runtime, details, user, error, 429);
        }
        return this.factorPages.sendMfa(res, runtime, details, pending.accountId, {
          error,
          status: 429,
          mode: byEmail ? 'email' : undefined,
          enrolling: pending.enroll,
        });
      }
      const code = (field(body, 'code') ?? '').slice(0, 64);
      if (byEmail) return this.emailCodes.verify(req, res, runtime, details, pending, code, limit);
      if (pending.enroll) {
        if (await this.finishEnrollment(req, res, runtime, details, pending, code)) await limit.succeeded();
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
          data: { factor: 'totp' },
        });
        this.metrics.authFailures.inc({ kind: 'second_factor' });
        return this.factorPages.sendMfa(res, runtime, details, pending.accountId, {
          error: 'That code did not work. Try again.',
          status: 401,
        });
      }
      await limit.succeeded();
      const amr = method === 'otp' ? [pending.firstFactor, 'otp'] : [pending.firstFactor, 'otp', 'recovery'];
      await this.completion.authenticated(req, res, runtime, details, {
        accountId: pending.accountId,
        amr,
        acr: ACR_MFA,
      });
    });
  }

  /** "Email me a code" (or a new one): a sign-in code, or during enrolment the first code of email codes. */
  @Post('mfa/email')
  async emailCode(@Param('tenant') slug: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response) {
    await this.pages.withInteraction(slug, req, res, async (runtime, details) => {
      if (!this.pages.csrfValid(runtime, details, body)) return this.pages.sendError(res, 403, FORM_EXPIRED);
      const pending = pendingSecondFactor(details);
      if (details.prompt.name !== 'login' || !pending)
        return this.pages.sendError(res, 400, 'This sign-in step is not expected.');
      const user = await this.users.get(runtime.tenant.id, pending.accountId);
      await this.factorPages.sendEmailCode(res, runtime, details, user, pending.enroll);
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
    await this.pages.withInteraction(slug, req, res, async (runtime, details) => {
      const done = details.result?.[ENROLLED] as { accountId?: string; firstFactor?: string } | undefined;
      if (!this.pages.csrfValid(runtime, details, body) || typeof done?.accountId !== 'string') {
        return this.pages.sendError(res, 400, 'This sign-in step is not expected.');
      }
      await this.completion.authenticated(req, res, runtime, details, {
        accountId: done.accountId,
        amr: [done.firstFactor === 'fed' ? 'fed' : 'pwd', 'otp'],
        acr: ACR_MFA,
      });
    });
  }

  /** Activates the factor enrolled at sign-in and shows the recovery codes once. */
  private async finishEnrollment(
    req: Request,
    res: Response,
    runtime: TenantRuntime,
    details: Details,
    pending: { accountId: string; firstFactor: FirstFactor },
    code: string,
  ): Promise<boolean> {
    const { accountId, firstFactor } = pending;
    let codes: string[];
    try {
      codes = await this.mfa.activate(runtime.tenant.id, accountId, code);
    } catch {
      const user = await this.users.get(runtime.tenant.id, accountId);
      // A new secret each time: the failed one was shown on a page that may be cached.
      await this.factorPages.sendEnrollment(
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
      { [ENROLLED]: { accountId, firstFactor } },
      { mergeWithLastSubmission: false },
    );
    this.factorPages.sendRecoveryCodes(res, runtime, details, codes);
    return true;
  }
}
