import { AuditService } from '@app/audit';
import { CodeFactorsService } from '@app/mfa';
import { FAILURE_RULES, Metrics } from '@app/platform';
import type { TenantRuntime } from '@app/protocol';
import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ACR_MFA, type Details, type FirstFactor } from '../interaction/interaction-state.js';
import { SecondFactorPages } from '../interaction/second-factor-pages.js';
import { EMAIL_CODES } from '../interaction/second-factors.js';
import { SignInCompletion } from './sign-in-completion.service.js';

/** An emailed code typed into the verification page: a sign-in's second factor, or the first code of an enrolment. */
@Injectable()
export class EmailCodeStep {
  constructor(
    private readonly codes: CodeFactorsService,
    private readonly factorPages: SecondFactorPages,
    private readonly completion: SignInCompletion,
    private readonly audit: AuditService,
    private readonly metrics: Metrics,
  ) {}

  async verify(
    req: Request,
    res: Response,
    runtime: TenantRuntime,
    details: Details,
    pending: { accountId: string; enroll: boolean; firstFactor: FirstFactor },
    code: string,
    limit: { succeeded(): Promise<void> },
  ): Promise<void> {
    const tenantId = runtime.tenant.id;
    const { accountId, enroll, firstFactor } = pending;
    const check = enroll
      ? await this.codes.confirmEnrollment(tenantId, accountId, EMAIL_CODES, code)
      : await this.codes.verifySignIn(tenantId, accountId, EMAIL_CODES, code);
    const who = {
      actor: { type: 'user' as const, id: accountId },
      subject: accountId,
      clientId: String(details.params.client_id),
      ip: req.ip,
      userAgent: req.get('user-agent'),
    };
    if (check !== 'ok') {
      await this.audit.recordQuietly(tenantId, {
        type: 'mfa.failure',
        outcome: 'failure',
        ...who,
        data: { factor: EMAIL_CODES, reason: check, ...(enroll ? { during: 'enrolment' } : {}) },
      });
      this.metrics.authFailures.inc({ kind: 'second_factor' });
      if (check === 'exhausted') res.set('retry-after', String(FAILURE_RULES.codeSendBurstPerAccount.windowSeconds));
      return this.factorPages.sendMfa(res, runtime, details, accountId, {
        mode: 'email',
        enrolling: enroll,
        status: check === 'exhausted' ? 429 : 401,
        error:
          check === 'exhausted'
            ? 'That code was tried too often. Ask for a new code.'
            : 'That code did not work. Check the latest mail and try again.',
      });
    }
    await limit.succeeded();
    if (enroll)
      await this.audit.recordQuietly(tenantId, {
        type: 'mfa.enrolled',
        outcome: 'success',
        ...who,
        data: { factor: EMAIL_CODES, during: 'sign-in' },
      });
    await this.completion.authenticated(req, res, runtime, details, {
      accountId,
      amr: [firstFactor, 'otp'],
      acr: ACR_MFA,
    });
  }
}
