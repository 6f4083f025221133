import { AuditService } from '@app/audit';
import { APP_CONFIG, type AppConfig, Metrics } from '@app/platform';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { retryDelay } from './backoff.js';
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

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(WEBHOOK_QUEUE) private readonly queue: DeliveryQueue,
    private readonly repository: WebhooksRepository,
    private readonly webhooks: WebhooksService,
    private readonly audit: AuditService,
    private readonly metrics: Metrics,
  ) {}

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

    if (outcome.ok) {
      await this.repository.recordSuccess(job.tenantId, endpoint.id, at);
      await this.queue.complete(claimed);
      return;
    }
    const failures = await this.repository.recordFailure(job.tenantId, endpoint.id, at);
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

  /** One POST: no redirects followed (a 3xx is a failure), a short timeout, the body not kept. */
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
      const response = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'idp-webhooks/1',
          'x-webhook-id': eventId,
          'x-webhook-event': eventType,
          'x-webhook-attempt': String(attempt),
          'x-webhook-signature': signatureHeader(secrets(), body, Math.floor(Date.now() / 1000)),
        },
        body,
      });
      await response.body?.cancel();
      const ok = response.status >= 200 && response.status < 300;
      return {
        ok,
        statusCode: response.status,
        error: ok ? null : `HTTP ${response.status}`,
        durationMs: durationMs(),
      };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      const name = (error as Error).name === 'TimeoutError' ? 'timed out' : (error as Error).message;
      return {
        ok: false,
        statusCode: null,
        error: (cause ? `${name} (${cause})` : name).slice(0, 500),
        durationMs: durationMs(),
      };
    }
  }
}
