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
import { UserEntity } from './user.entity.js';

export const USER_ACTION_PURPOSES = ['verify_email', 'reset_password'] as const;
export type UserActionPurpose = (typeof USER_ACTION_PURPOSES)[number];

/**
 * A single-use link token mailed to a user (email verification, password reset). Only its
 * SHA-256 is stored; it dies with its user and tenant (foreign keys cascade).
 */
@Entity({ name: 'user_action_tokens' })
@Index('uq_user_action_tokens_tenant_hash', ['tenantId', 'tokenHash'], { unique: true })
@Index('ix_user_action_tokens_tenant_user', ['tenantId', 'userId', 'purpose'])
@Index('ix_user_action_tokens_expires_at', ['expiresAt'])
export class UserActionTokenEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_user_action_tokens' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'fk_user_action_tokens_tenant' })
  tenant?: Relation<TenantEntity>;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_user_action_tokens_user' })
  user?: Relation<UserEntity>;

  @Column({ type: 'varchar', length: 32 })
  purpose: UserActionPurpose;

  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  /** The address the mail went to: a verification link proves control of that address only. */
  @Column({ type: 'varchar', length: 320 })
  email: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
