import { TenantEntity } from '@app/tenancy';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  UpdateDateColumn,
} from 'typeorm';

@Entity({ name: 'roles' })
@Index('uq_roles_tenant_name', ['tenantId', 'name'], { unique: true })
export class RoleEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_roles' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'fk_roles_tenant' })
  tenant?: Relation<TenantEntity>;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  description: string | null;

  /** `resource:action` strings, e.g. `users:read` or an API's own `orders:write`. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  permissions: string[];

  /** Names of roles this role includes (composite roles: admin > user > viewer > guest). */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  includes: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** Who holds a role: a user or a (service) client of the same tenant. */
export type PrincipalKind = 'user' | 'client';

@Entity({ name: 'role_assignments' })
@Index('uq_role_assignments', ['tenantId', 'principalKind', 'principalId', 'roleId'], { unique: true })
export class RoleAssignmentEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_role_assignments' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'fk_role_assignments_tenant' })
  tenant?: Relation<TenantEntity>;

  @Column({ name: 'principal_kind', type: 'varchar', length: 8 })
  principalKind: PrincipalKind;

  /** users.id or clients.id (the row id, not the public client_id). */
  @Column({ name: 'principal_id', type: 'uuid' })
  principalId: string;

  @Column({ name: 'role_id', type: 'uuid' })
  roleId: string;

  @ManyToOne(() => RoleEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'role_id', foreignKeyConstraintName: 'fk_role_assignments_role' })
  role?: Relation<RoleEntity>;
}
