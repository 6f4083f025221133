import { Public } from '@app/platform';
import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { InteractionPages } from '../interaction/interaction-pages.js';
import { field, FORM_EXPIRED } from '../interaction/interaction-state.js';
import { ConsentGrants } from './consent-grants.service.js';

/** The consent form third-party clients get: Allow grants what is missing, Deny ends in access_denied. */
@ApiExcludeController()
@Public()
@Controller('t/:tenant/interaction/:uid')
export class ConsentController {
  constructor(
    private readonly pages: InteractionPages,
    private readonly grants: ConsentGrants,
  ) {}

  @Post('consent')
  async consent(@Param('tenant') slug: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response) {
    await this.pages.withInteraction(slug, req, res, async (runtime, details) => {
      if (!this.pages.csrfValid(runtime, details, body)) return this.pages.sendError(res, 403, FORM_EXPIRED);
      if (details.prompt.name !== 'consent')
        return this.pages.sendError(res, 400, 'This sign-in step is already done.');
      const decision = field(body, 'decision');
      if (decision === 'deny') {
        await this.grants.record(runtime, details, req, 'denied');
        const result = { error: 'access_denied', error_description: 'the user denied the request' };
        return runtime.provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
      }
      if (decision !== 'approve') return this.pages.sendError(res, 400, 'Please choose Allow or Deny.');
      return this.grants.grantMissing(req, res, runtime, details);
    });
  }
}
