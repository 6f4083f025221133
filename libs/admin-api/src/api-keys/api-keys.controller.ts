import { type ApiKeyEntity, ApiKeysService, encodeApiKeyCursor } from '@app/clients';
import { CurrentPrincipal, type Principal, RequirePermission } from '@app/platform';
import { ADMIN_SCOPE } from '@app/protocol';
import { TenantProvisioningService } from '@app/provisioning';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiPage } from '../common/api-page.decorator.js';
import { DEFAULT_PAGE, page, PageQueryDto } from '../common/paging.js';
import { ApiKeyDto, CreateApiKeyDto, IssuedApiKeyDto, RegenerateApiKeyDto } from './api-keys.dto.js';

function apiKeyDto(key: ApiKeyEntity, clientId: string, lastUsedAt: Date | null): ApiKeyDto {
  return {
    id: key.id,
    clientId,
    name: key.name,
    hint: key.keyHint,
    resource: key.resource,
    scopes: key.scopes,
    expiresAt: key.expiresAt?.toISOString() ?? null,
    expired: !!key.expiresAt && key.expiresAt.getTime() <= Date.now(),
    lastUsedAt: lastUsedAt?.toISOString() ?? null,
    createdAt: key.createdAt.toISOString(),
    regeneratedAt: key.regeneratedAt?.toISOString() ?? null,
  };
}

const optionalDate = (value: string | null | undefined) =>
  value === undefined ? undefined : value === null ? null : new Date(value);

/** API keys of a service client: bearer credentials for integrations that cannot run an OAuth flow. */
@ApiTags('clients')
@ApiBearerAuth()
@Controller('admin/tenants/:slug/clients/:clientId/api-keys')
export class ApiKeysAdminController {
  constructor(
    private readonly tenants: TenantProvisioningService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  private async tenantId(p: Principal, slug: string): Promise<string> {
    return (await this.tenants.getFor(p, slug)).id;
  }

  private dto(key: ApiKeyEntity, clientId: string): ApiKeyDto {
    return apiKeyDto(key, clientId, this.apiKeys.lastUsedAt(key));
  }

  @Post()
  @RequirePermission('clients:write')
  @ApiOperation({ summary: 'Issue an API key (shown in this answer only)' })
  @ApiCreatedResponse({ type: IssuedApiKeyDto })
  async create(
    @CurrentPrincipal() p: Principal,
    @Param('slug') slug: string,
    @Param('clientId') clientId: string,
    @Body() body: CreateApiKeyDto,
  ): Promise<IssuedApiKeyDto> {
    const { key, apiKey } = await this.apiKeys.create(
      await this.tenantId(p, slug),
      clientId,
      { ...body, expiresAt: optionalDate(body.expiresAt) ?? undefined },
      [{ identifier: this.tenants.adminResource, scopes: [ADMIN_SCOPE] }],
    );
    return { ...this.dto(key, clientId), apiKey };
  }

  @Get()
  @RequirePermission('clients:read')
  @ApiPage(ApiKeyDto)
  async list(
    @CurrentPrincipal() p: Principal,
    @Param('slug') slug: string,
    @Param('clientId') clientId: string,
    @Query() query: PageQueryDto,
  ) {
    const limit = query.limit ?? DEFAULT_PAGE;
    const rows = await this.apiKeys.list(await this.tenantId(p, slug), clientId, limit + 1, query.cursor);
    return page(rows, limit, (key) => this.dto(key, clientId), encodeApiKeyCursor);
  }

  @Get(':id')
  @RequirePermission('clients:read')
  @ApiOkResponse({ type: ApiKeyDto })
  async get(
    @CurrentPrincipal() p: Principal,
    @Param('slug') slug: string,
    @Param('clientId') clientId: string,
    @Param('id') id: string,
  ): Promise<ApiKeyDto> {
    return this.dto(await this.apiKeys.get(await this.tenantId(p, slug), clientId, id), clientId);
  }

  @Post(':id/regenerate')
  @HttpCode(200)
  @RequirePermission('clients:write')
  @ApiOperation({ summary: 'A new key for the same grant; the old key stops working at once' })
  @ApiOkResponse({ type: IssuedApiKeyDto })
  async regenerate(
    @CurrentPrincipal() p: Principal,
    @Param('slug') slug: string,
    @Param('clientId') clientId: string,
    @Param('id') id: string,
    @Body() body: RegenerateApiKeyDto,
  ): Promise<IssuedApiKeyDto> {
    const tenantId = await this.tenantId(p, slug);
    const { key, apiKey } = await this.apiKeys.regenerate(tenantId, clientId, id, optionalDate(body?.expiresAt));
    return { ...this.dto(key, clientId), apiKey };
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('clients:write')
  @ApiOperation({ summary: 'Revoke an API key (also possible at the revocation endpoint, RFC 7009)' })
  @ApiNoContentResponse({ description: 'revoked: the key stops working at once' })
  async delete(
    @CurrentPrincipal() p: Principal,
    @Param('slug') slug: string,
    @Param('clientId') clientId: string,
    @Param('id') id: string,
  ): Promise<void> {
    await this.apiKeys.delete(await this.tenantId(p, slug), clientId, id);
  }
}
