import { UserEntity } from '@app/identity';
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
} from 'typeorm';

/** A user's code-based second factor on one channel (email); active once a first code was verified. */
@Entity({ name: 'mfa_code_factors' })
@Index('uq_mfa_code_factors_tenant_user_channel', ['tenantId', 'userId', 'channel'], { unique: true })
export class CodeFactorEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_mfa_code_factors' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'fk_mfa_code_factors_tenant' })
  tenant?: Relation<TenantEntity>;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_mfa_code_factors_user' })
  user?: Relation<UserEntity>;

  @Column({ type: 'varchar', length: 16 })
  channel: string;

  @Column({ type: 'boolean', default: false })
  active: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;
}
