import type { Redis } from 'ioredis';

export const COUNTED_GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials'] as const;
const HOUR_MS = 3600_000;
const WINDOW_HOURS = 24;

/** Hourly buckets: the last-24-hours figure is the sum of the 24 newest. */
function hourBucket(at: number): number {
  return Math.floor(at / HOUR_MS);
}

/** Tokens issued per tenant and grant type, counted without touching Postgres. */
export interface TokenStats {
  recordIssued(tenantId: string, grantType: string): Promise<void>;
  issuedLast24h(tenantId: string): Promise<Record<string, number>>;
  flush(): Promise<void>;
  /** Drops what is counted for a deleted tenant, so no later write brings its keys back. */
  forgetTenant(tenantId: string): void;
}

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

export class MemoryTokenStats implements TokenStats {
  private readonly counts = new Map<string, number>();

  async flush(): Promise<void> {}

  forgetTenant(tenantId: string): void {
    for (const key of this.counts.keys()) if (key.startsWith(`${tenantId}:`)) this.counts.delete(key);
  }

  async recordIssued(tenantId: string, grantType: string): Promise<void> {
    if (!(COUNTED_GRANT_TYPES as readonly string[]).includes(grantType)) return;
    const now = hourBucket(Date.now());
    const key = `${tenantId}:${grantType}:${now}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    for (const existing of this.counts.keys()) {
      if (Number(existing.slice(existing.lastIndexOf(':') + 1)) <= now - WINDOW_HOURS) this.counts.delete(existing);
    }
  }

  async issuedLast24h(tenantId: string): Promise<Record<string, number>> {
    const now = hourBucket(Date.now());
    const result: Record<string, number> = {};
    for (const grantType of COUNTED_GRANT_TYPES) {
      let sum = 0;
      for (let i = 0; i < WINDOW_HOURS; i++) sum += this.counts.get(`${tenantId}:${grantType}:${now - i}`) ?? 0;
      result[grantType] = sum;
    }
    return result;
  }
}
