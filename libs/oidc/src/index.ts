export * from './admin/tenant-provisioning.service.js';
export * from './oidc.module.js';
export * from './maintenance/audit-retention.job.js';
