import { Public } from '@app/platform';
import { effectiveSettings } from '@app/tenancy';
import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { InteractionPages } from '../interaction/interaction-pages.js';
import { field, FORM_EXPIRED } from '../interaction/interaction-state.js';
import { SelfServiceService } from '../self-service/self-service.service.js';
import { SignInCompletion } from './sign-in-completion.service.js';

/** Self-registration inside the running sign-in (when the tenant allows it): the new account continues it at once. */
@ApiExcludeController()
@Public()
@Controller('t/:tenant/interaction/:uid')
export class RegistrationController {
  constructor(
    private readonly pages: InteractionPages,
    private readonly completion: SignInCompletion,
    private readonly selfService: SelfServiceService,
  ) {}

  @Get('register')
  async registerForm(@Param('tenant') slug: string, @Req() req: Request, @Res() res: Response) {
    await this.pages.withInteraction(slug, req, res, async (runtime, details) => {
      if (!effectiveSettings(runtime.tenant.settings).selfRegistration) {
        return this.pages.sendError(res, 404, 'This page does not exist.');
      }
      if (details.prompt.name !== 'login') return this.pages.sendError(res, 400, 'This sign-in step is already done.');
      this.pages.sendRegister(res, runtime, details);
    });
  }

  @Post('register')
  async register(@Param('tenant') slug: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response) {
    await this.pages.withInteraction(slug, req, res, async (runtime, details) => {
      if (!effectiveSettings(runtime.tenant.settings).selfRegistration) {
        return this.pages.sendError(res, 404, 'This page does not exist.');
      }
      if (!this.pages.csrfValid(runtime, details, body)) return this.pages.sendError(res, 403, FORM_EXPIRED);
      if (details.prompt.name !== 'login') return this.pages.sendError(res, 400, 'This sign-in step is already done.');
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
        return this.pages.sendRegister(res, runtime, details, { ...input, error: outcome.message }, outcome.status);
      }
      await this.completion.passwordStepDone(req, res, runtime, details, outcome.user);
    });
  }
}
