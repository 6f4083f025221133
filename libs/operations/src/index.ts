export { AuditRetentionJob } from './maintenance/audit-retention.job.js';
export { OperationsModule } from './operations.module.js';
