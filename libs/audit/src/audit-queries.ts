import {
  Between,
  DataSource,
  In,
  type FindOptionsWhere,
  LessThan,
  LessThanOrEqual,
  MoreThan,
  MoreThanOrEqual,
} from 'typeorm';
import { AuditEventEntity } from './audit-event.entity.js';
import { auditHash, GENESIS } from './audit-chain.js';
import type { AuditCheckpoints } from './audit-checkpoints.js';

export interface AuditQuery {
  type?: string;
  actor?: string;
  subject?: string;
  since?: Date;
  until?: Date;
}

export interface AuditVerification {
  valid: boolean;
  /** Events checked (up to the first bad one). */
  count: number;
  /** The seq where the chain first fails. */
  firstBadSeq?: number;
  reason?: string;
  /** Set when older events were removed by retention: the chain starts after this seq. */
  startsAfterSeq?: number;
}

/** Reading the trail: filtered pages, the export stream, and walking the chain to verify it. */
export class AuditQueries {
  constructor(
    private readonly db: DataSource,
    private readonly checkpoints: AuditCheckpoints,
  ) {}

  /** Newest first; `beforeSeq` is the cursor (the last seq of the previous page). */
  list(tenantId: string, query: AuditQuery & { limit: number; beforeSeq?: string }) {
    const where = this.whereOf(tenantId, query);
    if (query.beforeSeq) where.seq = LessThan(query.beforeSeq);
    return this.db.getRepository(AuditEventEntity).find({ where, order: { seq: 'DESC' }, take: query.limit });
  }

  /**
   * Newest first: events of these types about any of `subjects` (a user's id and username:
   * failed passwords name the username typed) since `since` — one user's own activity.
   */
  ofSubjects(
    tenantId: string,
    query: { subjects: string[]; types: string[]; since: Date; limit: number; beforeSeq?: string },
  ) {
    const where: FindOptionsWhere<AuditEventEntity> = {
      tenantId,
      subject: In(query.subjects),
      type: In(query.types),
      occurredAt: MoreThanOrEqual(query.since),
      ...(query.beforeSeq ? { seq: LessThan(query.beforeSeq) } : {}),
    };
    return this.db.getRepository(AuditEventEntity).find({ where, order: { seq: 'DESC' }, take: query.limit });
  }

  /** Oldest first, in pages — for export; never the whole trail in memory. */
  async *stream(tenantId: string, query: AuditQuery): AsyncGenerator<AuditEventEntity> {
    let afterSeq = '0';
    for (;;) {
      const where = this.whereOf(tenantId, query);
      where.seq = MoreThan(afterSeq);
      const batch = await this.db.getRepository(AuditEventEntity).find({ where, order: { seq: 'ASC' }, take: 1000 });
      yield* batch;
      if (batch.length < 1000) return;
      afterSeq = batch[batch.length - 1].seq;
    }
  }

  private whereOf(tenantId: string, query: AuditQuery): FindOptionsWhere<AuditEventEntity> {
    const where: FindOptionsWhere<AuditEventEntity> = { tenantId };
    if (query.type) where.type = query.type;
    if (query.actor) where.actorId = query.actor;
    if (query.subject) where.subject = query.subject;
    if (query.since && query.until) where.occurredAt = Between(query.since, query.until);
    else if (query.since) where.occurredAt = MoreThanOrEqual(query.since);
    else if (query.until) where.occurredAt = LessThanOrEqual(query.until);
    return where;
  }

  /**
   * Walks the chain from its start (the newest checkpoint, or the beginning); any edited,
   * removed or reordered event, or a forged checkpoint, breaks it. Reports the first bad link.
   */
  async verify(tenantId: string): Promise<AuditVerification> {
    const repo = this.db.getRepository(AuditEventEntity);
    const checkpoint = await this.checkpoints.latest(this.db.manager, tenantId);
    if (checkpoint && !this.checkpoints.signatureValid(checkpoint)) {
      return { valid: false, count: 0, firstBadSeq: Number(checkpoint.seq), reason: 'checkpoint signature' };
    }
    let prevHash = checkpoint?.hash ?? GENESIS;
    let expectedSeq = checkpoint ? Number(checkpoint.seq) + 1 : 1;
    let count = 0;
    for (;;) {
      const batch = await repo.find({
        where: { tenantId, seq: MoreThanOrEqual(String(expectedSeq)) },
        order: { seq: 'ASC' },
        take: 1000,
      });
      for (const event of batch) {
        const reason =
          Number(event.seq) !== expectedSeq
            ? 'missing event'
            : event.prevHash !== prevHash
              ? 'broken link'
              : auditHash(event) !== event.hash
                ? 'altered event'
                : undefined;
        if (reason) return { valid: false, count, firstBadSeq: expectedSeq, reason };
        prevHash = event.hash;
        expectedSeq++;
        count++;
      }
      if (batch.length < 1000) {
        return { valid: true, count, ...(checkpoint ? { startsAfterSeq: Number(checkpoint.seq) } : {}) };
      }
    }
  }
}
