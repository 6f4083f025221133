import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type AuditOutcome = 'success' | 'failure';
export type AuditActorType = 'user' | 'client' | 'system' | 'anonymous';

/**
 * Append-only, hash-chained record of security events. The database refuses UPDATE and
 * DELETE (trigger); no foreign key to tenants, so a deleted tenant's trail survives it.
 */
@Entity({ name: 'audit_events' })
@Index('uq_audit_events_tenant_seq', ['tenantId', 'seq'], { unique: true })
@Index('ix_audit_events_tenant_subject_seq', ['tenantId', 'subject', 'seq'])
export class AuditEventEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_audit_events' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  /** Position in the tenant's chain, from 1. */
  @Column({ type: 'bigint' })
  seq: string;

  @Column({ type: 'varchar', length: 64 })
  type: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  @Column({ name: 'actor_type', type: 'varchar', length: 16 })
  actorType: AuditActorType;

  @Column({ name: 'actor_id', type: 'varchar', length: 128, nullable: true })
  actorId: string | null;

  @Column({ type: 'varchar', length: 256, nullable: true })
  subject: string | null;

  @Column({ name: 'client_id', type: 'varchar', length: 128, nullable: true })
  clientId: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 512, nullable: true })
  userAgent: string | null;

  @Column({ type: 'varchar', length: 8 })
  outcome: AuditOutcome;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  data: Record<string, unknown>;

  @Column({ name: 'prev_hash', type: 'varchar', length: 64 })
  prevHash: string;

  @Column({ type: 'varchar', length: 64 })
  hash: string;
}
