import type { ApiResourceEntity } from '@app/clients';
import { ClientsService } from '@app/clients';
import { CurrentPrincipal, type Principal, RequirePermission } from '@app/platform';
import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { ApiPage } from '../common/api-page.decorator.js';
import { TenantProvisioningService } from '@app/provisioning';
import { CreateResourceDto, ResourceDto } from './resources.dto.js';

function resourceDto(resource: ApiResourceEntity): ResourceDto {
  const { id, identifier, name, scopes, accessTokenTtl } = resource;
  return { id, identifier, name, scopes, accessTokenTtl };
}

/** API resources (RFC 8707 resource indicators) a tenant's clients may ask tokens for. */
@ApiTags('clients')
@ApiBearerAuth()
@Controller('admin/tenants/:slug')
export class ResourcesAdminController {
  constructor(
    private readonly tenants: TenantProvisioningService,
    private readonly clients: ClientsService,
  ) {}

  @Post('resources')
  @RequirePermission('clients:write')
  @ApiCreatedResponse({ type: ResourceDto })
  async createResource(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Body() body: CreateResourceDto) {
    const tenantId = (await this.tenants.getFor(p, slug)).id;
    return resourceDto(await this.clients.createResource(tenantId, body, [this.tenants.adminResource]));
  }

  @Get('resources')
  @RequirePermission('clients:read')
  @ApiPage(ResourceDto)
  async listResources(@CurrentPrincipal() p: Principal, @Param('slug') slug: string) {
    const rows = await this.clients.listResources((await this.tenants.getFor(p, slug)).id);
    return { items: rows.map(resourceDto), nextCursor: null };
  }
}
