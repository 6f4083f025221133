import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ApiKeysRepository } from './api-keys.repository.js';

/** How often the last-use times gathered in memory are written (one statement for all keys). */
export const API_KEY_USAGE_FLUSH_MS = 30_000;

/**
 * When each API key was last used, without a Postgres write per request: uses are gathered
 * here (one entry per key, the latest time) and written together every flush interval and at
 * shutdown. Listing a key on this instance shows its pending time too; another instance's
 * uses appear once it has flushed. A crash loses at most one interval of last-use times —
 * informational data, never a credential.
 */
@Injectable()
export class ApiKeyUsage implements OnApplicationShutdown {
  private readonly logger = new Logger('api-keys');
  private pending = new Map<string, Date>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly keys: ApiKeysRepository) {}

  recordUse(keyId: string, at = new Date()): void {
    this.pending.set(keyId, at);
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), API_KEY_USAGE_FLUSH_MS);
      this.timer.unref();
    }
  }

  /** The latest of the stored time and a use this instance has not written yet. */
  lastUsedAt(keyId: string, stored: Date | null): Date | null {
    const pending = this.pending.get(keyId);
    return pending && (!stored || pending > stored) ? pending : stored;
  }

  /** Writes what is pending now; a failed write keeps the times for the next flush. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = new Map();
    this.flushing = this.flushing.then(async () => {
      try {
        await this.keys.recordLastUse(batch);
      } catch (error) {
        this.logger.warn(`could not record API key use: ${(error as Error).message}`);
        for (const [id, at] of batch) if (!this.pending.has(id)) this.recordUse(id, at);
      }
    });
    return this.flushing;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flush();
  }
}
