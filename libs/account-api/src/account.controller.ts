import { UsersService } from '@app/identity';
import { MfaService } from '@app/mfa';
import { AuditService } from '@app/audit';
import { SHARED_STATE, type SharedState, Public, verifyPassword } from '@app/platform';
import { SessionsService, SessionTerminationService, sessionDto } from '@app/sessions';
import { effectiveSettings, TenantsRepository, lockoutRule } from '@app/tenancy';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpException,
  Inject,
  NotFoundException,
  Param,
  Post,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { TenantRateLimitGuard } from '@app/api-rate-limits';
import { ChangePasswordDto, TotpCodeDto } from './account.dto.js';
import { accountProfile } from './account-profile.js';
import { AccountGuard, type AccountPrincipal, type AccountRequest } from './account.guard.js';

class WrongPasswordError extends HttpException {
  constructor() {
    super({ message: 'the current password is not correct' }, 400);
  }
}

/**
 * The signed-in user's own account (`{issuer}/account`). @Public() opts out of the admin
 * guard only; AccountGuard then requires the user's own access token.
 */
@ApiExcludeController()
@Public()
@UseGuards(AccountGuard, TenantRateLimitGuard)
@Controller('t/:tenant/account')
export class AccountController {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly termination: SessionTerminationService,
    private readonly tenants: TenantsRepository,
    private readonly mfa: MfaService,
    private readonly audit: AuditService,
    @Inject(SHARED_STATE) private readonly store: SharedState,
  ) {}

  private principal(request: AccountRequest): AccountPrincipal {
    return request.account!;
  }

  @Get()
  async profile(@Req() request: AccountRequest) {
    const { tenantId, accountId } = this.principal(request);
    return accountProfile(await this.users.get(tenantId, accountId));
  }

  @Get('sessions')
  async listSessions(@Req() request: AccountRequest) {
    const { tenantId, accountId, sessionUid } = this.principal(request);
    const records = await this.sessions.listForAccount(tenantId, accountId);
    return {
      items: records.map((record) => ({ ...sessionDto(record), current: record.uid === sessionUid })),
      nextCursor: null,
    };
  }

  @Delete('sessions/:sid')
  @HttpCode(204)
  async endSession(@Req() request: AccountRequest, @Param('sid') sid: string): Promise<void> {
    const { tenantId, accountId } = this.principal(request);
    if (!(await this.termination.end(tenantId, accountId, sid))) throw new NotFoundException('session not found');
    await this.event(request, 'session.revoked', { subject: sid });
  }

  /** Step 1 of enrollment: a secret to scan; nothing changes at sign-in until it is verified. */
  @Post('mfa/totp')
  async enrollTotp(@Req() request: AccountRequest) {
    const { tenantId, accountId } = this.principal(request);
    const user = await this.users.get(tenantId, accountId);
    const tenant = await this.tenants.findById(tenantId);
    return this.mfa.startEnrollment(tenantId, user, tenant!.displayName);
  }

  @Post('mfa/totp/verify')
  @HttpCode(200)
  async verifyTotp(@Req() request: AccountRequest, @Body() body: TotpCodeDto) {
    const { tenantId, accountId } = this.principal(request);
    const recoveryCodes = await this.mfa.activate(tenantId, accountId, body.code);
    await this.event(request, 'mfa.enrolled', { data: { factor: 'totp' } });
    return { recoveryCodes };
  }

  @Delete('mfa/totp')
  @HttpCode(204)
  async removeTotp(@Req() request: AccountRequest, @Body() body: TotpCodeDto): Promise<void> {
    const { tenantId, accountId } = this.principal(request);
    await this.mfa.remove(tenantId, accountId, body.code);
    await this.event(request, 'mfa.removed', { data: { factor: 'totp' } });
  }

  /** Changing the password ends every other session of the user (and their tokens). */
  @Post('password')
  @HttpCode(204)
  async changePassword(
    @Req() request: AccountRequest,
    @Body() body: ChangePasswordDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    const { tenantId, accountId, sessionUid } = this.principal(request);
    const limitKey = `account-password:${accountId}`;
    const tenant = await this.tenants.findById(tenantId);
    const rule = lockoutRule(tenant!.settings);
    const limit = await this.store.failures.check(tenantId, [[limitKey, rule]]);
    if (limit.blocked) {
      response.setHeader('retry-after', String(limit.retryAfterSeconds));
      throw new HttpException({ message: 'too many wrong passwords; retry later' }, 429);
    }
    const user = await this.users.get(tenantId, accountId);
    if (!(await verifyPassword(user.passwordHash ?? '', body.currentPassword))) {
      await this.store.failures.recordFailure(tenantId, limitKey, rule);
      throw new WrongPasswordError();
    }
    await this.users.setPassword(
      tenantId,
      accountId,
      body.newPassword,
      effectiveSettings(tenant!.settings).passwordPolicy,
    );
    const ended = await this.termination.endAll(tenantId, accountId, sessionUid);
    await this.event(request, 'password.changed', { data: { otherSessionsEnded: ended } });
  }

  private event(
    request: AccountRequest,
    type: string,
    extra: { subject?: string; data?: Record<string, unknown> } = {},
  ) {
    const { tenantId, accountId } = this.principal(request);
    return this.audit.record(tenantId, {
      type,
      outcome: 'success',
      actor: { type: 'user', id: accountId },
      subject: extra.subject ?? accountId,
      ip: request.ip,
      userAgent: request.get('user-agent'),
      data: extra.data,
    });
  }
}
