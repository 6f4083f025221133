import type { FailureRule } from '@app/platform';
import { effectiveSettings, type TenantSettings } from '@app/tenancy';

/** Lifetimes in seconds: short by default, the token ones set per tenant (PATCH /admin/tenants/{slug}). */
export function effectiveTtls(settings: TenantSettings) {
  const effective = effectiveSettings(settings);
  return {
    accessToken: effective.accessTokenTtlSeconds,
    idToken: effective.idTokenTtlSeconds,
    refreshToken: effective.refreshTokenTtlSeconds,
    authorizationCode: 60,
    interaction: 600,
  };
}

export const ADMIN_SCOPE = 'admin';

export function adminResourceIdentifier(publicUrl: string): string {
  return `${publicUrl}/admin`;
}

/** The per-account wrong-password rule a tenant's lockout settings describe. */
export function lockoutRule(settings: TenantSettings): FailureRule {
  const { threshold, durationSeconds } = effectiveSettings(settings).lockout;
  return { limit: threshold, windowSeconds: durationSeconds };
}
