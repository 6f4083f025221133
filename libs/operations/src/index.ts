export * from './operations.module.js';
export * from './maintenance/audit-retention.job.js';
