import { AuditService } from '@app/audit';
import { UsersService } from '@app/identity';
import { Public, ValidationError } from '@app/platform';
import { SessionTerminationService } from '@app/sessions';
import { effectiveSettings } from '@app/tenancy';
import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { InteractionPages } from '../interaction/interaction-pages.js';
import { authenticatedLogin, field, FORM_EXPIRED } from '../interaction/interaction-state.js';
import { SecondFactorPages } from '../interaction/second-factor-pages.js';
import { SignInCompletion } from './sign-in-completion.service.js';

function sentence(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1) + '.';
}

/**
 * The password just used has expired (the tenant's maxAgeDays): the user, already past every
 * factor, chooses a new one — under the policy and history, never the expired one — and the
 * sign-in goes on. The user's other sessions end, as with any password change.
 */
@ApiExcludeController()
@Public()
@Controller('t/:tenant/interaction/:uid')
export class PasswordChangeController {
  constructor(
    private readonly pages: InteractionPages,
    private readonly factorPages: SecondFactorPages,
    private readonly completion: SignInCompletion,
    private readonly users: UsersService,
    private readonly termination: SessionTerminationService,
    private readonly audit: AuditService,
  ) {}

  @Post('password')
  async change(@Param('tenant') slug: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response) {
    await this.pages.withInteraction(slug, req, res, async (runtime, details) => {
      if (!this.pages.csrfValid(runtime, details, body)) return this.pages.sendError(res, 403, FORM_EXPIRED);
      const after = details.prompt.name === 'login' ? authenticatedLogin(details) : undefined;
      if (after?.step !== 'password-change')
        return this.pages.sendError(res, 400, 'This sign-in step is not expected.');
      const password = (field(body, 'newPassword') ?? '').slice(0, 1024);
      if (password !== (field(body, 'confirmPassword') ?? '').slice(0, 1024))
        return this.factorPages.sendPasswordChange(res, runtime, details, 'The two passwords are not the same.', 400);
      const tenantId = runtime.tenant.id;
      const { accountId } = after.login;
      const policy = effectiveSettings(runtime.tenant.settings).passwordPolicy;
      try {
        await this.users.setPassword(tenantId, accountId, password, policy, { notCurrent: true });
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return this.factorPages.sendPasswordChange(res, runtime, details, sentence(error.message), 400);
      }
      const ended = await this.termination.endAll(tenantId, accountId);
      await this.audit.record(tenantId, {
        type: 'password.changed',
        outcome: 'success',
        actor: { type: 'user', id: accountId },
        subject: accountId,
        clientId: String(details.params.client_id),
        ip: req.ip,
        userAgent: req.get('user-agent'),
        data: { reason: 'expired', otherSessionsEnded: ended },
      });
      await this.completion.authenticated(req, res, runtime, details, after.login, {
        ...after.done,
        passwordChanged: true,
      });
    });
  }
}
