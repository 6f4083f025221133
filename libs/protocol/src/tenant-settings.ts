import { effectiveSettings, type SessionPolicy, type TenantSettings } from '@app/tenancy';

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

/**
 * How long a session saved now lives: the idle timeout, but never past the absolute timeout
 * counted from sign-in (at least 1 s: oidc-provider needs a positive lifetime).
 */
export function sessionLifetimeSeconds(policy: SessionPolicy, signedInAt: number | undefined, now: number): number {
  const untilAbsoluteEnd = (signedInAt ?? now) + policy.absoluteTimeoutSeconds - now;
  return Math.max(1, Math.min(policy.idleTimeoutSeconds, untilAbsoluteEnd));
}
