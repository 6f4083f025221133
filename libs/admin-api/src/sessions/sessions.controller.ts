import { UsersService } from '@app/identity';
import { RequirePermission } from '@app/platform';
import { SessionDto, sessionDto, SessionsService, SessionTerminationService } from '@app/sessions';
import { Controller, Delete, Get, HttpCode, NotFoundException, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiPage } from '../common/api-page.decorator.js';
import { TenantProvisioningService } from '@app/provisioning';

@ApiTags('sessions')
@ApiBearerAuth()
@Controller('admin/tenants/:slug/users/:id/sessions')
export class SessionsAdminController {
  constructor(
    private readonly tenants: TenantProvisioningService,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly termination: SessionTerminationService,
  ) {}

  private async user(slug: string, id: string) {
    const tenant = await this.tenants.get(slug);
    return { tenantId: tenant.id, user: await this.users.get(tenant.id, id) };
  }

  @Get()
  @RequirePermission('sessions:read')
  @ApiPage(SessionDto)
  async list(@Param('slug') slug: string, @Param('id') id: string) {
    const { tenantId, user } = await this.user(slug, id);
    return { items: (await this.sessions.listForAccount(tenantId, user.id)).map(sessionDto), nextCursor: null };
  }

  @Delete(':sid')
  @HttpCode(204)
  @RequirePermission('sessions:write')
  async endOne(@Param('slug') slug: string, @Param('id') id: string, @Param('sid') sid: string): Promise<void> {
    const { tenantId, user } = await this.user(slug, id);
    if (!(await this.termination.end(tenantId, user.id, sid))) throw new NotFoundException('session not found');
  }

  @Delete()
  @HttpCode(204)
  @RequirePermission('sessions:write')
  async endAll(@Param('slug') slug: string, @Param('id') id: string): Promise<void> {
    const { tenantId, user } = await this.user(slug, id);
    await this.termination.endAll(tenantId, user.id);
  }
}
