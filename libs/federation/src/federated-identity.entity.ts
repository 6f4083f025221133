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
import { IdentityProviderEntity } from './identity-provider.entity.js';

/**
 * A link between one of our users and an account at an upstream provider: the upstream's
 * `sub` within that provider is the key (never the email, which can change hands). A user
 * has at most one link per provider; the link dies with its user or its provider.
 */
@Entity({ name: 'federated_identities' })
@Index('uq_federated_identities_subject', ['tenantId', 'providerId', 'subject'], { unique: true })
@Index('uq_federated_identities_user_provider', ['tenantId', 'userId', 'providerId'], { unique: true })
export class FederatedIdentityEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_federated_identities' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'fk_federated_identities_tenant' })
  tenant?: Relation<TenantEntity>;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_federated_identities_user' })
  user?: Relation<UserEntity>;

  @Column({ name: 'provider_id', type: 'uuid' })
  providerId: string;

  @ManyToOne(() => IdentityProviderEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'provider_id', foreignKeyConstraintName: 'fk_federated_identities_provider' })
  provider?: Relation<IdentityProviderEntity>;

  /** The upstream's subject identifier (`sub`; GitHub's numeric user id). */
  @Column({ type: 'varchar', length: 255 })
  subject: string;

  /** The email the upstream reported at the last sign-in (for the user's own list). */
  @Column({ type: 'varchar', length: 320, nullable: true })
  email: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;
}
