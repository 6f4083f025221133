import type { UserEntity } from '@app/identity';
import { UsersService } from '@app/identity';
import { CodeFactorsService, MfaService } from '@app/mfa';
import { CurrentPrincipal, SHARED_STATE, type SharedState, type Principal, RequirePermission } from '@app/platform';
import { effectiveSettings } from '@app/tenancy';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiPage } from '../common/api-page.decorator.js';
import { TenantProvisioningService } from '@app/provisioning';
import { SessionTerminationService } from '@app/sessions';
import { DEFAULT_PAGE, page } from '../common/paging.js';
import { CreateUserDto, SetPasswordDto, UpdateUserDto, UserDto, UserPageQueryDto } from './users.dto.js';

function userDto(user: UserEntity): UserDto {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    emailVerified: user.emailVerified,
    disabled: user.disabled,
    name: user.name,
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
  };
}

@ApiTags('users')
@ApiBearerAuth()
@Controller('admin/tenants/:slug/users')
export class UsersAdminController {
  constructor(
    private readonly tenants: TenantProvisioningService,
    private readonly users: UsersService,
    private readonly mfa: MfaService,
    private readonly codes: CodeFactorsService,
    private readonly termination: SessionTerminationService,
    @Inject(SHARED_STATE) private readonly store: SharedState,
  ) {}

  @Post()
  @RequirePermission('users:write')
  @ApiCreatedResponse({ type: UserDto })
  async create(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Body() body: CreateUserDto) {
    const tenant = await this.tenants.getFor(p, slug);
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
    const tenantId = (await this.tenants.getFor(p, slug)).id;
    const user = await this.users.update(tenantId, id, body);
    // A disabled user is signed out everywhere at once: sessions, grants, refresh tokens.
    if (body.disabled) await this.termination.endAll(tenantId, user.id);
    return userDto(user);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('users:write')
  async delete(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Param('id') id: string) {
    await this.users.delete((await this.tenants.getFor(p, slug)).id, id);
  }

  @Delete(':id/mfa')
  @HttpCode(204)
  @RequirePermission('users:write')
  async resetMfa(
    @CurrentPrincipal() p: Principal,
    @Param('slug') slug: string,
    @Param('id') id: string,
  ): Promise<void> {
    const tenantId = (await this.tenants.getFor(p, slug)).id;
    await this.users.get(tenantId, id);
    // The authenticator app and codes by email; passkeys are managed one by one (…/passkeys).
    await this.mfa.reset(tenantId, id);
    await this.codes.reset(tenantId, id);
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
    const tenant = await this.tenants.getFor(p, slug);
    await this.users.setPassword(tenant.id, id, body.password, effectiveSettings(tenant.settings).passwordPolicy);
    await this.termination.endAll(tenant.id, id);
  }

  /** Admin unlock: clears the failed-password and failed-code counters of the account, and its code-sending limits. */
  @Delete(':id/lockout')
  @HttpCode(204)
  @RequirePermission('users:write')
  async unlock(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Param('id') id: string): Promise<void> {
    const tenantId = (await this.tenants.getFor(p, slug)).id;
    const user = await this.users.get(tenantId, id);
    await this.store.failures.clear(tenantId, [
      `login:account:${user.username}`,
      `mfa:account:${user.id}`,
      `code-send:email:${user.id}:burst`,
      `code-send:email:${user.id}:hour`,
    ]);
  }

  @Get()
  @RequirePermission('users:read')
  @ApiPage(UserDto)
  async list(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Query() query: UserPageQueryDto) {
    const limit = query.limit ?? DEFAULT_PAGE;
    const rows = await this.users.list((await this.tenants.getFor(p, slug)).id, limit + 1, query.cursor, query.search);
    return page(rows, limit, userDto, (u) => u.username);
  }

  @Get(':id')
  @RequirePermission('users:read')
  @ApiOkResponse({ type: UserDto })
  async get(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Param('id') id: string) {
    return userDto(await this.users.get((await this.tenants.getFor(p, slug)).id, id));
  }
}
