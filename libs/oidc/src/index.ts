export * from './oidc.module.js';
export * from './maintenance/audit-retention.job.js';
