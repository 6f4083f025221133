import type { ApiResourceEntity } from '@app/clients';
import { ClientsService } from '@app/clients';
import { CurrentPrincipal, type Principal, RequirePermission } from '@app/platform';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiPage } from '../common/api-page.decorator.js';
import { TenantProvisioningService } from '@app/provisioning';
import { CreateResourceDto, ResourceDto, UpdateResourceDto } from './resources.dto.js';

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

  @Get('resources/:id')
  @RequirePermission('clients:read')
  @ApiOkResponse({ type: ResourceDto })
  async getResource(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Param('id') id: string) {
    return resourceDto(await this.clients.getResource((await this.tenants.getFor(p, slug)).id, id));
  }

  /** Name, scopes and token lifetime; the identifier (the tokens' audience) never changes. */
  @Patch('resources/:id')
  @RequirePermission('clients:write')
  @ApiOkResponse({ type: ResourceDto })
  async updateResource(
    @CurrentPrincipal() p: Principal,
    @Param('slug') slug: string,
    @Param('id') id: string,
    @Body() body: UpdateResourceDto,
  ) {
    return resourceDto(await this.clients.updateResource((await this.tenants.getFor(p, slug)).id, id, body));
  }

  @Delete('resources/:id')
  @HttpCode(204)
  @RequirePermission('clients:write')
  async deleteResource(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Param('id') id: string) {
    await this.clients.deleteResource((await this.tenants.getFor(p, slug)).id, id);
  }
}
