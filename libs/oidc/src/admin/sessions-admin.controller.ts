import { UsersService } from '@app/identity';
import { RequirePermission } from '@app/platform';
import { deviceName, type SessionRecordEntity, SessionsService } from '@app/sessions';
import { Controller, Delete, Get, HttpCode, NotFoundException, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { SessionTerminationService } from '../sessions/session-termination.service.js';
import { ApiPage } from './api-page.decorator.js';
import { TenantProvisioningService } from './tenant-provisioning.service.js';

export class SessionDto {
  @ApiProperty({ description: 'the session id (public; not the cookie value)' }) id: string;
  @ApiProperty({ type: [String], description: 'client ids signed into with this session' }) clients: string[];
  @ApiPropertyOptional() ip: string | null;
  @ApiPropertyOptional() userAgent: string | null;
  @ApiProperty({ example: 'Firefox 133 on Windows 10', description: 'readable name parsed from the user agent' })
  device: string;
  @ApiProperty() createdAt: string;
  @ApiProperty() lastSeenAt: string;
  @ApiProperty() expiresAt: string;
}

export function sessionDto(record: SessionRecordEntity): SessionDto {
  return {
    id: record.uid,
    clients: record.clientIds,
    ip: record.ip,
    userAgent: record.userAgent,
    device: deviceName(record.userAgent),
    createdAt: record.createdAt.toISOString(),
    lastSeenAt: record.lastSeenAt.toISOString(),
    expiresAt: record.expiresAt.toISOString(),
  };
}

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
