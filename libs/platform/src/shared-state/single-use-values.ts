/**
 * Values that may be read back exactly once, within a short lifetime: WebAuthn challenges.
 * `take` removes what it returns in the same step, so of two parallel requests presenting
 * the same key only one gets the value — a replayed ceremony finds nothing.
 */
export interface SingleUseValues {
  put(tenantId: string, key: string, value: string, ttlSeconds: number): Promise<void>;
  /** The value, removed as it is read; null when it never existed, expired or was taken. */
  take(tenantId: string, key: string): Promise<string | null>;
}
