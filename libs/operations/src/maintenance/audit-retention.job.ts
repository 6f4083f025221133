import { AuditService } from '@app/audit';
import { effectiveSettings, TenantsRepository } from '@app/tenancy';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';

const HOUR_MS = 3600_000;
const FIRST_RUN_DELAY_MS = 60_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Hourly, on every instance: removes each tenant's audit events older than its retention
 * (setting `auditRetentionDays`, 0 = keep forever), leaving a signed checkpoint. Instances
 * running it at once are harmless — each tenant's pruning takes the chain's lock, and the
 * second finds nothing left to remove.
 */
@Injectable()
export class AuditRetentionJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('audit-retention');
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly tenants: TenantsRepository,
    private readonly audit: AuditService,
  ) {}

  onApplicationBootstrap(): void {
    const run = () => void this.runOnce().catch((error: Error) => this.logger.error(`failed: ${error.message}`));
    this.timers = [setTimeout(run, FIRST_RUN_DELAY_MS), setInterval(run, HOUR_MS)];
    for (const timer of this.timers) timer.unref();
  }

  onApplicationShutdown(): void {
    for (const timer of this.timers) clearTimeout(timer);
  }

  /** One pass over every tenant; answers how many events were removed. */
  async runOnce(now = new Date()): Promise<number> {
    let removed = 0;
    let after: string | undefined;
    for (;;) {
      const page = await this.tenants.list(500, after);
      for (const tenant of page) {
        const days = effectiveSettings(tenant.settings).auditRetentionDays;
        if (days > 0) removed += await this.audit.prune(tenant.id, new Date(now.getTime() - days * DAY_MS));
      }
      if (page.length < 500) break;
      after = page[page.length - 1].slug;
    }
    if (removed) this.logger.log(`removed ${removed} audit events past retention`);
    return removed;
  }
}
