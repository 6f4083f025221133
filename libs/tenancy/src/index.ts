export * from './tenancy.module.js';
export * from './tenant-slug.js';
export * from './tenant.entity.js';
export * from './tenants.repository.js';
export * from './lockout-rule.js';
