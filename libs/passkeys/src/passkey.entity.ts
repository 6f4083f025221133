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

/**
 * A user's WebAuthn credential (passkey or security key). Credential ids are unique within a
 * tenant only: every tenant has its own list, and a credential of one tenant is unknown to
 * every other. The public key is all we keep of the key pair; it dies with its user.
 */
@Entity({ name: 'passkeys' })
@Index('uq_passkeys_tenant_credential', ['tenantId', 'credentialId'], { unique: true })
@Index('ix_passkeys_tenant_user', ['tenantId', 'userId'])
export class PasskeyEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_passkeys' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'fk_passkeys_tenant' })
  tenant?: Relation<TenantEntity>;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_passkeys_user' })
  user?: Relation<UserEntity>;

  /** The authenticator's credential id, base64url (what a browser sends back as `id`). */
  @Column({ name: 'credential_id', type: 'text' })
  credentialId: string;

  /** COSE-encoded public key. */
  @Column({ name: 'public_key', type: 'bytea' })
  publicKey: Buffer;

  /** The last signature counter seen: one that does not grow betrays a cloned authenticator. */
  @Column({ name: 'sign_count', type: 'bigint', default: 0 })
  signCount: string;

  /** Where the browser may look for it (usb, nfc, ble, internal, hybrid). */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  transports: string[];

  /** The authenticator model (all zeros when the authenticator does not say). */
  @Column({ type: 'varchar', length: 36 })
  aaguid: string;

  /** Backup eligible (BE): a multi-device, synced passkey rather than one bound to a device. */
  @Column({ name: 'backup_eligible', type: 'boolean' })
  backupEligible: boolean;

  /** Backup state (BS) as last reported: the key is backed up (synced) right now. */
  @Column({ name: 'backed_up', type: 'boolean' })
  backedUp: boolean;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;
}
