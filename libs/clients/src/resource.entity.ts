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

  @Column({ type: 'jsonb', default: () => "'[]'" })
  scopes: string[];

  @Column({ name: 'access_token_ttl', type: 'integer', nullable: true })
  accessTokenTtl: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
