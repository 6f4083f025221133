import { AuditService } from '@app/audit';
import { UsersService } from '@app/identity';
import { PasskeyRejectedError, PasskeysService } from '@app/passkeys';
import { APP_CONFIG, type AppConfig, ConflictError, Public } from '@app/platform';
import type { TenantRuntime } from '@app/protocol';
import { deviceName } from '@app/sessions';
import { Body, Controller, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { InteractionPages } from '../interaction/interaction-pages.js';
import {
  ACR_MFA,
  authenticatedLogin,
  type Details,
  field,
  FORM_EXPIRED,
  type FirstFactor,
  pendingSecondFactor,
} from '../interaction/interaction-state.js';
import { passkeyAnswer, sendJsonError } from '../interaction/passkey-answers.js';
import { declinePasskeyOffer } from '../interaction/passkey-offer-cookie.js';
import { SecondFactorPages } from '../interaction/second-factor-pages.js';
import { SignInCompletion } from './sign-in-completion.service.js';

/** Who may create a passkey in this sign-in, and why: enrolling a second factor, or answering the offer. */
type Registrant = { accountId: string; purpose: 'enrolment' | 'offer'; firstFactor?: FirstFactor };

function registrantOf(details: Details): Registrant | undefined {
  if (details.prompt.name !== 'login') return undefined;
  const pending = pendingSecondFactor(details);
  if (pending?.enroll) return { accountId: pending.accountId, purpose: 'enrolment', firstFactor: pending.firstFactor };
  const after = authenticatedLogin(details);
  return after?.step === 'passkey-offer' ? { accountId: after.login.accountId, purpose: 'offer' } : undefined;
}

/**
 * Creating a passkey during sign-in, right after the user proved who they are: as the
 * second factor the tenant requires, or on the offer after a password sign-in. Either way
 * the sign-in then goes on; "Not now" / "Don't ask again here" answer the offer.
 */
@ApiExcludeController()
@Public()
@Controller('t/:tenant/interaction/:uid')
export class PasskeyRegistrationController {
  private readonly secureCookies: boolean;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly pages: InteractionPages,
    private readonly factorPages: SecondFactorPages,
    private readonly completion: SignInCompletion,
    private readonly passkeys: PasskeysService,
    private readonly users: UsersService,
    private readonly audit: AuditService,
  ) {
    this.secureCookies = config.publicUrl.startsWith('https:');
  }

  @Post('passkey/registration-options')
  async options(@Param('tenant') slug: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response) {
    await this.pages.withInteraction(slug, req, res, async (runtime, details) => {
      if (!this.pages.csrfValid(runtime, details, body)) return sendJsonError(res, 403, FORM_EXPIRED);
      const registrant = registrantOf(details);
      if (!registrant || !this.pages.passkeysAvailable)
        return sendJsonError(res, 400, 'This sign-in step does not create a passkey.');
      const user = await this.users.get(runtime.tenant.id, registrant.accountId);
      try {
        const options = await this.passkeys.registrationOptions(runtime.tenant, user);
        res.status(200).set('cache-control', 'no-store').json(options);
      } catch (error) {
        if (error instanceof ConflictError) return sendJsonError(res, 409, error.message);
        throw error;
      }
    });
  }

  @Post('passkey/register')
  async register(@Param('tenant') slug: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response) {
    await this.pages.withInteraction(slug, req, res, async (runtime, details) => {
      if (!this.pages.csrfValid(runtime, details, body)) return this.pages.sendError(res, 403, FORM_EXPIRED);
      const registrant = registrantOf(details);
      if (!registrant) return this.pages.sendError(res, 400, 'This sign-in step is not expected.');
      const tenantId = runtime.tenant.id;
      const user = await this.users.get(tenantId, registrant.accountId);
      const who = {
        actor: { type: 'user' as const, id: user.id },
        clientId: String(details.params.client_id),
        ip: req.ip,
        userAgent: req.get('user-agent'),
      };
      let passkey: Awaited<ReturnType<PasskeysService['register']>>;
      try {
        passkey = await this.passkeys.register(
          runtime.tenant,
          user,
          deviceName(req.get('user-agent')),
          passkeyAnswer(body),
        );
      } catch (error) {
        if (!(error instanceof PasskeyRejectedError || error instanceof ConflictError)) throw error;
        const reason = error instanceof PasskeyRejectedError ? error.reason : 'conflict';
        await this.audit.record(tenantId, {
          type: 'passkey.failure',
          outcome: 'failure',
          ...who,
          subject: user.id,
          data: { reason, during: registrant.purpose },
        });
        return this.retry(
          res,
          runtime,
          details,
          registrant,
          user,
          'The passkey could not be created. Please try again.',
        );
      }
      const deviceType = passkey.backupEligible ? 'multiDevice' : 'singleDevice';
      await this.audit.record(tenantId, {
        type: 'passkey.registered',
        outcome: 'success',
        ...who,
        subject: passkey.id,
        data: { name: passkey.name, deviceType, during: registrant.purpose },
      });
      const method = passkey.backupEligible ? 'swk' : 'hwk';
      if (registrant.purpose === 'enrolment') {
        await this.audit.recordQuietly(tenantId, {
          type: 'mfa.enrolled',
          outcome: 'success',
          ...who,
          subject: user.id,
          data: { factor: 'passkey', during: 'sign-in' },
        });
        return this.completion.authenticated(req, res, runtime, details, {
          accountId: user.id,
          amr: [registrant.firstFactor ?? 'pwd', method, 'mfa'],
          acr: ACR_MFA,
        });
      }
      const after = authenticatedLogin(details)!;
      await this.completion.authenticated(req, res, runtime, details, after.login, {
        ...after.done,
        passkeyOffered: true,
      });
    });
  }

  @Post('passkey/offer')
  async answerOffer(@Param('tenant') slug: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response) {
    await this.pages.withInteraction(slug, req, res, async (runtime, details) => {
      if (!this.pages.csrfValid(runtime, details, body)) return this.pages.sendError(res, 403, FORM_EXPIRED);
      const after = details.prompt.name === 'login' ? authenticatedLogin(details) : undefined;
      if (after?.step !== 'passkey-offer') return this.pages.sendError(res, 400, 'This sign-in step is not expected.');
      const decision = field(body, 'decision') === 'never' ? 'never' : 'later';
      declinePasskeyOffer(res, decision, new URL(runtime.issuer).pathname, this.secureCookies);
      await this.completion.authenticated(req, res, runtime, details, after.login, {
        ...after.done,
        passkeyOffered: true,
      });
    });
  }

  private async retry(
    res: Response,
    runtime: TenantRuntime,
    details: Details,
    registrant: Registrant,
    user: { id: string; username: string },
    error: string,
  ): Promise<void> {
    if (registrant.purpose === 'enrolment')
      return this.factorPages.sendEnrollment(res, runtime, details, user, error, 400);
    this.factorPages.sendPasskeyOffer(res, runtime, details, error, 400);
  }
}
