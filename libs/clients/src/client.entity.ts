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

export const APPLICATION_TYPES = ['web', 'spa', 'native', 'service'] as const;
export type ApplicationType = (typeof APPLICATION_TYPES)[number];

@Entity({ name: 'clients' })
@Index('uq_clients_tenant_client_id', ['tenantId', 'clientId'], { unique: true })
export class ClientEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_clients' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'fk_clients_tenant' })
  tenant?: Relation<TenantEntity>;

  @Column({ name: 'client_id', type: 'varchar', length: 64 })
  clientId: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ name: 'application_type', type: 'varchar', length: 16 })
  applicationType: ApplicationType;

  /** SHA-256 (base64url) of the secret; null for public clients. */
  @Column({ name: 'secret_hash', type: 'varchar', length: 64, nullable: true })
  secretHash: string | null;

  @Column({ name: 'redirect_uris', type: 'jsonb', default: () => "'[]'" })
  redirectUris: string[];

  @Column({ name: 'post_logout_redirect_uris', type: 'jsonb', default: () => "'[]'" })
  postLogoutRedirectUris: string[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  scopes: string[];

  /** Identifiers of API resources this client may get access tokens for; the first is its default. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  resources: string[];

  @Column({ name: 'first_party', type: 'boolean', default: false })
  firstParty: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
