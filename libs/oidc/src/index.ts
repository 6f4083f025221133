export * from './admin/tenant-provisioning.service.js';
export * from './oidc.module.js';
export * from './provider/mount.js';
export * from './provider/tenant-provider.registry.js';
export * from './provider/tenant-settings.js';
export * from './maintenance/audit-retention.job.js';
export * from './provider/request-context.js';
