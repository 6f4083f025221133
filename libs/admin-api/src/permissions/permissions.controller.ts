import { CurrentPrincipal, type Principal, RequirePermission } from '@app/platform';
import { TenantProvisioningService } from '@app/provisioning';
import { PermissionRegistry } from '@app/rbac';
import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PermissionListDto } from './permissions.dto.js';

/** The permission registry: what roles may grant. */
@ApiTags('roles')
@ApiBearerAuth()
@Controller('admin/tenants/:slug')
export class PermissionsAdminController {
  constructor(
    private readonly tenants: TenantProvisioningService,
    private readonly permissions: PermissionRegistry,
  ) {}

  @Get('permissions')
  @RequirePermission('roles:read')
  @ApiOperation({
    summary: 'Permissions roles may grant',
    description:
      'The admin API permissions (by resource type), then each API resource’s scopes (by identifier). ' +
      'Roles refuse any other name with 400; `type:*` grants every action of a type.',
  })
  @ApiOkResponse({ type: PermissionListDto })
  async list(@CurrentPrincipal() p: Principal, @Param('slug') slug: string): Promise<PermissionListDto> {
    const items = await this.permissions.list((await this.tenants.getFor(p, slug)).id);
    return { items, nextCursor: null };
  }
}
