import { ClientsService } from '@app/clients';
import { UsersService } from '@app/identity';
import { CurrentPrincipal, type Principal, RequirePermission } from '@app/platform';
import { RbacService, type RoleEntity } from '@app/rbac';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AssignedRolesDto, AssignRolesDto, CreateRoleDto, RoleDto, UpdateRoleDto } from './roles.dto.js';
import { ApiPage } from '../common/api-page.decorator.js';
import { TenantProvisioningService } from '@app/provisioning';

function roleDto(role: RoleEntity): RoleDto {
  const { id, name, description, permissions, includes } = role;
  return { id, name, description, permissions, includes };
}

@ApiTags('roles')
@ApiBearerAuth()
@Controller('admin/tenants/:slug')
export class RolesAdminController {
  constructor(
    private readonly tenants: TenantProvisioningService,
    private readonly rbac: RbacService,
    private readonly users: UsersService,
    private readonly clients: ClientsService,
  ) {}

  @Post('roles')
  @RequirePermission('roles:write')
  @ApiCreatedResponse({ type: RoleDto })
  async create(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Body() body: CreateRoleDto) {
    return roleDto(await this.rbac.createRole((await this.tenants.getFor(p, slug)).id, body));
  }

  @Get('roles')
  @RequirePermission('roles:read')
  @ApiPage(RoleDto)
  async list(@CurrentPrincipal() p: Principal, @Param('slug') slug: string) {
    return {
      items: (await this.rbac.listRoles((await this.tenants.getFor(p, slug)).id)).map(roleDto),
      nextCursor: null,
    };
  }

  @Get('roles/:id')
  @RequirePermission('roles:read')
  @ApiOkResponse({ type: RoleDto })
  async get(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Param('id') id: string) {
    return roleDto(await this.rbac.getRole((await this.tenants.getFor(p, slug)).id, id));
  }

  @Patch('roles/:id')
  @RequirePermission('roles:write')
  @ApiOkResponse({ type: RoleDto })
  async update(
    @CurrentPrincipal() p: Principal,
    @Param('slug') slug: string,
    @Param('id') id: string,
    @Body() body: UpdateRoleDto,
  ) {
    return roleDto(await this.rbac.updateRole((await this.tenants.getFor(p, slug)).id, id, body));
  }

  @Delete('roles/:id')
  @HttpCode(204)
  @RequirePermission('roles:write')
  async delete(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Param('id') id: string) {
    await this.rbac.deleteRole((await this.tenants.getFor(p, slug)).id, id);
  }

  @Put('users/:id/roles')
  @RequirePermission('roles:write')
  @ApiOkResponse({ type: AssignedRolesDto })
  async assignToUser(
    @CurrentPrincipal() p: Principal,
    @Param('slug') slug: string,
    @Param('id') id: string,
    @Body() body: AssignRolesDto,
  ): Promise<AssignedRolesDto> {
    const tenantId = (await this.tenants.getFor(p, slug)).id;
    const user = await this.users.get(tenantId, id);
    return { roles: await this.rbac.assign(tenantId, 'user', user.id, body.roles) };
  }

  @Get('users/:id/roles')
  @RequirePermission('roles:read')
  @ApiOkResponse({ type: AssignedRolesDto })
  async rolesOfUser(@CurrentPrincipal() p: Principal, @Param('slug') slug: string, @Param('id') id: string) {
    const tenantId = (await this.tenants.getFor(p, slug)).id;
    const user = await this.users.get(tenantId, id);
    return { roles: await this.rbac.assignedRoles(tenantId, 'user', user.id) };
  }

  @Put('clients/:clientId/roles')
  @RequirePermission('roles:write')
  @ApiOkResponse({ type: AssignedRolesDto })
  async assignToClient(
    @CurrentPrincipal() p: Principal,
    @Param('slug') slug: string,
    @Param('clientId') clientId: string,
    @Body() body: AssignRolesDto,
  ): Promise<AssignedRolesDto> {
    const tenantId = (await this.tenants.getFor(p, slug)).id;
    const client = await this.clients.get(tenantId, clientId);
    return { roles: await this.rbac.assign(tenantId, 'client', client.id, body.roles) };
  }

  @Get('clients/:clientId/roles')
  @RequirePermission('roles:read')
  @ApiOkResponse({ type: AssignedRolesDto })
  async rolesOfClient(
    @CurrentPrincipal() p: Principal,
    @Param('slug') slug: string,
    @Param('clientId') clientId: string,
  ) {
    const tenantId = (await this.tenants.getFor(p, slug)).id;
    const client = await this.clients.get(tenantId, clientId);
    return { roles: await this.rbac.assignedRoles(tenantId, 'client', client.id) };
  }
}
