import type { ThrottlerStorage } from '@nestjs/throttler';
import { growingLru } from '../../cache/growing-lru.js';
import { type ThrottlerStorageRecord, toRecord } from '../throttler-storage.js';

/** The same semantics for a single process (no REDIS_URL). */
export class MemoryThrottlerStorage implements ThrottlerStorage {
  private readonly windows = growingLru<string, { hits: number; endsAt: number; blockedUntil: number }>(100_000);

  async increment(key: string, ttl: number, limit: number, blockDuration: number): Promise<ThrottlerStorageRecord> {
    const now = Date.now();
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now)
      window = { hits: 0, endsAt: now + ttl, blockedUntil: window?.blockedUntil ?? 0 };
    window.hits++;
    if (window.blockedUntil <= now && window.hits > limit) window.blockedUntil = now + (blockDuration || ttl);
    this.windows.set(key, window);
    return toRecord(window.hits, window.endsAt - now, window.blockedUntil - now);
  }
}
