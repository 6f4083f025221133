export const COUNTED_GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials'] as const;
export const HOUR_MS = 3600_000;
export const WINDOW_HOURS = 24;

/** Hourly buckets: the last-24-hours figure is the sum of the 24 newest. */
export function hourBucket(at: number): number {
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
