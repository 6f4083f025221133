import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Left behind by the retention job when it removes the oldest events of a chain: where the
 * remaining chain starts (the last removed event's seq and hash), signed with a key derived
 * from MASTER_KEY so that someone with only database access cannot forge a new start.
 */
@Entity({ name: 'audit_checkpoints' })
@Index('ix_audit_checkpoints_tenant_seq', ['tenantId', 'seq'])
export class AuditCheckpointEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_audit_checkpoints' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  /** The last removed event's position; the chain continues at seq + 1. */
  @Column({ type: 'bigint' })
  seq: string;

  /** The last removed event's hash: the next event's prev_hash. */
  @Column({ type: 'varchar', length: 64 })
  hash: string;

  @Column({ name: 'removed_count', type: 'integer' })
  removedCount: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** HMAC-SHA256 (hex) over tenant, seq and hash. */
  @Column({ type: 'varchar', length: 64 })
  signature: string;
}
