import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';
import { growingLru } from '../cache/growing-lru.js';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

// Hit count and block in one step, so parallel requests on several instances share one count.
const INCREMENT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
local blocked = redis.call('PTTL', KEYS[2])
if blocked <= 0 and hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  blocked = tonumber(ARGV[3])
end
return {hits, ttl, blocked}`;

function toRecord(hits: number, ttlMs: number, blockedMs: number): ThrottlerStorageRecord {
  return {
    totalHits: hits,
    timeToExpire: Math.max(0, Math.ceil(ttlMs / 1000)),
    isBlocked: blockedMs > 0,
    timeToBlockExpire: Math.max(0, Math.ceil(blockedMs / 1000)),
  };
}

/** @nestjs/throttler's storage on Redis: every instance counts in the same window. */
export class RedisThrottlerStorage implements ThrottlerStorage {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number): Promise<ThrottlerStorageRecord> {
    // One hash tag for the counter and its block key: same cluster slot.
    const base = `${this.prefix}throttle:{${key}}`;
    const [hits, ttlMs, blockedMs] = (await this.redis.eval(
      INCREMENT,
      2,
      base,
      `${base}:blocked`,
      ttl,
      limit,
      blockDuration || ttl,
    )) as [number, number, number];
    return toRecord(hits, ttlMs, blockedMs);
  }
}

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
