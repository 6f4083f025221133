import type { ClientEntity } from '@app/clients';
import { ClientsService } from '@app/clients';
import { CurrentPrincipal, type Principal, RequirePermission } from '@app/platform';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiPage } from '../common/api-page.decorator.js';
import { TenantProvisioningService } from '@app/provisioning';
import { DEFAULT_PAGE, page, PageQueryDto } from '../common/paging.js';
import { ClientDto, CreateClientDto, UpdateClientDto } from './clients.dto.js';

function clientDto(client: ClientEntity, clientSecret?: string): ClientDto {
  return {
    id: client.id,
    clientId: client.clientId,
    ...(clientSecret ? { clientSecret } : {}),
    name: client.name,
    applicationType: client.applicationType,
    redirectUris: client.redirectUris,
    postLogoutRedirectUris: client.postLogoutRedirectUris,
    scopes: client.scopes,
    resources: client.resources,
    firstParty: client.firstParty,
    createdAt: client.createdAt.toISOString(),
  };
}

@ApiTags('clients')
@ApiBearerAuth()
@Controller('admin/tenants/:slug')
export class ClientsAdminController {
  constructor(
    private readonly tenants: TenantProvisioningService,
    private readonly clients: ClientsService,
  ) {}

  @Post('clients')
  @RequirePermission('clients:write')
  @ApiCreatedResponse({ type: ClientDto })
  async create(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Body() body: CreateClientDto) {
    const tenantId = (await this.tenants.getFor(p, slug)).id;
    const { client, clientSecret } = await this.clients.create(tenantId, body, [this.tenants.adminResource]);
    return clientDto(client, clientSecret);
  }

  @Get('clients')
  @RequirePermission('clients:read')
  @ApiPage(ClientDto)
  async list(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Query() query: PageQueryDto) {
    const limit = query.limit ?? DEFAULT_PAGE;
    const rows = await this.clients.list((await this.tenants.getFor(p, slug)).id, limit + 1, query.cursor);
    return page(
      rows,
      limit,
      (c) => clientDto(c),
      (c) => c.clientId,
    );
  }

  @Get('clients/:clientId')
  @RequirePermission('clients:read')
  @ApiOkResponse({ type: ClientDto })
  async get(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Param('clientId') clientId: string) {
    return clientDto(await this.clients.get((await this.tenants.getFor(p, slug)).id, clientId));
  }

  @Patch('clients/:clientId')
  @RequirePermission('clients:write')
  @ApiOkResponse({ type: ClientDto })
  async update(
    @CurrentPrincipal() p: Principal,
    @Param('slug') slug: string,
    @Param('clientId') clientId: string,
    @Body() body: UpdateClientDto,
  ) {
    const tenantId = (await this.tenants.getFor(p, slug)).id;
    return clientDto(await this.clients.update(tenantId, clientId, body, [this.tenants.adminResource]));
  }

  @Delete('clients/:clientId')
  @HttpCode(204)
  @RequirePermission('clients:write')
  async delete(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Param('clientId') clientId: string) {
    await this.clients.delete((await this.tenants.getFor(p, slug)).id, clientId);
  }

  @Post('clients/:clientId/secret')
  @HttpCode(200)
  @RequirePermission('clients:write')
  @ApiOkResponse({ type: ClientDto })
  async rotateSecret(
    @CurrentPrincipal() p: Principal,
    @Param('slug') slug: string,
    @Param('clientId') clientId: string,
  ) {
    const { client, clientSecret } = await this.clients.rotateSecret((await this.tenants.getFor(p, slug)).id, clientId);
    return clientDto(client, clientSecret);
  }
}
