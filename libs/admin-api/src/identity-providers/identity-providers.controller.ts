import { type IdentityProviderEntity, IdentityProvidersService } from '@app/federation';
import { RequirePermission } from '@app/platform';
import { TenantProvisioningService } from '@app/provisioning';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiPage } from '../common/api-page.decorator.js';
import { DEFAULT_PAGE, page, PageQueryDto } from '../common/paging.js';
import { CreateIdentityProviderDto, IdentityProviderDto, UpdateIdentityProviderDto } from './identity-providers.dto.js';

/** Upstream identity providers of a tenant; tenant scope is enforced by the global guard. */
@ApiTags('identity-providers')
@ApiBearerAuth()
@Controller('admin/tenants/:slug/identity-providers')
export class IdentityProvidersAdminController {
  constructor(
    private readonly tenants: TenantProvisioningService,
    private readonly providers: IdentityProvidersService,
  ) {}

  private async tenant(slug: string) {
    const tenant = await this.tenants.get(slug);
    return { id: tenant.id, issuer: this.tenants.issuerOf(tenant) };
  }

  @Post()
  @RequirePermission('providers:write')
  @ApiCreatedResponse({ type: IdentityProviderDto, description: 'no clientSecret in any answer' })
  async create(@Param('slug') slug: string, @Body() body: CreateIdentityProviderDto): Promise<IdentityProviderDto> {
    const tenant = await this.tenant(slug);
    return providerDto(await this.providers.create(tenant.id, body), tenant.issuer);
  }

  @Get()
  @RequirePermission('providers:read')
  @ApiPage(IdentityProviderDto)
  async list(@Param('slug') slug: string, @Query() query: PageQueryDto) {
    const tenant = await this.tenant(slug);
    const limit = query.limit ?? DEFAULT_PAGE;
    const rows = await this.providers.list(tenant.id, limit + 1, query.cursor);
    return page(
      rows,
      limit,
      (row) => providerDto(row, tenant.issuer),
      (row) => row.alias,
    );
  }

  @Get(':alias')
  @RequirePermission('providers:read')
  @ApiOkResponse({ type: IdentityProviderDto })
  async get(@Param('slug') slug: string, @Param('alias') alias: string): Promise<IdentityProviderDto> {
    const tenant = await this.tenant(slug);
    return providerDto(await this.providers.get(tenant.id, alias), tenant.issuer);
  }

  @Patch(':alias')
  @RequirePermission('providers:write')
  @ApiOkResponse({ type: IdentityProviderDto })
  async update(
    @Param('slug') slug: string,
    @Param('alias') alias: string,
    @Body() body: UpdateIdentityProviderDto,
  ): Promise<IdentityProviderDto> {
    const tenant = await this.tenant(slug);
    return providerDto(await this.providers.update(tenant.id, alias, body), tenant.issuer);
  }

  @Delete(':alias')
  @HttpCode(204)
  @RequirePermission('providers:write')
  async delete(@Param('slug') slug: string, @Param('alias') alias: string): Promise<void> {
    await this.providers.delete((await this.tenant(slug)).id, alias);
  }
}

function providerDto(provider: IdentityProviderEntity, issuer: string): IdentityProviderDto {
  return {
    id: provider.id,
    alias: provider.alias,
    displayName: provider.displayName,
    type: provider.type,
    issuer: provider.issuer,
    clientId: provider.clientId,
    scopes: provider.scopes,
    fallbacks: provider.fallbacks,
    jit: provider.jit,
    linkBy: provider.linkBy,
    enabled: provider.enabled,
    redirectUri: `${issuer}/broker/${provider.alias}/callback`,
    createdAt: provider.createdAt.toISOString(),
    updatedAt: provider.updatedAt.toISOString(),
  };
}
