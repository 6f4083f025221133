export { AuditRetentionJob } from './maintenance/audit-retention.job.js';
export { OperationsModule } from './operations.module.js';
export { HOUSEKEEPING_LOCK_ID, HousekeepingJob } from './maintenance/housekeeping.job.js';
