import { UserEntity } from '@app/identity';
import { TenantEntity } from '@app/tenancy';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';

/**
 * A code sent to a user: the only live one for its channel and purpose (a new one replaces
 * it). Only an HMAC of the code is kept — keyed from MASTER_KEY and bound to the row id, so
 * a database leak does not even allow trying the million candidates offline.
 */
@Entity({ name: 'mfa_one_time_codes' })
@Index('uq_mfa_one_time_codes_live', ['tenantId', 'userId', 'channel', 'purpose'], { unique: true })
export class OneTimeCodeEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_mfa_one_time_codes' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'fk_mfa_one_time_codes_tenant' })
  tenant?: Relation<TenantEntity>;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_mfa_one_time_codes_user' })
  user?: Relation<UserEntity>;

  @Column({ type: 'varchar', length: 16 })
  channel: string;

  @Column({ type: 'varchar', length: 16 })
  purpose: string;

  @Column({ name: 'code_hash', type: 'varchar', length: 64 })
  codeHash: string;

  /** Wrong tries of this code; at the limit it stops working. */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
