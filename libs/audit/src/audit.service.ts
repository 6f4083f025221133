import { Injectable, Logger } from '@nestjs/common';
import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import { DataSource, LessThan, MoreThanOrEqual, type FindOptionsWhere } from 'typeorm';
import { type AuditActorType, AuditEventEntity, type AuditOutcome } from './audit-event.entity.js';

export interface AuditInput {
  type: string;
  outcome: AuditOutcome;
  actor?: { type: AuditActorType; id?: string };
  subject?: string;
  clientId?: string;
  ip?: string;
  userAgent?: string;
  /** Never a secret, password, token or code: callers pass identifiers and reasons only. */
  data?: Record<string, unknown>;
}

/** Told about each event once it is committed (e.g. webhooks); must not throw. */
export type AuditRecordedListener = (event: AuditEventEntity) => void;

const GENESIS = '0'.repeat(64);
/** Field names whose values are dropped from `data` even if a caller passes them by mistake. */
const SECRET_FIELD = /pass(word)?|secret|token|code|authorization|cookie/i;

function scrub(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrub);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        SECRET_FIELD.test(k) ? '[redacted]' : scrub(v),
      ]),
    );
  }
  return value;
}

/** SHA-256 over the RFC 8785 canonical form of the event and the previous hash. */
export function auditHash(event: Omit<AuditEventEntity, 'id' | 'hash'>): string {
  const canonical = canonicalize({
    tenantId: event.tenantId,
    seq: String(event.seq),
    type: event.type,
    occurredAt: event.occurredAt.toISOString(),
    actorType: event.actorType,
    actorId: event.actorId,
    subject: event.subject,
    clientId: event.clientId,
    ip: event.ip,
    userAgent: event.userAgent,
    outcome: event.outcome,
    data: event.data,
    prevHash: event.prevHash,
  });
  return createHash('sha256').update(canonical!).digest('hex');
}

/** The tamper-evident audit trail: each event's hash covers the one before it. */
@Injectable()
export class AuditService {
  private readonly logger = new Logger('audit');
  private readonly recordedListeners: AuditRecordedListener[] = [];

  constructor(private readonly db: DataSource) {}

  onRecorded(listener: AuditRecordedListener): void {
    this.recordedListeners.push(listener);
  }

  async record(tenantId: string, input: AuditInput): Promise<void> {
    const saved = await this.db.transaction(async (manager) => {
      // One writer per tenant chain at a time, so two events never share a predecessor.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('audit:' || $1))`, [tenantId]);
      const [last] = await manager.query(
        `SELECT seq, hash FROM audit_events WHERE tenant_id = $1 ORDER BY seq DESC LIMIT 1`,
        [tenantId],
      );
      const event = {
        tenantId,
        seq: String(last ? Number(last.seq) + 1 : 1),
        type: input.type,
        occurredAt: new Date(),
        actorType: input.actor?.type ?? 'system',
        actorId: input.actor?.id?.slice(0, 128) ?? null,
        subject: input.subject?.slice(0, 256) ?? null,
        clientId: input.clientId?.slice(0, 128) ?? null,
        ip: input.ip?.slice(0, 64) ?? null,
        userAgent: input.userAgent?.slice(0, 512) ?? null,
        outcome: input.outcome,
        data: (scrub(input.data ?? {}) as Record<string, unknown>) ?? {},
        prevHash: last?.hash ?? GENESIS,
      };
      return manager
        .getRepository(AuditEventEntity)
        .save(manager.create(AuditEventEntity, { ...event, hash: auditHash(event) }));
    });
    // After the commit: a listener never sees an event that was rolled back.
    for (const listener of this.recordedListeners) listener(saved);
  }

  /** For events beside a user's action (sign-in): a failed write is logged, not shown to the user. */
  recordQuietly(tenantId: string, input: AuditInput): void {
    this.record(tenantId, input).catch((error: Error) => this.logger.error(`audit write failed: ${error.message}`));
  }

  list(tenantId: string, options: { type?: string; since?: Date; limit: number; beforeSeq?: string }) {
    const where: FindOptionsWhere<AuditEventEntity> = { tenantId };
    if (options.type) where.type = options.type;
    if (options.since) where.occurredAt = MoreThanOrEqual(options.since);
    if (options.beforeSeq) where.seq = LessThan(options.beforeSeq);
    return this.db.getRepository(AuditEventEntity).find({ where, order: { seq: 'DESC' }, take: options.limit });
  }

  /** Walks the chain from the start; any edited, removed or reordered event breaks it. */
  async verify(tenantId: string): Promise<{ valid: boolean; count: number }> {
    const repo = this.db.getRepository(AuditEventEntity);
    let prevHash = GENESIS;
    let expectedSeq = 1;
    let count = 0;
    for (let offset = 0; ; offset += 1000) {
      const batch = await repo.find({ where: { tenantId }, order: { seq: 'ASC' }, skip: offset, take: 1000 });
      for (const event of batch) {
        if (Number(event.seq) !== expectedSeq || event.prevHash !== prevHash || auditHash(event) !== event.hash) {
          return { valid: false, count };
        }
        prevHash = event.hash;
        expectedSeq++;
        count++;
      }
      if (batch.length < 1000) return { valid: true, count };
    }
  }
}
