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

/** A user's TOTP authenticator (RFC 6238) and recovery codes. Active only once a code was verified. */
@Entity({ name: 'mfa_totp' })
@Index('uq_mfa_totp_tenant_user', ['tenantId', 'userId'], { unique: true })
export class TotpFactorEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_mfa_totp' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'fk_mfa_totp_tenant' })
  tenant?: Relation<TenantEntity>;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_mfa_totp_user' })
  user?: Relation<UserEntity>;

  /** The shared secret sealed with MASTER_KEY (bound to tenant and user). */
  @Column({ name: 'secret_sealed', type: 'text' })
  secretSealed: string;

  @Column({ type: 'boolean', default: false })
  active: boolean;

  /** The last accepted time step: a code is never accepted twice (no replay inside its window). */
  @Column({ name: 'last_used_step', type: 'bigint', nullable: true })
  lastUsedStep: string | null;

  /** SHA-256 of each unused recovery code (high-entropy, shown once). */
  @Column({ name: 'recovery_code_hashes', type: 'jsonb', default: () => "'[]'" })
  recoveryCodeHashes: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
