import { type HealthPolicy, type HealthState, initialHealthState, recordHealthOutcome } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { DataSource, MoreThan, QueryFailedError } from 'typeorm';
import { WebhookDeliveryEntity } from './webhook-delivery.entity.js';
import { WebhookEndpointEntity } from './webhook-endpoint.entity.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Endpoints and the delivery log; every method is scoped by tenant first. */
@Injectable()
export class WebhooksRepository {
  constructor(private readonly db: DataSource) {}

  private get endpoints() {
    return this.db.getRepository(WebhookEndpointEntity);
  }

  private get deliveries() {
    return this.db.getRepository(WebhookDeliveryEntity);
  }

  insert(endpoint: Omit<WebhookEndpointEntity, 'createdAt' | 'updatedAt'>): Promise<WebhookEndpointEntity> {
    return this.endpoints.save(this.endpoints.create(endpoint));
  }

  list(tenantId: string, limit: number, afterId?: string): Promise<WebhookEndpointEntity[]> {
    const where = afterId && UUID.test(afterId) ? { tenantId, id: MoreThan(afterId) } : { tenantId };
    return this.endpoints.find({ where, order: { id: 'ASC' }, take: limit });
  }

  async get(tenantId: string, id: string): Promise<WebhookEndpointEntity | null> {
    return UUID.test(id) ? this.endpoints.findOneBy({ tenantId, id }) : null;
  }

  /** Enabled endpoints of the tenant; the event-type filter is applied by the caller. */
  enabledOf(tenantId: string): Promise<WebhookEndpointEntity[]> {
    return this.endpoints.findBy({ tenantId, enabled: true });
  }

  async update(tenantId: string, id: string, changes: Partial<WebhookEndpointEntity>): Promise<void> {
    await this.endpoints.update({ tenantId, id }, changes);
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    return ((await this.endpoints.delete({ tenantId, id })).affected ?? 0) > 0;
  }

  /**
   * Runs one delivery outcome through the health model. The row is locked for the
   * read-modify-write, so parallel deliveries to one endpoint cannot lose an outcome;
   * answers the new state (its `consecutiveFailures` is also the counter that disables).
   */
  async recordOutcome(tenantId: string, id: string, ok: boolean, at: Date, policy: HealthPolicy): Promise<HealthState> {
    return this.db.transaction(async (tx) => {
      const [row] = (await tx.query(
        `SELECT health, consecutive_failures FROM webhook_endpoints WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
        [tenantId, id],
      )) as { health: HealthState | null; consecutive_failures: number }[];
      const current = row?.health ?? { ...initialHealthState(), consecutiveFailures: row?.consecutive_failures ?? 0 };
      const next = recordHealthOutcome(current, ok, at.getTime(), policy);
      if (row) {
        await tx.query(
          `UPDATE webhook_endpoints SET health = $3, consecutive_failures = $4, ${ok ? 'last_success_at' : 'last_failure_at'} = $5,
           updated_at = now() WHERE tenant_id = $1 AND id = $2`,
          [tenantId, id, JSON.stringify(next), next.consecutiveFailures, at],
        );
      }
      return next;
    });
  }

  /** True only for the call that actually disabled it (so it is announced once). */
  async disable(tenantId: string, id: string, reason: string): Promise<boolean> {
    const result = await this.endpoints.update(
      { tenantId, id, enabled: true },
      { enabled: false, disabledReason: reason },
    );
    return (result.affected ?? 0) > 0;
  }

  /** False when the endpoint no longer exists (deleted while its delivery was in flight). */
  async log(delivery: Omit<WebhookDeliveryEntity, 'id'>): Promise<boolean> {
    try {
      await this.deliveries.insert(delivery);
      return true;
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23503') return false;
      throw error;
    }
  }

  /** Newest first; the cursor is the id of the last delivery of the previous page. */
  async deliveriesOf(
    tenantId: string,
    endpointId: string,
    limit: number,
    beforeId?: string,
  ): Promise<WebhookDeliveryEntity[]> {
    const query = this.deliveries
      .createQueryBuilder('d')
      .where('d.tenant_id = :tenantId AND d.endpoint_id = :endpointId', { tenantId, endpointId })
      .orderBy('d.delivered_at', 'DESC')
      .addOrderBy('d.id', 'DESC')
      .take(limit);
    if (beforeId && UUID.test(beforeId)) {
      query.andWhere(
        '(d.delivered_at, d.id) < (SELECT c.delivered_at, c.id FROM webhook_deliveries c WHERE c.id = :beforeId AND c.tenant_id = :tenantId)',
        { beforeId },
      );
    }
    return query.getMany();
  }

  async tenantSlug(tenantId: string): Promise<string | null> {
    const [row] = (await this.db.query(`SELECT slug FROM tenants WHERE id = $1`, [tenantId])) as { slug: string }[];
    return row?.slug ?? null;
  }
}
