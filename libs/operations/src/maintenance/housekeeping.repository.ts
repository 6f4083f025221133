import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** What each housekeeping job removes: rows nothing reads any more. `$1` is the job's cutoff. */
export const PRUNE_TARGETS = {
  /** The session index of sessions that ended by expiry (live ones are upserted with a later expires_at). */
  'expired-sessions': { table: 'sessions', dead: 'expires_at < $1' },
  /** Verification and reset links that were used or can no longer be (only unused, unexpired ones are consumed). */
  'user-action-tokens': { table: 'user_action_tokens', dead: 'used_at IS NOT NULL OR expires_at < $1' },
  /** Delivery log rows past WEBHOOK_DELIVERY_LOG_RETENTION_DAYS. */
  'webhook-deliveries': { table: 'webhook_deliveries', dead: 'delivered_at < $1' },
} as const;

export type PruneJob = keyof typeof PRUNE_TARGETS;

/**
 * Housekeeping's storage: batched deletes (each batch its own short statement, so a big
 * backlog never holds a table or a long transaction) under one Postgres advisory lock.
 */
@Injectable()
export class HousekeepingRepository {
  constructor(private readonly db: DataSource) {}

  /** Deletes up to `batchSize` dead rows of one job; answers how many went. */
  async pruneBatch(job: PruneJob, cutoff: Date, batchSize: number): Promise<number> {
    const { table, dead } = PRUNE_TARGETS[job];
    const [, affected] = (await this.db.query(
      `DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} WHERE ${dead} LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [cutoff, batchSize],
    )) as [unknown, number];
    return affected ?? 0;
  }

  /**
   * Runs `work` only if no other instance holds the lock (answers undefined then). A
   * session-level lock on one pooled connection, held while the batches run on others.
   */
  async underLock<T>(lockId: number, work: () => Promise<T>): Promise<T | undefined> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = (await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [lockId])) as {
        locked: boolean;
      }[];
      if (!locked) return undefined;
      try {
        return await work();
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [lockId]).catch(() => undefined);
      }
    } finally {
      await runner.release();
    }
  }
}
