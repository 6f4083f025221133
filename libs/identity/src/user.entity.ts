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

@Entity({ name: 'users' })
@Index('uq_users_tenant_username', ['tenantId', 'username'], { unique: true })
@Index('uq_users_tenant_email', ['tenantId', 'email'], { unique: true, where: 'email IS NOT NULL' })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_users' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'fk_users_tenant' })
  tenant?: Relation<TenantEntity>;

  /** Stored lower-cased: sign-in is case-insensitive and two accounts cannot differ by case. */
  @Column({ type: 'varchar', length: 128 })
  username: string;

  @Column({ type: 'varchar', length: 320, nullable: true })
  email: string | null;

  @Column({ name: 'email_verified', type: 'boolean', default: false })
  emailVerified: boolean;

  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash: string | null;

  /** When the password was last set; null for passwords set before this was recorded (then: the account's creation). */
  @Column({ name: 'password_changed_at', type: 'timestamptz', nullable: true })
  passwordChangedAt: Date | null;

  @Column({ type: 'boolean', default: false })
  disabled: boolean;

  // OIDC standard claims (Core 5.1) the user edits on their account; released with `profile`.
  @Column({ type: 'varchar', length: 200, nullable: true })
  name: string | null;

  @Column({ name: 'given_name', type: 'varchar', length: 100, nullable: true })
  givenName: string | null;

  @Column({ name: 'family_name', type: 'varchar', length: 100, nullable: true })
  familyName: string | null;

  /** BCP 47 tag (`en-GB`). */
  @Column({ type: 'varchar', length: 35, nullable: true })
  locale: string | null;

  /** An https URL of the user's picture. */
  @Column({ type: 'varchar', length: 2048, nullable: true })
  picture: string | null;

  /** The last completed sign-in (all steps done). */
  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true })
  lastLoginAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
