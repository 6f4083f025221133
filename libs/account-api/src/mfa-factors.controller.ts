import { TenantRateLimitGuard } from '@app/api-rate-limits';
import { AuditService } from '@app/audit';
import { UsersService } from '@app/identity';
import { type CodeCheck, CodeFactorsService, MfaService } from '@app/mfa';
import { PasskeysService } from '@app/passkeys';
import {
  FAILURE_RULES,
  Public,
  SHARED_STATE,
  type SharedState,
  TooManyRequestsError,
  ValidationError,
} from '@app/platform';
import { TenantsRepository } from '@app/tenancy';
import { Body, Controller, Delete, Get, HttpCode, Inject, Post, Req, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AccountGuard, type AccountRequest } from './account.guard.js';
import { TotpCodeDto } from './account.dto.js';

const EMAIL = 'email';

/**
 * The user's second factors at a glance, and sign-in codes by email: turn on (a code to the
 * verified address, then that code back), turn off (a removal code, then that code back).
 */
@ApiExcludeController()
@Public()
@UseGuards(AccountGuard, TenantRateLimitGuard)
@Controller('t/:tenant/account/mfa')
export class AccountMfaFactorsController {
  constructor(
    private readonly users: UsersService,
    private readonly tenants: TenantsRepository,
    private readonly totp: MfaService,
    private readonly codes: CodeFactorsService,
    private readonly passkeys: PasskeysService,
    private readonly audit: AuditService,
    @Inject(SHARED_STATE) private readonly store: SharedState,
  ) {}

  @Get()
  async factors(@Req() request: AccountRequest) {
    const { tenantId, accountId } = request.account!;
    const user = await this.users.get(tenantId, accountId);
    const [totp, email, passkeys] = await Promise.all([
      this.totp.isActive(tenantId, accountId),
      this.codes.status(tenantId, user, EMAIL),
      this.passkeys.count(tenantId, accountId),
    ]);
    return { totp: { active: totp }, email, passkeys: { count: passkeys } };
  }

  /** Step 1: a code to the verified address (refused without one). */
  @Post('email')
  @HttpCode(202)
  async enrollEmail(@Req() request: AccountRequest) {
    const { tenantId, accountId } = request.account!;
    const tenant = await this.tenants.findById(tenantId);
    return this.codes.startEnrollment(tenant!, await this.users.get(tenantId, accountId), EMAIL);
  }

  @Post('email/verify')
  @HttpCode(200)
  async verifyEmail(@Req() request: AccountRequest, @Body() body: TotpCodeDto) {
    const { tenantId, accountId } = request.account!;
    await this.checked(request, 'enrolment', () => this.codes.confirmEnrollment(tenantId, accountId, EMAIL, body.code));
    await this.event(request, 'mfa.enrolled', 'success', { factor: EMAIL });
    return { factor: EMAIL, active: true };
  }

  /** A code that confirms turning email codes off. */
  @Post('email/code')
  @HttpCode(202)
  async removalCode(@Req() request: AccountRequest) {
    const { tenantId, accountId } = request.account!;
    const tenant = await this.tenants.findById(tenantId);
    return this.codes.sendCode(tenant!, await this.users.get(tenantId, accountId), EMAIL, 'remove');
  }

  @Delete('email')
  @HttpCode(204)
  async removeEmail(@Req() request: AccountRequest, @Body() body: TotpCodeDto): Promise<void> {
    const { tenantId, accountId } = request.account!;
    await this.checked(request, 'removal', () => this.codes.remove(tenantId, accountId, EMAIL, body.code));
    await this.event(request, 'mfa.removed', 'success', { factor: EMAIL });
  }

  /** Wrong codes count like wrong second factors at sign-in (5 per 5 minutes), and each code has 5 tries. */
  private async checked(request: AccountRequest, during: string, check: () => Promise<CodeCheck>): Promise<void> {
    const { tenantId, accountId } = request.account!;
    const limit = await this.store.failures.reserve(tenantId, [
      [`mfa:account:${accountId}`, FAILURE_RULES.secondFactorPerAccount],
    ]);
    if (limit.blocked) throw new TooManyRequestsError(limit.retryAfterSeconds, 'too many wrong codes; retry later');
    const outcome = await check();
    if (outcome === 'ok') return limit.succeeded();
    await this.event(request, 'mfa.failure', 'failure', { factor: EMAIL, during, reason: outcome });
    if (outcome === 'exhausted')
      throw new TooManyRequestsError(
        FAILURE_RULES.codeSendBurstPerAccount.windowSeconds,
        'this code was tried too often; ask for a new one',
      );
    throw new ValidationError('the code is not valid');
  }

  private event(request: AccountRequest, type: string, outcome: 'success' | 'failure', data: Record<string, unknown>) {
    const { tenantId, accountId } = request.account!;
    return this.audit.record(tenantId, {
      type,
      outcome,
      actor: { type: 'user', id: accountId },
      subject: accountId,
      ip: request.ip,
      userAgent: request.get('user-agent'),
      data,
    });
  }
}
