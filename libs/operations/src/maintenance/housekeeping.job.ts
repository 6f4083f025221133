import { APP_CONFIG, type AppConfig, Metrics } from '@app/platform';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HousekeepingRepository, PRUNE_TARGETS, type PruneJob } from './housekeeping.repository.js';

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
const FIRST_RUN_DELAY_MS = 90_000;
/** Arbitrary constant (as the migration lock): one instance of the fleet runs housekeeping at a time. */
export const HOUSEKEEPING_LOCK_ID = 7_364_210_982;
const BATCH = 1000;

/**
 * Hourly: removes rows nothing reads any more — the index of expired sessions, used or
 * expired user action tokens, webhook delivery log rows older than
 * WEBHOOK_DELIVERY_LOG_RETENTION_DAYS — in batches of 1,000, counted in
 * `idp_housekeeping_pruned_rows_total{job}`. An instance that finds another one running
 * it skips the hour.
 */
@Injectable()
export class HousekeepingJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('housekeeping');
  private timers: NodeJS.Timeout[] = [];
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: HousekeepingRepository,
    private readonly metrics: Metrics,
  ) {}

  onApplicationBootstrap(): void {
    const run = () => void this.runOnce().catch((error: Error) => this.logger.error(`failed: ${error.message}`));
    this.timers = [setTimeout(run, FIRST_RUN_DELAY_MS), setInterval(run, HOUR_MS)];
    for (const timer of this.timers) timer.unref();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
  }

  /** The cutoff of each job at `now`: rows dead before it go. */
  cutoffs(now: Date): Record<PruneJob, Date> {
    return {
      'expired-sessions': now,
      'user-action-tokens': now,
      'webhook-deliveries': new Date(now.getTime() - this.config.webhooks.deliveryLogRetentionDays * DAY_MS),
    };
  }

  /** One pass of every job; answers the rows removed per job, or null when another instance holds the lock. */
  async runOnce(now = new Date()): Promise<Record<PruneJob, number> | null> {
    const result = await this.repository.underLock(HOUSEKEEPING_LOCK_ID, async () => {
      const cutoffs = this.cutoffs(now);
      const removed = {} as Record<PruneJob, number>;
      for (const job of Object.keys(PRUNE_TARGETS) as PruneJob[]) {
        removed[job] = 0;
        for (;;) {
          const batch = await this.repository.pruneBatch(job, cutoffs[job], BATCH);
          removed[job] += batch;
          if (batch) this.metrics.housekeepingPruned.inc({ job }, batch);
          if (batch < BATCH || this.stopped) break;
        }
      }
      return removed;
    });
    if (result === undefined) return null;
    const total = Object.values(result).reduce((sum, count) => sum + count, 0);
    if (total) this.logger.log(`removed ${JSON.stringify(result)}`);
    return result;
  }
}
