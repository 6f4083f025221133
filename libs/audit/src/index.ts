export { AccessDeniedAudit } from './access-denied-audit.js';
export type { AccessDenial } from './access-denied-audit.js';
export { AuditCheckpointEntity } from './audit-checkpoint.entity.js';
export { AuditEventEntity } from './audit-event.entity.js';
export { AuditModule } from './audit.module.js';
export { AuditService } from './audit.service.js';
export type { AuditInput } from './audit-chain.js';
