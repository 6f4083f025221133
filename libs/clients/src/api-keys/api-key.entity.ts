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
import { ClientEntity } from '../client.entity.js';

/**
 * A long-lived bearer credential of a service client, for callers that cannot run an OAuth
 * flow. Only the key's SHA-256 is stored: the key itself is shown once, when it is created
 * or regenerated. It goes with its client (and tenant).
 */
@Entity({ name: 'api_keys' })
@Index('uq_api_keys_tenant_key_hash', ['tenantId', 'keyHash'], { unique: true })
// The admin API learns the tenant from the key itself: a look-up by hash alone (the key's
// 256 random bits make a hash found the caller's own).
@Index('ix_api_keys_key_hash', ['keyHash'])
@Index('ix_api_keys_client', ['tenantId', 'clientRowId', 'createdAt'])
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_api_keys' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'fk_api_keys_tenant' })
  tenant?: Relation<TenantEntity>;

  /** clients.id (the row id, not the public client_id). */
  @Column({ name: 'client_id', type: 'uuid' })
  clientRowId: string;

  @ManyToOne(() => ClientEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'client_id', foreignKeyConstraintName: 'fk_api_keys_client' })
  client?: Relation<ClientEntity>;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** SHA-256 (base64url) of the key. */
  @Column({ name: 'key_hash', type: 'varchar', length: 64 })
  keyHash: string;

  /** The key's first characters (`idpk_7fQx`), to tell keys apart; not enough to use one. */
  @Column({ name: 'key_hint', type: 'varchar', length: 16 })
  keyHint: string;

  /** The API resource the key is for (its `aud`); null: no audience, only its owner introspects it. */
  @Column({ type: 'varchar', length: 2048, nullable: true })
  resource: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  scopes: string[];

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  /** Written in batches (see ApiKeyUsage), so up to a flush interval behind. */
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: 'regenerated_at', type: 'timestamptz', nullable: true })
  regeneratedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
