import { COUNTED_GRANT_TYPES, hourBucket, type TokenStats, WINDOW_HOURS } from '../token-stats.js';

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
