import { TenantEntity } from '@app/tenancy';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { WebhookEndpointEntity } from './webhook-endpoint.entity.js';

export type DeliveryStatus = 'succeeded' | 'failed';

/** One delivery attempt of one event to one endpoint (the delivery log). */
@Entity({ name: 'webhook_deliveries' })
@Index('ix_webhook_deliveries_endpoint', ['tenantId', 'endpointId', 'deliveredAt'])
@Index('ix_webhook_deliveries_delivered_at', ['deliveredAt'])
export class WebhookDeliveryEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_webhook_deliveries' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'fk_webhook_deliveries_tenant' })
  tenant?: Relation<TenantEntity>;

  @Column({ name: 'endpoint_id', type: 'uuid' })
  endpointId: string;

  @ManyToOne(() => WebhookEndpointEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'endpoint_id', foreignKeyConstraintName: 'fk_webhook_deliveries_endpoint' })
  endpoint?: Relation<WebhookEndpointEntity>;

  @Column({ name: 'event_id', type: 'varchar', length: 64 })
  eventId: string;

  @Column({ name: 'event_type', type: 'varchar', length: 64 })
  eventType: string;

  /** 1 for the first try. */
  @Column({ type: 'integer' })
  attempt: number;

  @Column({ type: 'varchar', length: 16 })
  status: DeliveryStatus;

  @Column({ name: 'status_code', type: 'integer', nullable: true })
  statusCode: number | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  error: string | null;

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs: number;

  @Column({ name: 'delivered_at', type: 'timestamptz' })
  deliveredAt: Date;
}
