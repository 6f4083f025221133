import { AuditService } from '@app/audit';
import { APP_CONFIG, type AppConfig, type HealthPolicy, healthPolicies, Metrics } from '@app/platform';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { retryDelay } from './backoff.js';
import { isPrivateAddress, publicOnlyLookup } from './safe-destination.js';
import { type ClaimedJob, type DeliveryQueue } from './delivery-queue.js';
import { signatureHeader } from './webhook-signature.js';
import { WEBHOOK_QUEUE, WebhooksService } from './webhooks.service.js';
import { WebhooksRepository } from './webhooks.repository.js';

const BATCH = 10;
const TIMEOUT_MS = 10_000;
/** Well above the request timeout: a live holder always settles its job before the lease ends. */
const LEASE_MS = 60_000;

interface Outcome {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * Takes due deliveries off the queue, POSTs them signed, logs each attempt, and reschedules
 * failures with backoff until the schedule runs out. Runs in the server process only (the
 * CLI enqueues through the audit trail, the server delivers).
 */
@Injectable()
export class WebhookDispatcher implements OnModuleDestroy {
  private readonly logger = new Logger('webhooks');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private readonly healthPolicy: HealthPolicy;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(WEBHOOK_QUEUE) private readonly queue: DeliveryQueue,
    private readonly repository: WebhooksRepository,
    private readonly webhooks: WebhooksService,
    private readonly audit: AuditService,
    private readonly metrics: Metrics,
  ) {
    // Receivers are external endpoints: the 5-minute hold (HEALTH_EXTERNAL_HOLD).
    this.healthPolicy = healthPolicies(config.health).external;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.drain()
        .catch((error: Error) => this.logger.error(`webhook poll failed: ${error.message}`))
        .finally(() => {
          this.running = null;
          this.schedule();
        });
    }, this.config.webhooks.pollIntervalMs);
    this.timer.unref();
  }

  /** Claims and delivers until nothing is due (a backlog is not paced by the poll interval). */
  async drain(): Promise<void> {
    while (!this.stopped) {
      const claimed = await this.queue.claim(BATCH, LEASE_MS);
      if (!claimed.length) return;
      await Promise.all(
        claimed.map((job) =>
          // One job's failure (e.g. the database briefly away) leaves it leased; it is retried when the lease ends.
          this.deliver(job).catch((error: Error) => this.logger.error(`webhook delivery failed: ${error.message}`)),
        ),
      );
    }
  }

  private async deliver(claimed: ClaimedJob): Promise<void> {
    const { job } = claimed;
    const endpoint = await this.repository.get(job.tenantId, job.endpointId);
    if (!endpoint?.enabled) {
      // Deleted or disabled since the event was queued: nobody to deliver to.
      await this.queue.complete(claimed);
      this.metrics.webhookDeliveries.inc({ outcome: 'dropped' });
      return;
    }
    job.attempts += 1;
    const outcome = await this.post(endpoint.url, job.body, job.eventId, job.eventType, job.attempts, () =>
      this.webhooks.signingSecrets(endpoint),
    );
    const at = new Date();
    const logged = await this.repository.log({
      tenantId: job.tenantId,
      endpointId: endpoint.id,
      eventId: job.eventId,
      eventType: job.eventType,
      attempt: job.attempts,
      status: outcome.ok ? 'succeeded' : 'failed',
      statusCode: outcome.statusCode,
      error: outcome.error,
      durationMs: outcome.durationMs,
      deliveredAt: at,
    });
    if (!logged) {
      // The endpoint was deleted while we were delivering.
      await this.queue.complete(claimed);
      this.metrics.webhookDeliveries.inc({ outcome: 'dropped' });
      return;
    }
    this.metrics.webhookDeliveries.inc({ outcome: outcome.ok ? 'succeeded' : 'failed' });

    const health = await this.repository.recordOutcome(job.tenantId, endpoint.id, outcome.ok, at, this.healthPolicy);
    if (outcome.ok) {
      await this.queue.complete(claimed);
      return;
    }
    const failures = health.consecutiveFailures;
    if (failures >= this.config.webhooks.disableAfterFailures) {
      await this.disable(job.tenantId, endpoint.id, failures);
      await this.queue.complete(claimed);
      return;
    }
    const delay = retryDelay(this.config.webhooks.retryDelaysMs, job.attempts);
    if (delay === null) await this.queue.complete(claimed);
    else await this.queue.retry(claimed, Date.now() + delay);
  }

  private async disable(tenantId: string, endpointId: string, failures: number): Promise<void> {
    const reason = `${failures} consecutive failed deliveries`;
    if (!(await this.repository.disable(tenantId, endpointId, reason))) return;
    await this.webhooks.endpointsChanged(tenantId);
    this.logger.warn(`webhook endpoint ${endpointId} disabled after ${failures} consecutive failures`);
    await this.audit.record(tenantId, {
      type: 'webhook.endpoint.disabled',
      outcome: 'failure',
      actor: { type: 'system' },
      subject: endpointId,
      data: { reason, consecutiveFailures: failures },
    });
  }

  /**
   * One POST: no redirects followed (a 3xx is a failure), a short timeout, the body not kept.
   * In production the socket may only connect to public addresses (no loopback, private
   * networks or cloud metadata), checked on the address it actually connects to.
   */
  private async post(
    url: string,
    body: string,
    eventId: string,
    eventType: string,
    attempt: number,
    secrets: () => string[],
  ): Promise<Outcome> {
    const started = performance.now();
    const durationMs = () => Math.round(performance.now() - started);
    try {
      const status = await this.send(url, body, {
        'content-type': 'application/json',
        'user-agent': 'idp-webhooks/1',
        'x-webhook-id': eventId,
        'x-webhook-event': eventType,
        'x-webhook-attempt': String(attempt),
        'x-webhook-signature': signatureHeader(secrets(), body, Math.floor(Date.now() / 1000)),
      });
      const ok = status >= 200 && status < 300;
      return { ok, statusCode: status, error: ok ? null : `HTTP ${status}`, durationMs: durationMs() };
    } catch (error) {
      const { code, message } = error as NodeJS.ErrnoException;
      const text =
        code === 'ETIMEDOUT' ? 'timed out' : code && !message.includes(code) ? `${message} (${code})` : message;
      return { ok: false, statusCode: null, error: text.slice(0, 500), durationMs: durationMs() };
    }
  }

  private send(url: string, body: string, headers: Record<string, string>): Promise<number> {
    const target = new URL(url);
    const publicOnly = this.config.production;
    const host = target.hostname.replace(/^\[|\]$/g, '');
    // A literal IP is connected to without any lookup: check it here.
    if (publicOnly && isIP(host) && isPrivateAddress(host)) {
      return Promise.reject(
        Object.assign(new Error(`destination ${host} is not a public address`), { code: 'EDESTINATION' }),
      );
    }
    return new Promise((resolve, reject) => {
      const request = (target.protocol === 'https:' ? httpsRequest : httpRequest)(
        target,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          timeout: TIMEOUT_MS,
          ...(publicOnly ? { lookup: publicOnlyLookup } : {}),
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on('timeout', () => request.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      request.on('error', reject);
      request.end(body);
    });
  }
}
