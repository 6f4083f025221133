import { TenantEntity } from '@app/tenancy';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  type Relation,
  UpdateDateColumn,
} from 'typeorm';

export const PROVIDER_TYPES = ['oidc', 'github', 'google', 'microsoft'] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];
export const LINK_POLICIES = ['verified-email', 'none'] as const;
export type LinkPolicy = (typeof LINK_POLICIES)[number];

/**
 * An upstream identity provider of one tenant ("Continue with …"). The alias names it in
 * URLs and links and never changes. The client secret is sealed with MASTER_KEY (bound to
 * the tenant and row id) and never leaves the service in clear except towards the upstream.
 */
@Entity({ name: 'identity_providers' })
@Index('uq_identity_providers_tenant_alias', ['tenantId', 'alias'], { unique: true })
export class IdentityProviderEntity {
  /** Generated in code: the sealed secret's associated data names it before the row exists. */
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_identity_providers' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'fk_identity_providers_tenant' })
  tenant?: Relation<TenantEntity>;

  @Column({ type: 'varchar', length: 64 })
  alias: string;

  @Column({ name: 'display_name', type: 'varchar', length: 128 })
  displayName: string;

  @Column({ type: 'varchar', length: 16 })
  type: ProviderType;

  /** The OpenID Provider's issuer (type oidc, microsoft); presets without discovery have none. */
  @Column({ type: 'varchar', length: 2048, nullable: true })
  issuer: string | null;

  @Column({ name: 'client_id', type: 'varchar', length: 512 })
  clientId: string;

  @Column({ name: 'client_secret_sealed', type: 'text' })
  clientSecretSealed: string;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  scopes: string[];

  /** Other aliases, in order, to offer while this one is unhealthy (used by the health model). */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  fallbacks: string[];

  /** Create the user on first sign-in (just in time); otherwise only existing, linked users. */
  @Column({ type: 'boolean', default: true })
  jit: boolean;

  @Column({ name: 'link_by', type: 'varchar', length: 32, default: 'verified-email' })
  linkBy: LinkPolicy;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
