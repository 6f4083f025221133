import { MASTER_KEY } from '@app/platform';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { createHmac, hash, hkdfSync, randomUUID, timingSafeEqual } from 'node:crypto';
import {
  Between,
  DataSource,
  type EntityManager,
  type FindOptionsWhere,
  LessThan,
  LessThanOrEqual,
  MoreThan,
  MoreThanOrEqual,
} from 'typeorm';
import { canonicalAuditFields } from './audit-canonical.js';
import { AuditCheckpointEntity } from './audit-checkpoint.entity.js';
import { type AuditActorType, AuditEventEntity, type AuditOutcome } from './audit-event.entity.js';

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
/**
 * Field names whose values are dropped from `data` even if a caller passes them by mistake
 * (`clientSecret`, `newPassword`, `refreshToken`, `recoveryCodes`…); names that only mention
 * one (`accessTokenTtlSeconds`, `passwordPolicy`) describe settings and are kept.
 */
const SECRET_FIELD = /(pass(word)?|secret|token|code|authorization|cookie)s?$/i;

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
  return hash('sha256', canonicalAuditFields(event), 'hex');
}

type AuditRow = Omit<AuditEventEntity, 'seq'> & { seq: string };

/** The events of one tenant, numbered and hashed onto the chain after `start`. */
function chainedRows(tenantId: string, start: { seq: number; hash: string }, inputs: PendingEvent[]): AuditRow[] {
  let seq = start.seq;
  let prevHash = start.hash;
  return inputs.map((input) => {
    const event = {
      id: randomUUID(),
      tenantId,
      seq: String(++seq),
      type: input.type,
      occurredAt: input.occurredAt,
      actorType: input.actor?.type ?? 'system',
      actorId: input.actor?.id?.slice(0, 128) ?? null,
      subject: input.subject?.slice(0, 256) ?? null,
      clientId: input.clientId?.slice(0, 128) ?? null,
      ip: input.ip?.slice(0, 64) ?? null,
      userAgent: input.userAgent?.slice(0, 512) ?? null,
      outcome: input.outcome,
      data: (scrub(input.data ?? {}) as Record<string, unknown>) ?? {},
      prevHash,
    };
    prevHash = auditHash(event);
    return { ...event, hash: prevHash };
  });
}

/**
 * How long a high-volume event may wait in memory before it is written (with others). Short
 * and small on purpose: numbering, hashing and serializing a batch runs on the event loop,
 * and a half-second batch of token events held requests up for ~15 ms (the p99 of the token
 * benchmark); ten small transactions a second cost Postgres next to nothing.
 */
const BATCH_DELAY_MS = 100;
const BATCH_MAX = 500;

type PendingEvent = AuditInput & { occurredAt: Date };

/** The tamper-evident audit trail: each event's hash covers the one before it. */
@Injectable()
export class AuditService implements OnApplicationShutdown {
  private readonly logger = new Logger('audit');
  private readonly pending = new Map<string, PendingEvent[]>();
  private pendingCount = 0;
  private flushTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private readonly recordedListeners: AuditRecordedListener[] = [];

  private readonly checkpointKey: Buffer;

  constructor(
    private readonly db: DataSource,
    @Inject(MASTER_KEY) masterKey: Buffer,
  ) {
    this.checkpointKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'audit-checkpoints', 32));
  }

  /** Told about every event after its transaction commits (webhooks). */
  onRecorded(listener: AuditRecordedListener): void {
    this.recordedListeners.push(listener);
  }

  /** Security events: durable before the caller answers. */
  async record(tenantId: string, input: AuditInput): Promise<void> {
    await this.append(tenantId, [{ ...input, occurredAt: new Date() }]);
  }

  /**
   * For events beside a user's action (sign-in): awaited like `record`, so the event is
   * durable before the answer, but a failed write is logged rather than shown to the user.
   */
  async recordQuietly(tenantId: string, input: AuditInput): Promise<void> {
    await this.record(tenantId, input).catch((error: Error) =>
      this.logger.error(`audit write failed: ${error.message}`),
    );
  }

  /**
   * High-volume events (tokens issued, refreshed, revoked) off the request path: buffered
   * and written together within BATCH_DELAY_MS (0.1 s), one transaction per flush. A crash
   * loses at most that last tenth of a second of token events — never a sign-in, lockout or
   * admin change.
   */
  recordBatched(tenantId: string, input: AuditInput): void {
    const queue = this.pending.get(tenantId) ?? [];
    queue.push({ ...input, occurredAt: new Date() });
    this.pending.set(tenantId, queue);
    this.pendingCount++;
    if (this.pendingCount >= BATCH_MAX) void this.flush();
    else if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => void this.flush(), BATCH_DELAY_MS);
      this.flushTimer.unref();
    }
  }

  /** Writes every buffered event now (also on shutdown). */
  flush(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const batches = [...this.pending];
    this.pending.clear();
    this.pendingCount = 0;
    this.flushing = this.flushing.then(async () => {
      if (!batches.length) return;
      await this.appendBatches(batches).catch((error: Error) => {
        const lost = batches.reduce((count, [, events]) => count + events.length, 0);
        this.logger.error(`audit batch of ${lost} events lost: ${error.message}`);
      });
    });
    return this.flushing;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  private append(tenantId: string, inputs: PendingEvent[]): Promise<void> {
    return this.appendBatches([[tenantId, inputs]]);
  }

  /**
   * One transaction for the events of every tenant in a flush: with tokens issued across
   * hundreds of tenants, a transaction per tenant chain (lock, read the head, insert, commit)
   * was a thousand round trips every half second.
   */
  private async appendBatches(batches: [tenantId: string, inputs: PendingEvent[]][]): Promise<void> {
    const tenantIds = batches.map(([tenantId]) => tenantId).sort();
    const saved = await this.db.transaction(async (manager) => {
      // One writer per tenant chain at a time, so two events never share a predecessor; the
      // locks are taken in the same (sorted) order everywhere, so two flushes never deadlock.
      await manager.query(
        `SELECT pg_advisory_xact_lock(hashtext('audit:' || id)) FROM unnest($1::text[]) WITH ORDINALITY AS t(id, n) ORDER BY n`,
        [tenantIds],
      );
      const heads = (await manager.query(
        `SELECT t.id AS tenant_id, e.seq, e.hash FROM unnest($1::uuid[]) AS t(id)
           LEFT JOIN LATERAL (SELECT seq, hash FROM audit_events WHERE tenant_id = t.id ORDER BY seq DESC LIMIT 1) e ON true`,
        [tenantIds],
      )) as { tenant_id: string; seq: string | null; hash: string | null }[];
      const headOf = new Map(heads.map((head) => [head.tenant_id, head]));
      const rows: AuditRow[] = [];
      for (const [tenantId, inputs] of batches) {
        const head = headOf.get(tenantId);
        const start =
          head?.seq != null ? { seq: Number(head.seq), hash: head.hash! } : await this.chainStart(manager, tenantId);
        rows.push(...chainedRows(tenantId, start, inputs));
      }
      // One statement for the whole flush, the rows as one JSON document: Postgres parses it
      // in C, where pg's escaping of fifteen array parameters element by element took a
      // visible share of the event loop whenever a batch of token events was written.
      await manager.query(
        `INSERT INTO audit_events (tenant_id, seq, type, occurred_at, actor_type, actor_id, subject, client_id,
                                   ip, user_agent, outcome, data, prev_hash, hash, id)
         SELECT tenant_id, seq, type, occurred_at, actor_type, actor_id, subject, client_id,
                ip, user_agent, outcome, data, prev_hash, hash, id
           FROM jsonb_to_recordset($1::jsonb) AS r(tenant_id uuid, seq bigint, type varchar, occurred_at timestamptz,
                actor_type varchar, actor_id varchar, subject varchar, client_id varchar, ip varchar,
                user_agent varchar, outcome varchar, data jsonb, prev_hash varchar, hash varchar, id uuid)`,
        [
          JSON.stringify(
            rows.map((r) => ({
              tenant_id: r.tenantId,
              seq: r.seq,
              type: r.type,
              occurred_at: r.occurredAt.toISOString(),
              actor_type: r.actorType,
              actor_id: r.actorId,
              subject: r.subject,
              client_id: r.clientId,
              ip: r.ip,
              user_agent: r.userAgent,
              outcome: r.outcome,
              data: r.data,
              prev_hash: r.prevHash,
              hash: r.hash,
              id: r.id,
            })),
          ),
        ],
      );
      return rows;
    });
    // After the commit: a listener never sees an event that was rolled back.
    for (const event of saved) {
      for (const listener of this.recordedListeners) listener(event as unknown as AuditEventEntity);
    }
  }

  /** Newest first; `beforeSeq` is the cursor (the last seq of the previous page). */
  list(tenantId: string, query: AuditQuery & { limit: number; beforeSeq?: string }) {
    const where = this.whereOf(tenantId, query);
    if (query.beforeSeq) where.seq = LessThan(query.beforeSeq);
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
    const checkpoint = await this.latestCheckpoint(this.db.manager, tenantId);
    if (checkpoint && !this.checkpointSignatureValid(checkpoint)) {
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

  /**
   * Retention: removes the oldest events that occurred before `cutoff` (a prefix of the
   * chain) and leaves a signed checkpoint so the rest still verifies. Returns how many went.
   */
  async prune(tenantId: string, cutoff: Date): Promise<number> {
    return this.db.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('audit:' || $1))`, [tenantId]);
      const [lastOld] = await manager.query(
        `SELECT seq, hash FROM audit_events
          WHERE tenant_id = $1
            AND seq < COALESCE(
              (SELECT min(seq) FROM audit_events WHERE tenant_id = $1 AND occurred_at >= $2),
              (SELECT max(seq) + 1 FROM audit_events WHERE tenant_id = $1))
          ORDER BY seq DESC LIMIT 1`,
        [tenantId, cutoff],
      );
      if (!lastOld) return 0;
      const seq = String(lastOld.seq);
      // The trigger lets DELETE through only inside a transaction that says it is the retention job.
      await manager.query(`SELECT set_config('idp.audit_retention', 'on', true)`);
      const removed = await manager.query(`DELETE FROM audit_events WHERE tenant_id = $1 AND seq <= $2`, [
        tenantId,
        seq,
      ]);
      const removedCount = Number(removed?.[1] ?? 0);
      await manager.getRepository(AuditCheckpointEntity).insert({
        tenantId,
        seq,
        hash: lastOld.hash,
        removedCount,
        signature: this.sign(tenantId, seq, lastOld.hash),
      });
      return removedCount;
    });
  }

  private async latestCheckpoint(manager: EntityManager, tenantId: string) {
    return manager.getRepository(AuditCheckpointEntity).findOne({ where: { tenantId }, order: { seq: 'DESC' } });
  }

  /** Where a chain continues when its events are gone: the newest checkpoint, else the genesis. */
  private async chainStart(manager: EntityManager, tenantId: string): Promise<{ seq: number; hash: string }> {
    const checkpoint = await this.latestCheckpoint(manager, tenantId);
    return checkpoint ? { seq: Number(checkpoint.seq), hash: checkpoint.hash } : { seq: 0, hash: GENESIS };
  }

  private sign(tenantId: string, seq: string, hash: string): string {
    return createHmac('sha256', this.checkpointKey).update(`${tenantId}:${seq}:${hash}`).digest('hex');
  }

  private checkpointSignatureValid(checkpoint: AuditCheckpointEntity): boolean {
    const expected = Buffer.from(this.sign(checkpoint.tenantId, checkpoint.seq, checkpoint.hash), 'hex');
    const actual = Buffer.from(checkpoint.signature, 'hex');
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }
}
