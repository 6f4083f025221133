import { Global, Module } from '@nestjs/common';
import { AccessDeniedAudit } from './access-denied-audit.js';
import { AuditService } from './audit.service.js';

/** Global: every module records security events. */
@Global()
@Module({ providers: [AuditService, AccessDeniedAudit], exports: [AuditService, AccessDeniedAudit] })
export class AuditModule {}
