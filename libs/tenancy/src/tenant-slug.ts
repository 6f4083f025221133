export const TENANT_SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;
export const SYSTEM_TENANT_SLUG = 'system';

export function isValidTenantSlug(slug: unknown): slug is string {
  return typeof slug === 'string' && TENANT_SLUG_PATTERN.test(slug);
}
