import type { ApiResourceEntity } from '@app/clients';
import { ApiResourcesService } from '@app/clients';
import { CurrentPrincipal, type Principal, RequirePermission } from '@app/platform';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ApiPage } from '../common/api-page.decorator.js';
import { TenantProvisioningService } from '@app/provisioning';
import { CreateResourceDto, ResourceDto, UpdateResourceDto } from './resources.dto.js';

function resourceDto(resource: ApiResourceEntity): ResourceDto {
  const { id, identifier, name, scopes, scopeDescriptions, accessTokenTtl, introspectionClients } = resource;
  return { id, identifier, name, scopes, scopeDescriptions, accessTokenTtl, introspectionClients };
}

/** API resources (RFC 8707 resource indicators) a tenant's clients may ask tokens for. */
@ApiTags('clients')
@ApiBearerAuth()
@Controller('admin/tenants/:slug')
export class ResourcesAdminController {
  constructor(
    private readonly tenants: TenantProvisioningService,
    private readonly resources: ApiResourcesService,
  ) {}

  private async tenantId(p: Principal, slug: string): Promise<string> {
    return (await this.tenants.getFor(p, slug)).id;
  }

  @Post('resources')
  @RequirePermission('clients:write')
  @ApiCreatedResponse({ type: ResourceDto })
  async createResource(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Body() body: CreateResourceDto) {
    const tenantId = await this.tenantId(p, slug);
    return resourceDto(await this.resources.create(tenantId, body, [this.tenants.adminResource]));
  }

  @Get('resources')
  @RequirePermission('clients:read')
  @ApiPage(ResourceDto)
  async listResources(@CurrentPrincipal() p: Principal, @Param('slug') slug: string) {
    const rows = await this.resources.list(await this.tenantId(p, slug));
    return { items: rows.map(resourceDto), nextCursor: null };
  }

  @Get('resources/:id')
  @RequirePermission('clients:read')
  @ApiOkResponse({ type: ResourceDto })
  async getResource(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Param('id') id: string) {
    return resourceDto(await this.resources.get(await this.tenantId(p, slug), id));
  }

  @Patch('resources/:id')
  @RequirePermission('clients:write')
  @ApiOkResponse({ type: ResourceDto })
  @ApiConflictResponse({ description: 'a removed scope is still held by an API key or granted by a role' })
  async updateResource(
    @CurrentPrincipal() p: Principal,
    @Param('slug') slug: string,
    @Param('id') id: string,
    @Body() body: UpdateResourceDto,
  ) {
    return resourceDto(await this.resources.update(await this.tenantId(p, slug), id, body));
  }

  @Delete('resources/:id')
  @HttpCode(204)
  @RequirePermission('clients:write')
  @ApiNoContentResponse({ description: 'deleted' })
  @ApiConflictResponse({ description: 'clients are allowed it, API keys are bound to it, or roles grant its scopes' })
  async deleteResource(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Param('id') id: string) {
    await this.resources.delete(await this.tenantId(p, slug), id);
  }
}
