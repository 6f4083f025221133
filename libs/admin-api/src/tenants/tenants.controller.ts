import {
  assertTenantAccess,
  CurrentPrincipal,
  type Principal,
  RequirePermission,
  SYSTEM_TENANT,
  SystemOnly,
} from '@app/platform';
import { effectiveSettings, type TenantEntity } from '@app/tenancy';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiPage } from '../common/api-page.decorator.js';
import { TenantProvisioningService } from '@app/provisioning';
import { DEFAULT_PAGE, page, PageQueryDto } from '../common/paging.js';
import { CreateTenantDto, TenantDto, TenantStatsDto, UpdateTenantDto } from './tenants.dto.js';

@ApiTags('tenants')
@ApiBearerAuth()
@Controller('admin/tenants')
export class TenantsAdminController {
  constructor(private readonly tenants: TenantProvisioningService) {}

  private dto(tenant: TenantEntity): TenantDto {
    return {
      id: tenant.id,
      slug: tenant.slug,
      displayName: tenant.displayName,
      issuer: this.tenants.issuerOf(tenant),
      settings: { ...effectiveSettings(tenant.settings) },
      createdAt: tenant.createdAt.toISOString(),
    };
  }

  @Post()
  @SystemOnly()
  @RequirePermission('tenants:write')
  @ApiCreatedResponse({ type: TenantDto })
  async create(@Body() body: CreateTenantDto): Promise<TenantDto> {
    return this.dto(await this.tenants.create(body.slug, body.displayName));
  }

  @Get()
  @RequirePermission('tenants:read')
  @ApiPage(TenantDto)
  async list(@CurrentPrincipal() principal: Principal, @Query() query: PageQueryDto) {
    const limit = query.limit ?? DEFAULT_PAGE;
    if (principal.tenantSlug !== SYSTEM_TENANT) {
      return { items: [this.dto(await this.tenants.get(principal.tenantSlug))], nextCursor: null };
    }
    const rows = await this.tenants.list(limit + 1, query.cursor);
    return page(
      rows,
      limit,
      (t) => this.dto(t),
      (t) => t.slug,
    );
  }

  @Get(':slug')
  @RequirePermission('tenants:read')
  @ApiOkResponse({ type: TenantDto })
  async get(@CurrentPrincipal() principal: Principal, @Param('slug') slug: string): Promise<TenantDto> {
    assertTenantAccess(principal, slug);
    return this.dto(await this.tenants.get(slug));
  }

  @Get(':slug/stats')
  @RequirePermission('tenants:read')
  @ApiOkResponse({ type: TenantStatsDto })
  stats(@Param('slug') slug: string): Promise<TenantStatsDto> {
    return this.tenants.stats(slug);
  }

  @Patch(':slug')
  @RequirePermission('tenants:write')
  @ApiOkResponse({ type: TenantDto })
  async update(@CurrentPrincipal() principal: Principal, @Param('slug') slug: string, @Body() body: UpdateTenantDto) {
    assertTenantAccess(principal, slug);
    return this.dto(await this.tenants.update(slug, body));
  }

  @Delete(':slug')
  @HttpCode(204)
  @SystemOnly()
  @RequirePermission('tenants:write')
  async delete(@Param('slug') slug: string): Promise<void> {
    await this.tenants.delete(slug);
  }
}
