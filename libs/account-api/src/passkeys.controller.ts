import { TenantRateLimitGuard } from '@app/api-rate-limits';
import { AuditService } from '@app/audit';
import { UsersService } from '@app/identity';
import { type PasskeyDto, passkeyDto, PasskeyRejectedError, PasskeysService } from '@app/passkeys';
import { Public } from '@app/platform';
import { deviceName } from '@app/sessions';
import { TenantsRepository } from '@app/tenancy';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Req, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AccountGuard, type AccountRequest } from './account.guard.js';
import { PasskeyNameDto, RegisterPasskeyDto } from './passkeys.dto.js';

/**
 * The signed-in user's passkeys (`{issuer}/account/passkeys`): register one in two steps
 * (options for `navigator.credentials.create()`, then what the browser answered), list,
 * rename and delete them. Every change is an audit event.
 */
@ApiExcludeController()
@Public()
@UseGuards(AccountGuard, TenantRateLimitGuard)
@Controller('t/:tenant/account/passkeys')
export class AccountPasskeysController {
  constructor(
    private readonly passkeys: PasskeysService,
    private readonly users: UsersService,
    private readonly tenants: TenantsRepository,
    private readonly audit: AuditService,
  ) {}

  @Get()
  async list(@Req() request: AccountRequest): Promise<{ items: PasskeyDto[]; nextCursor: null }> {
    const { tenantId, accountId } = request.account!;
    return { items: (await this.passkeys.list(tenantId, accountId)).map(passkeyDto), nextCursor: null };
  }

  @Post('registration-options')
  @HttpCode(200)
  async registrationOptions(@Req() request: AccountRequest) {
    const { tenantId, accountId } = request.account!;
    const tenant = await this.tenants.findById(tenantId);
    return this.passkeys.registrationOptions(tenant!, await this.users.get(tenantId, accountId));
  }

  @Post()
  async register(@Req() request: AccountRequest, @Body() body: RegisterPasskeyDto): Promise<PasskeyDto> {
    const { tenantId, accountId } = request.account!;
    const tenant = await this.tenants.findById(tenantId);
    const user = await this.users.get(tenantId, accountId);
    const name = body.name?.trim() || deviceName(request.get('user-agent'));
    try {
      const passkey = await this.passkeys.register(tenant!, user, name, body.response);
      await this.event(request, 'passkey.registered', 'success', passkey.id, {
        name: passkey.name,
        deviceType: passkeyDto(passkey).deviceType,
      });
      return passkeyDto(passkey);
    } catch (error) {
      if (error instanceof PasskeyRejectedError)
        await this.event(request, 'passkey.failure', 'failure', accountId, {
          reason: error.reason,
          during: 'registration',
        });
      throw error;
    }
  }

  @Patch(':id')
  async rename(
    @Req() request: AccountRequest,
    @Param('id') id: string,
    @Body() body: PasskeyNameDto,
  ): Promise<PasskeyDto> {
    const { tenantId, accountId } = request.account!;
    const before = await this.passkeys.get(tenantId, accountId, id);
    const passkey = await this.passkeys.rename(tenantId, accountId, id, body.name.trim());
    await this.event(request, 'passkey.renamed', 'success', id, { before: before.name, after: passkey.name });
    return passkeyDto(passkey);
  }

  /** Refused (409) when it is the last way in: no password and no other passkey. */
  @Delete(':id')
  @HttpCode(204)
  async remove(@Req() request: AccountRequest, @Param('id') id: string): Promise<void> {
    const { tenantId, accountId } = request.account!;
    const user = await this.users.get(tenantId, accountId);
    const passkey = await this.passkeys.remove(tenantId, accountId, id, !!user.passwordHash);
    await this.event(request, 'passkey.deleted', 'success', id, { name: passkey.name, by: 'user' });
  }

  private event(
    request: AccountRequest,
    type: string,
    outcome: 'success' | 'failure',
    subject: string,
    data: Record<string, unknown>,
  ): Promise<void> {
    const { tenantId, accountId } = request.account!;
    return this.audit.record(tenantId, {
      type,
      outcome,
      actor: { type: 'user', id: accountId },
      subject,
      ip: request.ip,
      userAgent: request.get('user-agent'),
      data,
    });
  }
}
