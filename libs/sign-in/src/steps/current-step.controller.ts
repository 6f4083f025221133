import { UsersService } from '@app/identity';
import { Public } from '@app/platform';
import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { InteractionPages } from '../interaction/interaction-pages.js';
import { authenticatedLogin, pendingSecondFactor } from '../interaction/interaction-state.js';
import { SecondFactorPages } from '../interaction/second-factor-pages.js';
import { ConsentGrants } from './consent-grants.service.js';

/** Where oidc-provider sends the browser: the page of whichever step the sign-in is at. */
@ApiExcludeController()
@Public()
@Controller('t/:tenant/interaction/:uid')
export class CurrentStepController {
  constructor(
    private readonly pages: InteractionPages,
    private readonly factorPages: SecondFactorPages,
    private readonly users: UsersService,
    private readonly consent: ConsentGrants,
  ) {}

  @Get()
  async show(@Param('tenant') slug: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.pages.withInteraction(slug, req, res, async (runtime, details) => {
      const atLogin = details.prompt.name === 'login';
      const after = atLogin ? authenticatedLogin(details) : undefined;
      if (after) {
        return after.step === 'password-change'
          ? this.factorPages.sendPasswordChange(res, runtime, details)
          : this.factorPages.sendPasskeyOffer(res, runtime, details);
      }
      const pending = atLogin ? pendingSecondFactor(details) : undefined;
      if (pending?.enroll)
        return this.factorPages.sendEnrollment(
          res,
          runtime,
          details,
          await this.users.get(runtime.tenant.id, pending.accountId),
        );
      if (pending) return this.factorPages.sendMfa(res, runtime, details, pending.accountId);
      if (atLogin) return this.pages.sendLogin(res, runtime, details, await this.pages.clientName(runtime, details));
      if (details.prompt.name === 'consent') {
        const client = await runtime.provider.Client.find(String(details.params.client_id));
        if ((client as unknown as { first_party?: boolean })?.first_party) {
          return this.consent.grantMissing(req, res, runtime, details);
        }
        return this.pages.sendConsent(res, runtime, details, client?.clientName ?? String(details.params.client_id));
      }
      return this.pages.sendError(res, 400, 'This sign-in step is not supported.');
    });
  }
}
