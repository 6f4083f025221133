export { lockoutRule } from './lockout-rule.js';
export { TenancyModule } from './tenancy.module.js';
export { SYSTEM_TENANT_SLUG, isValidTenantSlug } from './tenant-slug.js';
export { DEFAULT_PASSWORD_POLICY, DEFAULT_SESSION_POLICY, TenantEntity, effectiveSettings } from './tenant.entity.js';
export type { PasswordPolicy, SessionPolicy, TenantSettings } from './tenant.entity.js';
export { TenantsRepository } from './tenants.repository.js';
