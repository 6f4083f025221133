/** Revoked JWT access tokens (by `jti`), remembered exactly until the token would expire. */
export interface TokenDenyList {
  deny(tenantId: string, jti: string, expiresAtEpochSeconds: number): Promise<void>;
  isDenied(tenantId: string, jti: string): Promise<boolean>;
}
