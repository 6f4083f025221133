import type { Redis } from 'ioredis';
import { COUNTED_GRANT_TYPES, hourBucket, type TokenStats, WINDOW_HOURS } from '../token-stats.js';

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
    if (!(COUNTED_GRANT_TYPES as readonly string[]).includes(grantType)) return;
    const key = this.key(tenantId, grantType, hourBucket(Date.now()));
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
    await this.flush();
    const now = hourBucket(Date.now());
    const result: Record<string, number> = {};
    for (const grantType of COUNTED_GRANT_TYPES) {
      const keys = Array.from({ length: WINDOW_HOURS }, (_, i) => this.key(tenantId, grantType, now - i));
      const values = await this.redis.mget(...keys);
      result[grantType] = values.reduce((sum, v) => sum + Number(v ?? 0), 0);
    }
    return result;
  }
}
