import type { Redis } from 'ioredis';
import { growingLru } from '../cache/growing-lru.js';
import type { EventBus } from './event-bus.js';

export interface FailureRule {
  /** Failures allowed inside the window before further attempts are refused. */
  limit: number;
  windowSeconds: number;
}

export interface LimitState {
  blocked: boolean;
  /** Seconds until the window that blocks ends (for Retry-After). */
  retryAfterSeconds: number;
}

/**
 * Counts failures (wrong secret, wrong password) per key in a fixed window and says when a
 * key is over its limit. Successful traffic is never counted, so a busy, correctly
 * authenticated client is never throttled by it.
 */
export interface FailureLimiter {
  /**
   * Blocked when any of the keys is over its limit. Answered from this instance's memory,
   * without a round trip (it runs before every client authentication): blocks set here, or
   * announced by another instance, or found on this instance's next failure of a key that
   * was blocked before it started — so across instances a key may get one extra attempt
   * per instance, never more.
   */
  check(tenantId: string, keys: [key: string, rule: FailureRule][]): Promise<LimitState>;
  /**
   * False when check() would answer open whatever the keys: this instance knows of no block.
   * Lets a hot path skip building its keys (client authentication runs on every token request).
   */
  knowsBlocks(): boolean;
  recordFailure(tenantId: string, key: string, rule: FailureRule): Promise<void>;
  /** Forget the failures of these keys (admin unlock). */
  clear(tenantId: string, keys: string[]): Promise<void>;
  /**
   * For slow, guessable checks (passwords, codes): atomically take a slot in every key
   * before checking, so N parallel guesses can never exceed the limit. Call `succeeded()`
   * to give the slots back — only failures stay counted.
   */
  reserve(tenantId: string, keys: [key: string, rule: FailureRule][]): Promise<Reservation>;
}

export interface Reservation extends LimitState {
  succeeded(): Promise<void>;
  /** Keys whose last slot this reservation took: if the check fails, they are now locked. */
  filled: string[];
}

const OPEN: LimitState = { blocked: false, retryAfterSeconds: 0 };

// INCR and the window's expiry in one step: parallel failures cannot slip past the limit.
const RECORD = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('TTL', KEYS[1])}`;

/** Instances tell each other about blocks and lifted blocks: `block <until ms> <key>` / `clear <key>`. */
const BLOCKS_CHANNEL = 'failure-blocks';

// All keys share the tenant's hash tag, so one script may touch them all (Redis Cluster).
const RESERVE = `
for i, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') >= tonumber(ARGV[i * 2]) then
    return {i, redis.call('TTL', key)}
  end
end
local filled = {0, 0}
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  if count == 1 then redis.call('EXPIRE', key, ARGV[i * 2 - 1]) end
  if count >= tonumber(ARGV[i * 2]) then table.insert(filled, i) end
end
return filled`;

const RELEASE = `
for _, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') > 0 then redis.call('DECR', key) end
end
return 1`;

export class RedisFailureLimiter implements FailureLimiter {
  /** Keys over their limit that this instance knows of, and until when (epoch ms). */
  private readonly blockedUntil = growingLru<string, number>(100_000);

  private constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly events: EventBus,
  ) {}

  static async create(redis: Redis, prefix: string, events: EventBus): Promise<RedisFailureLimiter> {
    const limiter = new RedisFailureLimiter(redis, prefix, events);
    await events.subscribe(BLOCKS_CHANNEL, (message) => limiter.learn(message));
    return limiter;
  }

  /** Tenant hash tag: the keys of one request share a cluster slot, so one script may touch them all. */
  private full(tenantId: string, key: string): string {
    return `${this.prefix}{${tenantId}}:limit:${key}`;
  }

  private learn(message: string): void {
    const [kind, ...rest] = message.split(' ');
    if (kind === 'clear') return void this.blockedUntil.delete(rest.join(' '));
    const until = Number(rest[0]);
    const key = rest.slice(1).join(' ');
    if (kind === 'block' && until > Date.now() && key) this.blockedUntil.set(key, until, { ttl: until - Date.now() });
  }

  knowsBlocks(): boolean {
    return this.blockedUntil.size > 0;
  }

  async check(tenantId: string, keys: [string, FailureRule][]): Promise<LimitState> {
    const now = Date.now();
    let until = 0;
    for (const [key] of keys) until = Math.max(until, this.blockedUntil.get(this.full(tenantId, key)) ?? 0);
    return until > now ? { blocked: true, retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)) } : OPEN;
  }

  async recordFailure(tenantId: string, key: string, rule: FailureRule): Promise<void> {
    const full = this.full(tenantId, key);
    const [count, ttl] = (await this.redis.eval(RECORD, 1, full, rule.windowSeconds)) as [number, number];
    if (count < rule.limit || ttl <= 0) return;
    const until = Date.now() + ttl * 1000;
    this.blockedUntil.set(full, until, { ttl: ttl * 1000 });
    await this.events.publish(BLOCKS_CHANNEL, `block ${until} ${full}`);
  }

  async clear(tenantId: string, keys: string[]): Promise<void> {
    if (!keys.length) return;
    const full = keys.map((key) => this.full(tenantId, key));
    await this.redis.del(...full);
    for (const key of full) {
      this.blockedUntil.delete(key);
      await this.events.publish(BLOCKS_CHANNEL, `clear ${key}`);
    }
  }

  async reserve(tenantId: string, keys: [string, FailureRule][]): Promise<Reservation> {
    const full = keys.map(([key]) => this.full(tenantId, key));
    const rules = keys.flatMap(([, rule]) => [rule.windowSeconds, rule.limit]);
    const [blockedAt, ttl, ...filledAt] = (await this.redis.eval(RESERVE, full.length, ...full, ...rules)) as number[];
    if (blockedAt > 0)
      return { blocked: true, retryAfterSeconds: Math.max(1, ttl), filled: [], succeeded: async () => undefined };
    return {
      blocked: false,
      retryAfterSeconds: 0,
      filled: filledAt.map((i) => keys[i - 1][0]),
      succeeded: async () => {
        await this.redis.eval(RELEASE, full.length, ...full);
      },
    };
  }
}

export class MemoryFailureLimiter implements FailureLimiter {
  private readonly windows = growingLru<string, { count: number; endsAt: number }>(100_000);

  private current(key: string) {
    const window = this.windows.get(key);
    return window && window.endsAt > Date.now() ? window : undefined;
  }

  knowsBlocks(): boolean {
    return this.windows.size > 0;
  }

  async check(tenantId: string, keys: [string, FailureRule][]): Promise<LimitState> {
    for (const [key, rule] of keys) {
      const window = this.current(`${tenantId}:${key}`);
      if (window && window.count >= rule.limit) {
        return { blocked: true, retryAfterSeconds: Math.max(1, Math.ceil((window.endsAt - Date.now()) / 1000)) };
      }
    }
    return OPEN;
  }

  async clear(tenantId: string, keys: string[]): Promise<void> {
    for (const key of keys) this.windows.delete(`${tenantId}:${key}`);
  }

  // No await between looking and counting: atomic within the one process this store serves.
  async reserve(tenantId: string, keys: [string, FailureRule][]): Promise<Reservation> {
    for (const [key, rule] of keys) {
      const window = this.current(`${tenantId}:${key}`);
      if (window && window.count >= rule.limit) {
        const retryAfterSeconds = Math.max(1, Math.ceil((window.endsAt - Date.now()) / 1000));
        return { blocked: true, retryAfterSeconds, filled: [], succeeded: async () => undefined };
      }
    }
    const filled = keys
      .filter(([key, rule]) => this.count(`${tenantId}:${key}`, rule) >= rule.limit)
      .map(([key]) => key);
    return {
      blocked: false,
      retryAfterSeconds: 0,
      filled,
      succeeded: async () => {
        for (const [key] of keys) {
          const window = this.current(`${tenantId}:${key}`);
          if (window && window.count > 0) window.count--;
        }
      },
    };
  }

  private count(full: string, rule: FailureRule): number {
    const window = this.current(full) ?? { count: 0, endsAt: Date.now() + rule.windowSeconds * 1000 };
    window.count++;
    this.windows.set(full, window);
    return window.count;
  }

  async recordFailure(tenantId: string, key: string, rule: FailureRule): Promise<void> {
    this.count(`${tenantId}:${key}`, rule);
  }
}

/** Defaults from the contract: failures of anonymous actions, per client id, account and IP. */
export const FAILURE_RULES = {
  clientAuthPerIp: { limit: 20, windowSeconds: 60 },
  clientAuthPerClient: { limit: 50, windowSeconds: 60 },
  loginPerIp: { limit: 30, windowSeconds: 300 },
  secondFactorPerAccount: { limit: 5, windowSeconds: 300 },
  // Anonymous actions that send mail or create accounts: every attempt counts, not only failures.
  registrationPerIp: { limit: 10, windowSeconds: 3600 },
  passwordResetPerIp: { limit: 10, windowSeconds: 900 },
  passwordResetPerAccount: { limit: 3, windowSeconds: 900 },
} satisfies Record<string, FailureRule>;
