import { type AuditEventEntity, AuditService } from '@app/audit';
import {
  APP_CONFIG,
  type AppConfig,
  ConflictError,
  SHARED_STATE,
  type SharedState,
  growingLru,
  MasterKeyCipher,
  NotFoundError,
} from '@app/platform';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { matchesEventType } from './backoff.js';
import { type DeliveryQueue } from './delivery-queue.js';
import type { WebhookEndpointEntity } from './webhook-endpoint.entity.js';
import { generateWebhookSecret } from './webhook-signature.js';
import { assertWebhookUrl } from './webhook-url.js';
import { WebhooksRepository } from './webhooks.repository.js';

export const WEBHOOK_QUEUE = Symbol('WEBHOOK_QUEUE');

/** Every instance drops its cached endpoint list of a tenant when one of them changes it. */
const ENDPOINTS_CHANGED = 'webhooks:endpoints-changed';
/** A backstop only: changes arrive on the bus at once. */
const ENDPOINT_CACHE_TTL_MS = 60_000;

export interface EndpointInput {
  url: string;
  eventTypes: string[];
  description?: string;
}

export interface EndpointChanges extends Partial<EndpointInput> {
  /** Re-enabling an endpoint forgets its failures. */
  enabled?: boolean;
}

/** What a receiver gets: the audit event without IP or user agent (never a secret: audit scrubs them). */
export interface WebhookEvent {
  id: string;
  type: string;
  occurredAt: string;
  tenant: { id: string; slug: string | null };
  actor: { type: string; id: string | null };
  subject: string | null;
  clientId: string | null;
  outcome: string;
  data: Record<string, unknown>;
}

/** A tenant's enabled endpoints: the lookup, and its answer once it has come. */
interface CachedEndpoints {
  lookup: Promise<WebhookEndpointEntity[]>;
  found?: WebhookEndpointEntity[];
}

/** A tenant's webhook endpoints, and the fan-out of its audit events onto the delivery queue. */
@Injectable()
export class WebhooksService implements OnModuleInit {
  private readonly logger = new Logger('webhooks');
  /**
   * Enabled endpoints per tenant: every audit event (token events included) is matched against
   * them, so most events — of tenants without webhooks — cost no database round-trip.
   */
  private readonly enabledEndpoints = growingLru<string, CachedEndpoints>(10_000, {
    ttl: ENDPOINT_CACHE_TTL_MS,
  });

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SHARED_STATE) private readonly store: SharedState,
    @Inject(WEBHOOK_QUEUE) private readonly queue: DeliveryQueue,
    private readonly repository: WebhooksRepository,
    private readonly cipher: MasterKeyCipher,
    private readonly audit: AuditService,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.store.events.subscribe(ENDPOINTS_CHANGED, (tenantId) => this.enabledEndpoints.delete(tenantId));
    this.audit.onRecorded((event) => {
      // Once a tenant's endpoints are known, an event none of them takes costs no promise.
      const known = this.cachedEndpoints(event.tenantId).found;
      if (known && !known.some((endpoint) => matchesEventType(endpoint.eventTypes, event.type))) return;
      this.publish(event).catch((error: Error) => this.logger.error(`webhook fan-out failed: ${error.message}`));
    });
  }

  /** Call after any change to a tenant's endpoints (here or in the dispatcher). */
  async endpointsChanged(tenantId: string): Promise<void> {
    this.enabledEndpoints.delete(tenantId);
    await this.store.events.publish(ENDPOINTS_CHANGED, tenantId);
  }

  private cachedEndpoints(tenantId: string): CachedEndpoints {
    let cached = this.enabledEndpoints.get(tenantId);
    if (!cached) {
      const entry: CachedEndpoints = { lookup: this.repository.enabledOf(tenantId) };
      entry.lookup.then(
        (found) => (entry.found = found),
        () => {
          if (this.enabledEndpoints.get(tenantId) === entry) this.enabledEndpoints.delete(tenantId);
        },
      );
      this.enabledEndpoints.set(tenantId, entry);
      cached = entry;
    }
    return cached;
  }

  /** Binds a sealed secret to its endpoint: a row copied elsewhere does not decrypt. */
  private aad(tenantId: string, endpointId: string): string {
    return `webhook:${tenantId}:${endpointId}`;
  }

  async create(tenantId: string, input: EndpointInput): Promise<{ endpoint: WebhookEndpointEntity; secret: string }> {
    const id = randomUUID();
    const secret = generateWebhookSecret();
    const endpoint = await this.repository.insert({
      id,
      tenantId,
      url: assertWebhookUrl(input.url, this.config.production),
      description: input.description ?? null,
      eventTypes: [...new Set(input.eventTypes)],
      secretSealed: this.cipher.encrypt(secret, this.aad(tenantId, id)),
      previousSecretSealed: null,
      previousSecretExpiresAt: null,
      enabled: true,
      disabledReason: null,
      consecutiveFailures: 0,
      health: null,
      lastSuccessAt: null,
      lastFailureAt: null,
    });
    await this.endpointsChanged(tenantId);
    return { endpoint, secret };
  }

  list(tenantId: string, limit: number, cursor?: string): Promise<WebhookEndpointEntity[]> {
    return this.repository.list(tenantId, limit, cursor);
  }

  async get(tenantId: string, id: string): Promise<WebhookEndpointEntity> {
    const endpoint = await this.repository.get(tenantId, id);
    if (!endpoint) throw new NotFoundError('webhook endpoint');
    return endpoint;
  }

  async update(tenantId: string, id: string, changes: EndpointChanges): Promise<WebhookEndpointEntity> {
    const endpoint = await this.get(tenantId, id);
    await this.repository.update(tenantId, endpoint.id, {
      ...(changes.url !== undefined ? { url: assertWebhookUrl(changes.url, this.config.production) } : {}),
      ...(changes.eventTypes !== undefined ? { eventTypes: [...new Set(changes.eventTypes)] } : {}),
      ...(changes.description !== undefined ? { description: changes.description } : {}),
      ...(changes.enabled === true
        ? { enabled: true, disabledReason: null, consecutiveFailures: 0, health: null }
        : {}),
      ...(changes.enabled === false ? { enabled: false, disabledReason: 'disabled by an administrator' } : {}),
    });
    await this.endpointsChanged(tenantId);
    return this.get(tenantId, id);
  }

  async delete(tenantId: string, id: string): Promise<void> {
    if (!(await this.repository.delete(tenantId, (await this.get(tenantId, id)).id))) {
      throw new NotFoundError('webhook endpoint');
    }
    await this.endpointsChanged(tenantId);
  }

  /**
   * A new secret, shown once. With a grace period the old one keeps signing (a second `v1=`)
   * until it ends, so receivers can switch without losing deliveries; without, it stops now.
   */
  async rotateSecret(
    tenantId: string,
    id: string,
    graceSeconds = 0,
  ): Promise<{ endpoint: WebhookEndpointEntity; secret: string }> {
    const endpoint = await this.get(tenantId, id);
    const secret = generateWebhookSecret();
    await this.repository.update(tenantId, endpoint.id, {
      secretSealed: this.cipher.encrypt(secret, this.aad(tenantId, endpoint.id)),
      previousSecretSealed: graceSeconds > 0 ? endpoint.secretSealed : null,
      previousSecretExpiresAt: graceSeconds > 0 ? new Date(Date.now() + graceSeconds * 1000) : null,
    });
    return { endpoint: await this.get(tenantId, id), secret };
  }

  /** The secrets that sign a delivery now: the current one, then the previous one during its grace period. */
  signingSecrets(endpoint: WebhookEndpointEntity, now = new Date()): string[] {
    const aad = this.aad(endpoint.tenantId, endpoint.id);
    const secrets = [this.cipher.decrypt(endpoint.secretSealed, aad)];
    if (endpoint.previousSecretSealed && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now) {
      secrets.push(this.cipher.decrypt(endpoint.previousSecretSealed, aad));
    }
    return secrets;
  }

  async deliveries(tenantId: string, id: string, limit: number, cursor?: string) {
    const endpoint = await this.get(tenantId, id);
    return this.repository.deliveriesOf(tenantId, endpoint.id, limit, cursor);
  }

  /** A `webhook.test` event to this endpoint alone, whatever it subscribes to. */
  async sendTest(tenantId: string, id: string): Promise<{ eventId: string }> {
    const endpoint = await this.get(tenantId, id);
    if (!endpoint.enabled) throw new ConflictError('the endpoint is disabled; enable it first');
    const event: WebhookEvent = {
      id: randomUUID(),
      type: 'webhook.test',
      occurredAt: new Date().toISOString(),
      tenant: { id: tenantId, slug: await this.repository.tenantSlug(tenantId) },
      actor: { type: 'system', id: null },
      subject: endpoint.id,
      clientId: null,
      outcome: 'success',
      data: {},
    };
    await this.enqueue(endpoint, event);
    return { eventId: event.id };
  }

  /** Every enabled endpoint of the event's tenant that subscribes to its type gets a queued delivery. */
  async publish(audit: AuditEventEntity): Promise<void> {
    const endpoints = (await this.cachedEndpoints(audit.tenantId).lookup).filter((endpoint) =>
      matchesEventType(endpoint.eventTypes, audit.type),
    );
    if (!endpoints.length) return;
    const event: WebhookEvent = {
      id: audit.id,
      type: audit.type,
      occurredAt: audit.occurredAt.toISOString(),
      tenant: { id: audit.tenantId, slug: await this.repository.tenantSlug(audit.tenantId) },
      actor: { type: audit.actorType, id: audit.actorId },
      subject: audit.subject,
      clientId: audit.clientId,
      outcome: audit.outcome,
      data: audit.data,
    };
    await Promise.all(endpoints.map((endpoint) => this.enqueue(endpoint, event)));
  }

  private enqueue(endpoint: WebhookEndpointEntity, event: WebhookEvent): Promise<void> {
    return this.queue.enqueue({
      id: randomUUID(),
      tenantId: endpoint.tenantId,
      endpointId: endpoint.id,
      eventId: event.id,
      eventType: event.type,
      body: JSON.stringify(event),
      attempts: 0,
    });
  }

  /** Queued deliveries of a tenant (its rows go with the tenant's cascade). */
  queuedCount(tenantId: string): Promise<number> {
    return this.queue.count(tenantId);
  }

  async purgeTenant(tenantId: string): Promise<void> {
    await this.queue.purgeTenant(tenantId);
    await this.endpointsChanged(tenantId);
  }
}
