export const COUNTED_GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials'] as const;
/** Counted beside the grant types, in the same hourly buckets: completed sign-ins. */
export const SIGN_IN = 'sign_in';
export const COUNTED_KINDS: readonly string[] = [...COUNTED_GRANT_TYPES, SIGN_IN];

/** One hour of a tenant's activity: counts by grant type, and `sign_in`. */
export interface HourOfActivity {
  /** hourBucket(): hours since the epoch. */
  hour: number;
  counts: Record<string, number>;
}
export const HOUR_MS = 3600_000;
export const WINDOW_HOURS = 24;

/** Hourly buckets: the last-24-hours figure is the sum of the 24 newest. */
export function hourBucket(at: number): number {
  return Math.floor(at / HOUR_MS);
}

/** Tokens issued per tenant and grant type, and sign-ins, counted without touching Postgres. */
export interface TokenStats {
  recordIssued(tenantId: string, grantType: string): Promise<void>;
  recordSignIn(tenantId: string): Promise<void>;
  issuedLast24h(tenantId: string): Promise<Record<string, number>>;
  /** The last 24 hours, oldest first, the current hour last (for the console's charts). */
  hourlyLast24h(tenantId: string): Promise<HourOfActivity[]>;
  flush(): Promise<void>;
  /** Drops what is counted for a deleted tenant, so no later write brings its keys back. */
  forgetTenant(tenantId: string): void;
}

/** The 24 buckets ending with the current hour, oldest first. */
export function last24Buckets(now = Date.now()): number[] {
  const current = hourBucket(now);
  return Array.from({ length: WINDOW_HOURS }, (_, i) => current - (WINDOW_HOURS - 1) + i);
}
