import type { TenantSettings } from '@app/tenancy';

/** Short lifetimes by default (seconds); tenants may change them (RBAC/tenancy issue adds PATCH). */
export const DEFAULT_TTLS = {
  accessToken: 900,
  idToken: 900,
  refreshToken: 7 * 24 * 3600,
  authorizationCode: 60,
  interaction: 600,
  session: 24 * 3600,
};

export function effectiveTtls(settings: TenantSettings) {
  return {
    ...DEFAULT_TTLS,
    accessToken: settings.accessTokenTtlSeconds ?? DEFAULT_TTLS.accessToken,
    idToken: settings.idTokenTtlSeconds ?? DEFAULT_TTLS.idToken,
    refreshToken: settings.refreshTokenTtlSeconds ?? DEFAULT_TTLS.refreshToken,
  };
}

export const ADMIN_SCOPE = 'admin';

export function adminResourceIdentifier(publicUrl: string): string {
  return `${publicUrl}/admin`;
}
