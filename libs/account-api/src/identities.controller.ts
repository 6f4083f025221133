import { TenantRateLimitGuard } from '@app/api-rate-limits';
import { AuditService } from '@app/audit';
import { FederatedAccountsService } from '@app/federation';
import { PasskeysService } from '@app/passkeys';
import { Public } from '@app/platform';
import { Controller, Delete, Get, HttpCode, Param, Req, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AccountGuard, type AccountRequest } from './account.guard.js';

/**
 * The signed-in user's linked upstream accounts (`{issuer}/account/identities`). Unlinking
 * is refused (409) when it would leave no way to sign in: no password, no other linked
 * provider and no passkey.
 */
@ApiExcludeController()
@Public()
@UseGuards(AccountGuard, TenantRateLimitGuard)
@Controller('t/:tenant/account/identities')
export class AccountIdentitiesController {
  constructor(
    private readonly accounts: FederatedAccountsService,
    private readonly passkeys: PasskeysService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  async list(@Req() request: AccountRequest) {
    const { tenantId, accountId } = request.account!;
    const items = (await this.accounts.identities(tenantId, accountId)).map((identity) => ({
      alias: identity.alias,
      displayName: identity.displayName,
      type: identity.type,
      email: identity.email,
      linkedAt: identity.createdAt.toISOString(),
      lastUsedAt: identity.lastUsedAt?.toISOString() ?? null,
    }));
    return { items, nextCursor: null };
  }

  @Delete(':alias')
  @HttpCode(204)
  async unlink(@Req() request: AccountRequest, @Param('alias') alias: string): Promise<void> {
    const { tenantId, accountId } = request.account!;
    await this.accounts.unlink(
      tenantId,
      accountId,
      alias.slice(0, 64),
      async () => (await this.passkeys.count(tenantId, accountId)) > 0,
    );
    await this.audit.record(tenantId, {
      type: 'federation.unlinked',
      outcome: 'success',
      actor: { type: 'user', id: accountId },
      subject: accountId,
      ip: request.ip,
      userAgent: request.get('user-agent'),
      data: { provider: alias.slice(0, 64), by: 'user' },
    });
  }
}
