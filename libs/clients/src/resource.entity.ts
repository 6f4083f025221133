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

@Entity({ name: 'api_resources' })
@Index('uq_api_resources_tenant_identifier', ['tenantId', 'identifier'], { unique: true })
export class ApiResourceEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_api_resources' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'fk_api_resources_tenant' })
  tenant?: Relation<TenantEntity>;

  @Column({ type: 'varchar', length: 2048 })
  identifier: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** Its scopes; each is also a permission roles may grant (the permission registry). */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  scopes: string[];

  /** What each scope allows, for people (the permission registry shows them). */
  @Column({ name: 'scope_descriptions', type: 'jsonb', default: () => "'{}'" })
  scopeDescriptions: Record<string, string>;

  /**
   * Client ids of the confidential clients that act as this API's resource server: they may
   * introspect tokens and API keys whose audience is this resource (RFC 7662 §4 leaves who
   * may ask to the server). Everyone else learns only about tokens issued to themselves.
   */
  @Column({ name: 'introspection_clients', type: 'jsonb', default: () => "'[]'" })
  introspectionClients: string[];

  @Column({ name: 'access_token_ttl', type: 'integer', nullable: true })
  accessTokenTtl: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
