import { ConflictError, NotFoundError, ValidationError } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { isUniqueViolation } from '@app/clients';
import { DataSource, type EntityManager, In } from 'typeorm';
import { createsCycle, effectiveAccess, type RoleNode } from './effective-access.js';
import { PermissionRegistry } from './permission-registry.js';
import { DEFAULT_ROLES } from './permissions.js';
import { type PrincipalKind, RoleAssignmentEntity, RoleEntity } from './role.entity.js';

export interface RoleInput {
  name: string;
  description?: string;
  permissions: string[];
  includes?: string[];
}

export type RbacChangedListener = (tenantId: string) => Promise<void>;

/** Roles of a tenant, their composition, and who holds them. */
@Injectable()
export class RbacService {
  private readonly listeners: RbacChangedListener[] = [];

  constructor(
    private readonly db: DataSource,
    private readonly permissions: PermissionRegistry,
  ) {}

  onChange(listener: RbacChangedListener): void {
    this.listeners.push(listener);
  }

  private async changed(tenantId: string): Promise<void> {
    await Promise.all(this.listeners.map((listener) => listener(tenantId)));
  }

  private roles(manager: EntityManager = this.db.manager) {
    return manager.getRepository(RoleEntity);
  }

  async seedDefaultRoles(tenantId: string, manager: EntityManager): Promise<void> {
    await this.roles(manager).save(DEFAULT_ROLES.map((role) => ({ ...role, tenantId })));
  }

  listRoles(tenantId: string): Promise<RoleEntity[]> {
    return this.roles().find({ where: { tenantId }, order: { name: 'ASC' } });
  }

  async getRole(tenantId: string, id: string): Promise<RoleEntity> {
    const role = /^[0-9a-f-]{36}$/i.test(id) ? await this.roles().findOneBy({ tenantId, id }) : null;
    if (!role) throw new NotFoundError('role');
    return role;
  }

  private async graph(tenantId: string): Promise<Map<string, RoleNode>> {
    return new Map((await this.listRoles(tenantId)).map((r) => [r.name, r]));
  }

  private async assertIncludes(tenantId: string, name: string, includes: string[]): Promise<void> {
    const graph = await this.graph(tenantId);
    const unknown = includes.filter((n) => !graph.has(n));
    if (unknown.length) throw new ValidationError(`unknown roles in includes: ${unknown.join(', ')}`);
    if (createsCycle(name, includes, graph)) throw new ValidationError('includes would make a role include itself');
  }

  async createRole(tenantId: string, input: RoleInput): Promise<RoleEntity> {
    const includes = [...new Set(input.includes ?? [])];
    await this.permissions.assertGrantable(tenantId, input.permissions);
    await this.assertIncludes(tenantId, input.name, includes);
    try {
      const role = await this.roles().save({
        tenantId,
        name: input.name,
        description: input.description ?? null,
        permissions: [...new Set(input.permissions)].sort(),
        includes,
      });
      await this.changed(tenantId);
      return role;
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError(`role "${input.name}" already exists`);
      throw error;
    }
  }

  async updateRole(tenantId: string, id: string, changes: Partial<Omit<RoleInput, 'name'>>): Promise<RoleEntity> {
    const role = await this.getRole(tenantId, id);
    if (changes.permissions) await this.permissions.assertGrantable(tenantId, changes.permissions);
    if (changes.includes) await this.assertIncludes(tenantId, role.name, [...new Set(changes.includes)]);
    await this.roles().update(
      { tenantId, id },
      {
        ...(changes.description !== undefined ? { description: changes.description } : {}),
        ...(changes.permissions ? { permissions: [...new Set(changes.permissions)].sort() } : {}),
        ...(changes.includes ? { includes: [...new Set(changes.includes)] } : {}),
      },
    );
    await this.changed(tenantId);
    return this.getRole(tenantId, id);
  }

  /** Assignments go with the role (cascade); roles that included it simply stop doing so. */
  async deleteRole(tenantId: string, id: string): Promise<void> {
    const role = await this.getRole(tenantId, id);
    await this.db.transaction(async (manager) => {
      const includers = await manager.getRepository(RoleEntity).find({ where: { tenantId } });
      for (const includer of includers.filter((r) => r.includes.includes(role.name))) {
        await manager
          .getRepository(RoleEntity)
          .update({ id: includer.id }, { includes: includer.includes.filter((n) => n !== role.name) });
      }
      await manager.getRepository(RoleEntity).delete({ tenantId, id });
    });
    await this.changed(tenantId);
  }

  /** Replaces the principal's roles with exactly these (by name). */
  async assign(tenantId: string, kind: PrincipalKind, principalId: string, names: string[]): Promise<string[]> {
    const wanted = [...new Set(names)];
    const roles = wanted.length ? await this.roles().findBy({ tenantId, name: In(wanted) }) : [];
    const unknown = wanted.filter((n) => !roles.some((r) => r.name === n));
    if (unknown.length) throw new ValidationError(`unknown roles: ${unknown.join(', ')}`);
    await this.db.transaction(async (manager) => {
      const assignments = manager.getRepository(RoleAssignmentEntity);
      await assignments.delete({ tenantId, principalKind: kind, principalId });
      if (roles.length) {
        await assignments.save(roles.map((role) => ({ tenantId, principalKind: kind, principalId, roleId: role.id })));
      }
    });
    await this.changed(tenantId);
    return wanted.sort();
  }

  /** Adds roles without removing others (idempotent bootstrap). */
  async grant(tenantId: string, kind: PrincipalKind, principalId: string, names: string[]): Promise<void> {
    const current = await this.assignedRoles(tenantId, kind, principalId);
    await this.assign(tenantId, kind, principalId, [...current, ...names]);
  }

  async assignedRoles(tenantId: string, kind: PrincipalKind, principalId: string): Promise<string[]> {
    const rows = await this.db.getRepository(RoleAssignmentEntity).find({
      where: { tenantId, principalKind: kind, principalId },
      relations: { role: true },
    });
    return rows.map((row) => row.role!.name).sort();
  }

  /**
   * Roles (expanded through composites) and permissions of a principal, for its tokens; a
   * wildcard (`users:*`) also brings the registered actions of its type by name.
   */
  async effective(tenantId: string, kind: PrincipalKind, principalId: string) {
    const [assigned, graph] = await Promise.all([
      this.assignedRoles(tenantId, kind, principalId),
      this.graph(tenantId),
    ]);
    const access = effectiveAccess(assigned, graph);
    return { roles: access.roles, permissions: await this.permissions.expand(tenantId, access.permissions) };
  }
}
