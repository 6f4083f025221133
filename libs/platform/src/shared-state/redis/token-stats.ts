import type { Redis } from 'ioredis';
import {
  COUNTED_GRANT_TYPES,
  COUNTED_KINDS,
  hourBucket,
  type HourOfActivity,
  last24Buckets,
  SIGN_IN,
  type TokenStats,
  WINDOW_HOURS,
} from '../token-stats.js';

/** How long counts gather in memory before one pipelined write: no Redis round-trip per token. */
const FLUSH_INTERVAL_MS = 1000;

export class RedisTokenStats implements TokenStats {
  private pending = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(tenantId: string, grantType: string, bucket: number): string {
    return `${this.prefix}{${tenantId}}:stats:issued:${grantType}:${bucket}`;
  }

  async recordIssued(tenantId: string, grantType: string): Promise<void> {
    if ((COUNTED_GRANT_TYPES as readonly string[]).includes(grantType)) this.record(tenantId, grantType);
  }

  async recordSignIn(tenantId: string): Promise<void> {
    this.record(tenantId, SIGN_IN);
  }

  private record(tenantId: string, kind: string): void {
    const key = this.key(tenantId, kind, hourBucket(Date.now()));
    this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
    this.timer ??= setTimeout(() => void this.flush().catch(() => undefined), FLUSH_INTERVAL_MS).unref();
  }

  /** Writes the counts gathered so far (also on shutdown and before this instance reads them). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending.size) return;
    const counts = this.pending;
    this.pending = new Map();
    const pipeline = this.redis.pipeline();
    for (const [key, count] of counts) pipeline.incrby(key, count).expire(key, (WINDOW_HOURS + 1) * 3600);
    await pipeline.exec();
  }

  forgetTenant(tenantId: string): void {
    const ofTenant = `${this.prefix}{${tenantId}}:`;
    for (const key of this.pending.keys()) if (key.startsWith(ofTenant)) this.pending.delete(key);
  }

  async issuedLast24h(tenantId: string): Promise<Record<string, number>> {
    const hours = await this.hourlyLast24h(tenantId);
    return Object.fromEntries(
      COUNTED_GRANT_TYPES.map((grantType) => [grantType, hours.reduce((sum, h) => sum + h.counts[grantType], 0)]),
    );
  }

  /** One MGET for every kind and hour (the keys share the tenant's hash tag: one cluster slot). */
  async hourlyLast24h(tenantId: string): Promise<HourOfActivity[]> {
    await this.flush();
    const hours = last24Buckets();
    const keys = hours.flatMap((hour) => COUNTED_KINDS.map((kind) => this.key(tenantId, kind, hour)));
    const values = await this.redis.mget(...keys);
    return hours.map((hour, h) => ({
      hour,
      counts: Object.fromEntries(
        COUNTED_KINDS.map((kind, k) => [kind, Number(values[h * COUNTED_KINDS.length + k] ?? 0)]),
      ),
    }));
  }
}
