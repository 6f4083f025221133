import { AuditService } from '@app/audit';
import { UsersService } from '@app/identity';
import { PasskeyDto, passkeyDto, PasskeysService } from '@app/passkeys';
import { CurrentPrincipal, type Principal, RequirePermission } from '@app/platform';
import { TenantProvisioningService } from '@app/provisioning';
import { Controller, Delete, Get, HttpCode, Param, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiPage } from '../common/api-page.decorator.js';

/** A user's passkeys as an admin sees them: list, and delete one (a lost or stolen device). */
@ApiTags('users')
@ApiBearerAuth()
@Controller('admin/tenants/:slug/users/:id/passkeys')
export class UserPasskeysAdminController {
  constructor(
    private readonly tenants: TenantProvisioningService,
    private readonly users: UsersService,
    private readonly passkeys: PasskeysService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @RequirePermission('users:read')
  @ApiPage(PasskeyDto)
  async list(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Param('id') id: string) {
    const tenantId = (await this.tenants.getFor(p, slug)).id;
    const user = await this.users.get(tenantId, id);
    return { items: (await this.passkeys.list(tenantId, user.id)).map(passkeyDto), nextCursor: null };
  }

  @Delete(':pid')
  @HttpCode(204)
  @RequirePermission('users:write')
  @ApiNoContentResponse({ description: 'deleted; the passkey no longer signs in' })
  @ApiConflictResponse({ description: 'the user has no password and this is their last passkey' })
  async remove(
    @CurrentPrincipal() p: Principal,
    @Param('slug') slug: string,
    @Param('id') id: string,
    @Param('pid') pid: string,
    @Req() request: Request,
  ): Promise<void> {
    const tenantId = (await this.tenants.getFor(p, slug)).id;
    const user = await this.users.get(tenantId, id);
    const passkey = await this.passkeys.remove(tenantId, user.id, pid, !!user.passwordHash);
    await this.audit.record(tenantId, {
      type: 'passkey.deleted',
      outcome: 'success',
      actor: { type: p.kind, id: p.subject },
      clientId: p.clientId,
      subject: pid,
      ip: request.ip,
      userAgent: request.get('user-agent'),
      data: { name: passkey.name, userId: user.id, by: 'admin' },
    });
  }
}
