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

/** current: signs new tokens; previous: only verifies tokens it signed until they expire. */
export type SigningKeyStatus = 'current' | 'previous';

@Entity({ name: 'signing_keys' })
@Index('uq_signing_keys_tenant_kid', ['tenantId', 'kid'], { unique: true })
export class SigningKeyEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_signing_keys' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'fk_signing_keys_tenant' })
  tenant?: Relation<TenantEntity>;

  @Column({ type: 'varchar', length: 64 })
  kid: string;

  @Column({ type: 'varchar', length: 16 })
  alg: string;

  @Column({ type: 'varchar', length: 16 })
  status: SigningKeyStatus;

  @Column({ name: 'public_jwk', type: 'jsonb' })
  publicJwk: Record<string, unknown>;

  /** The private JWK sealed with MASTER_KEY (AES-256-GCM, bound to tenant and kid). */
  @Column({ name: 'private_jwk_sealed', type: 'text' })
  privateJwkSealed: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** When it stopped being current; it leaves the JWKS once every token it signed has expired. */
  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt: Date | null;
}
