import type { HealthState } from '@app/platform';
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

/** A tenant's receiver of signed event notifications. */
@Entity({ name: 'webhook_endpoints' })
@Index('ix_webhook_endpoints_tenant', ['tenantId', 'id'])
export class WebhookEndpointEntity {
  /** Generated in code: the sealed secret is bound to it before the row exists. */
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_webhook_endpoints' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'fk_webhook_endpoints_tenant' })
  tenant?: Relation<TenantEntity>;

  @Column({ type: 'varchar', length: 2048 })
  url: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  description: string | null;

  /** Exact types (`login.success`), prefixes (`login.*`) or `*`. */
  @Column({ name: 'event_types', type: 'jsonb', default: () => "'[]'" })
  eventTypes: string[];

  /** The signing secret sealed with MASTER_KEY: shown once, but needed again to sign every delivery. */
  @Column({ name: 'secret_sealed', type: 'text' })
  secretSealed: string;

  /** After a rotation with a grace period, the old secret also signs until `previousSecretExpiresAt`. */
  @Column({ name: 'previous_secret_sealed', type: 'text', nullable: true })
  previousSecretSealed: string | null;

  @Column({ name: 'previous_secret_expires_at', type: 'timestamptz', nullable: true })
  previousSecretExpiresAt: Date | null;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @Column({ name: 'disabled_reason', type: 'varchar', length: 200, nullable: true })
  disabledReason: string | null;

  @Column({ name: 'consecutive_failures', type: 'integer', default: 0 })
  consecutiveFailures: number;

  /** The health model's state (health-state.ts); null until the first delivery. */
  @Column({ type: 'jsonb', nullable: true })
  health: HealthState | null;

  @Column({ name: 'last_success_at', type: 'timestamptz', nullable: true })
  lastSuccessAt: Date | null;

  @Column({ name: 'last_failure_at', type: 'timestamptz', nullable: true })
  lastFailureAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
