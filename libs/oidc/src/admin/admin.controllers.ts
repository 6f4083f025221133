import type { ApiResourceEntity, ClientEntity } from '@app/clients';
import { ClientsService } from '@app/clients';
import type { UserEntity } from '@app/identity';
import { UsersService } from '@app/identity';
import { MfaService } from '@app/mfa';
import {
  assertTenantAccess,
  CurrentPrincipal,
  SHARED_STATE,
  type SharedState,
  type Principal,
  RequirePermission,
  SYSTEM_TENANT,
  SystemOnly,
} from '@app/platform';
import { effectiveSettings, type TenantEntity } from '@app/tenancy';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  ClientDto,
  CreateClientDto,
  CreateResourceDto,
  CreateTenantDto,
  CreateUserDto,
  PageQueryDto,
  ResourceDto,
  TenantDto,
  TenantStatsDto,
  UpdateClientDto,
  UpdateTenantDto,
  UserDto,
  UserPageQueryDto,
  UpdateUserDto,
  SetPasswordDto,
} from './admin.dto.js';
import { ApiPage } from './api-page.decorator.js';
import { TenantProvisioningService } from '@app/provisioning';
import { SessionTerminationService } from '@app/sessions';

const DEFAULT_PAGE = 20;

function page<T, D>(rows: T[], limit: number, map: (row: T) => D, cursorOf: (row: T) => string) {
  const items = rows.slice(0, limit);
  return { items: items.map(map), nextCursor: rows.length > limit ? cursorOf(items[items.length - 1]) : null };
}

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

function resourceDto(resource: ApiResourceEntity): ResourceDto {
  const { id, identifier, name, scopes, accessTokenTtl } = resource;
  return { id, identifier, name, scopes, accessTokenTtl };
}

function userDto(user: UserEntity): UserDto {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    emailVerified: user.emailVerified,
    disabled: user.disabled,
    createdAt: user.createdAt.toISOString(),
  };
}

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

@ApiTags('clients')
@ApiBearerAuth()
@Controller('admin/tenants/:slug')
export class ClientsAdminController {
  constructor(
    private readonly tenants: TenantProvisioningService,
    private readonly clients: ClientsService,
  ) {}

  private async tenantId(principal: Principal, slug: string): Promise<string> {
    assertTenantAccess(principal, slug);
    return (await this.tenants.get(slug)).id;
  }

  @Post('clients')
  @RequirePermission('clients:write')
  @ApiCreatedResponse({ type: ClientDto })
  async create(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Body() body: CreateClientDto) {
    const tenantId = await this.tenantId(p, slug);
    const { client, clientSecret } = await this.clients.create(tenantId, body, [this.tenants.adminResource]);
    return clientDto(client, clientSecret);
  }

  @Get('clients')
  @RequirePermission('clients:read')
  @ApiPage(ClientDto)
  async list(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Query() query: PageQueryDto) {
    const limit = query.limit ?? DEFAULT_PAGE;
    const rows = await this.clients.list(await this.tenantId(p, slug), limit + 1, query.cursor);
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
    return clientDto(await this.clients.get(await this.tenantId(p, slug), clientId));
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
    const tenantId = await this.tenantId(p, slug);
    return clientDto(await this.clients.update(tenantId, clientId, body, [this.tenants.adminResource]));
  }

  @Delete('clients/:clientId')
  @HttpCode(204)
  @RequirePermission('clients:write')
  async delete(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Param('clientId') clientId: string) {
    await this.clients.delete(await this.tenantId(p, slug), clientId);
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
    const { client, clientSecret } = await this.clients.rotateSecret(await this.tenantId(p, slug), clientId);
    return clientDto(client, clientSecret);
  }

  @Post('resources')
  @RequirePermission('clients:write')
  @ApiCreatedResponse({ type: ResourceDto })
  async createResource(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Body() body: CreateResourceDto) {
    const tenantId = await this.tenantId(p, slug);
    return resourceDto(await this.clients.createResource(tenantId, body, [this.tenants.adminResource]));
  }

  @Get('resources')
  @RequirePermission('clients:read')
  @ApiPage(ResourceDto)
  async listResources(@CurrentPrincipal() p: Principal, @Param('slug') slug: string) {
    const rows = await this.clients.listResources(await this.tenantId(p, slug));
    return { items: rows.map(resourceDto), nextCursor: null };
  }
}

@ApiTags('users')
@ApiBearerAuth()
@Controller('admin/tenants/:slug/users')
export class UsersAdminController {
  constructor(
    private readonly tenants: TenantProvisioningService,
    private readonly users: UsersService,
    private readonly mfa: MfaService,
    private readonly termination: SessionTerminationService,
    @Inject(SHARED_STATE) private readonly store: SharedState,
  ) {}

  private async tenantId(principal: Principal, slug: string): Promise<string> {
    return (await this.tenant(principal, slug)).id;
  }

  private async tenant(principal: Principal, slug: string): Promise<TenantEntity> {
    assertTenantAccess(principal, slug);
    return this.tenants.get(slug);
  }

  @Post()
  @RequirePermission('users:write')
  @ApiCreatedResponse({ type: UserDto })
  async create(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Body() body: CreateUserDto) {
    const tenant = await this.tenant(p, slug);
    return userDto(await this.users.create(tenant.id, body, effectiveSettings(tenant.settings).passwordPolicy));
  }

  @Patch(':id')
  @RequirePermission('users:write')
  @ApiOkResponse({ type: UserDto })
  async update(
    @CurrentPrincipal() p: Principal,
    @Param('slug') slug: string,
    @Param('id') id: string,
    @Body() body: UpdateUserDto,
  ) {
    const tenantId = await this.tenantId(p, slug);
    const user = await this.users.update(tenantId, id, body);
    // A disabled user is signed out everywhere at once: sessions, grants, refresh tokens.
    if (body.disabled) await this.termination.endAll(tenantId, user.id);
    return userDto(user);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('users:write')
  async delete(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Param('id') id: string) {
    await this.users.delete(await this.tenantId(p, slug), id);
  }

  @Delete(':id/mfa')
  @HttpCode(204)
  @RequirePermission('users:write')
  async resetMfa(
    @CurrentPrincipal() p: Principal,
    @Param('slug') slug: string,
    @Param('id') id: string,
  ): Promise<void> {
    const tenantId = await this.tenantId(p, slug);
    await this.users.get(tenantId, id);
    await this.mfa.reset(tenantId, id);
  }

  @Post(':id/password')
  @HttpCode(204)
  @RequirePermission('users:write')
  async resetPassword(
    @CurrentPrincipal() p: Principal,
    @Param('slug') slug: string,
    @Param('id') id: string,
    @Body() body: SetPasswordDto,
  ) {
    const tenant = await this.tenant(p, slug);
    await this.users.setPassword(tenant.id, id, body.password, effectiveSettings(tenant.settings).passwordPolicy);
    await this.termination.endAll(tenant.id, id);
  }

  /** Admin unlock: clears the failed-password and failed-code counters of the account. */
  @Delete(':id/lockout')
  @HttpCode(204)
  @RequirePermission('users:write')
  async unlock(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Param('id') id: string): Promise<void> {
    const tenantId = await this.tenantId(p, slug);
    const user = await this.users.get(tenantId, id);
    await this.store.failures.clear(tenantId, [`login:account:${user.username}`, `mfa:account:${user.id}`]);
  }

  @Get()
  @RequirePermission('users:read')
  @ApiPage(UserDto)
  async list(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Query() query: UserPageQueryDto) {
    const limit = query.limit ?? DEFAULT_PAGE;
    const rows = await this.users.list(await this.tenantId(p, slug), limit + 1, query.cursor, query.search);
    return page(rows, limit, userDto, (u) => u.username);
  }

  @Get(':id')
  @RequirePermission('users:read')
  @ApiOkResponse({ type: UserDto })
  async get(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Param('id') id: string) {
    return userDto(await this.users.get(await this.tenantId(p, slug), id));
  }
}
