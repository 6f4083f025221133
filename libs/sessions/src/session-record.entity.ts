import { TenantEntity } from '@app/tenancy';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';

/**
 * The queryable index of oidc-provider's sign-in sessions (which live in Redis). Keyed by
 * the session's public `uid`; the session's own id is a bearer secret (the cookie value)
 * and is never stored here.
 */
@Entity({ name: 'sessions' })
@Index('uq_sessions_tenant_uid', ['tenantId', 'uid'], { unique: true })
@Index('ix_sessions_tenant_account', ['tenantId', 'accountId'])
@Index('ix_sessions_expires_at', ['expiresAt'])
export class SessionRecordEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_sessions' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'fk_sessions_tenant' })
  tenant?: Relation<TenantEntity>;

  @Column({ type: 'varchar', length: 128 })
  uid: string;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId: string;

  @Column({ name: 'client_ids', type: 'jsonb', default: () => "'[]'" })
  clientIds: string[];

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 512, nullable: true })
  userAgent: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  lastSeenAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;
}
