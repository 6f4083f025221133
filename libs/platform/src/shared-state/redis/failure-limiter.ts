import type { Redis } from 'ioredis';
import { growingLru } from '../../cache/growing-lru.js';
import type { EventBus } from '../event-bus.js';
import { type FailureLimiter, type FailureRule, type LimitState, OPEN, type Reservation } from '../failure-limiter.js';

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
