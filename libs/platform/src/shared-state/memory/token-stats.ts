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

export class MemoryTokenStats implements TokenStats {
  private readonly counts = new Map<string, number>();

  async flush(): Promise<void> {}

  forgetTenant(tenantId: string): void {
    for (const key of this.counts.keys()) if (key.startsWith(`${tenantId}:`)) this.counts.delete(key);
  }

  async recordIssued(tenantId: string, grantType: string): Promise<void> {
    if ((COUNTED_GRANT_TYPES as readonly string[]).includes(grantType)) this.record(tenantId, grantType);
  }

  async recordSignIn(tenantId: string): Promise<void> {
    this.record(tenantId, SIGN_IN);
  }

  private record(tenantId: string, kind: string): void {
    const now = hourBucket(Date.now());
    const key = `${tenantId}:${kind}:${now}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    for (const existing of this.counts.keys()) {
      if (Number(existing.slice(existing.lastIndexOf(':') + 1)) <= now - WINDOW_HOURS) this.counts.delete(existing);
    }
  }

  async issuedLast24h(tenantId: string): Promise<Record<string, number>> {
    const hours = await this.hourlyLast24h(tenantId);
    return Object.fromEntries(
      COUNTED_GRANT_TYPES.map((grantType) => [grantType, hours.reduce((sum, h) => sum + h.counts[grantType], 0)]),
    );
  }

  async hourlyLast24h(tenantId: string): Promise<HourOfActivity[]> {
    return last24Buckets().map((hour) => ({
      hour,
      counts: Object.fromEntries(
        COUNTED_KINDS.map((kind) => [kind, this.counts.get(`${tenantId}:${kind}:${hour}`) ?? 0]),
      ),
    }));
  }
}
