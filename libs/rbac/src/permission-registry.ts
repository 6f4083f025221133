import { ApiResourcesService, type ResourceChangeGuard } from '@app/clients';
import { ConflictError, ValidationError } from '@app/platform';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  expandWildcards,
  grantableNames,
  hasWildcard,
  isBuiltInPermission,
  permissionCatalog,
  type PermissionEntry,
  type ResourcePermissionSource,
  unknownPermissions,
} from './permission-catalog.js';
import { RoleEntity } from './role.entity.js';

/**
 * The permissions of a tenant as first-class things: the admin API's own and each API
 * resource's scopes. Roles may grant only these (a typo such as `users:delete` is refused
 * instead of silently granting nothing), and an API resource may not lose a scope a role
 * grants (409) — the role would keep a permission that no longer means anything.
 */
@Injectable()
export class PermissionRegistry implements OnModuleInit {
  constructor(
    private readonly resources: ApiResourcesService,
    private readonly db: DataSource,
  ) {}

  onModuleInit(): void {
    this.resources.useChangeGuard(this.keepGrantedPermissions);
  }

  async list(tenantId: string): Promise<PermissionEntry[]> {
    return permissionCatalog(await this.resources.list(tenantId));
  }

  /** Throws a 400 naming every permission the tenant does not define. */
  async assertGrantable(tenantId: string, permissions: string[]): Promise<void> {
    if (!permissions.length) return;
    const unknown = unknownPermissions(permissions, await this.list(tenantId));
    if (unknown.length) {
      throw new ValidationError(
        `unknown permissions: ${unknown.join(', ')} (GET /admin/tenants/{slug}/permissions lists the defined ones)`,
      );
    }
  }

  /** The permissions with each `type:*` also spelt out as the registered actions of its type. */
  async expand(tenantId: string, permissions: string[]): Promise<string[]> {
    return hasWildcard(permissions) ? expandWildcards(permissions, await this.list(tenantId)) : permissions;
  }

  private readonly keepGrantedPermissions: ResourceChangeGuard = async (tenantId, { before, after }) => {
    const clashing = (after?.scopes ?? []).filter(isBuiltInPermission);
    if (clashing.length) {
      throw new ValidationError(`scopes may not take the names of admin API permissions: ${clashing.join(', ')}`);
    }
    if (!before) return;
    const current = await this.resources.list(tenantId);
    const others = current.filter((resource) => resource.identifier !== before.identifier);
    const next: ResourcePermissionSource[] = after ? [...others, after] : others;
    const stillGrantable = grantableNames(permissionCatalog(next));
    const lost = [...grantableNames(permissionCatalog(current))].filter((name) => !stillGrantable.has(name));
    if (!lost.length) return;
    const roles = await this.db.getRepository(RoleEntity).find({ where: { tenantId }, order: { name: 'ASC' } });
    const uses = roles.flatMap((role) =>
      role.permissions.filter((p) => lost.includes(p)).map((p) => `${role.name} (${p})`),
    );
    if (uses.length) {
      throw new ConflictError(
        `roles grant permissions this change would remove: ${uses.join(', ')}; take them from the roles first`,
      );
    }
  };
}
