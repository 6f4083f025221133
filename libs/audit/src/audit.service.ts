import { growingLru, MASTER_KEY } from '@app/platform';
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
import type { PoolClient, QueryResult } from 'pg';
import { canonicalAuditFields } from './audit-canonical.js';
import { sqlLiteral } from './sql-literal.js';
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
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
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

interface ChainHead {
  seq: number;
  hash: string;
}

/**
 * The events of one tenant, numbered and hashed onto the chain after `start`. An event that
 * has no canonical form (a lone surrogate in a string) is refused on its own and takes no
 * place in the chain; the others are written.
 */
function chainedRows(
  tenantId: string,
  start: ChainHead,
  inputs: PendingEvent[],
  refused: [PendingEvent, Error][],
): AuditRow[] {
  let seq = start.seq;
  let prevHash = start.hash;
  const rows: AuditRow[] = [];
  for (const input of inputs) {
    const event = {
      id: randomUUID(),
      tenantId,
      seq: String(seq + 1),
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
    let hash: string;
    try {
      hash = auditHash(event);
    } catch (error) {
      refused.push([input, error instanceof Error ? error : new Error(String(error))]);
      continue;
    }
    seq++;
    prevHash = hash;
    rows.push({ ...event, hash });
  }
  return rows;
}

const INSERT_COLUMNS = `tenant_id, seq, type, occurred_at, actor_type, actor_id, subject, client_id,
  ip, user_agent, outcome, data, prev_hash, hash, id`;
const ROWSET = `AS r(tenant_id uuid, seq bigint, type varchar, occurred_at timestamptz, actor_type varchar,
  actor_id varchar, subject varchar, client_id varchar, ip varchar, user_agent varchar, outcome varchar,
  data jsonb, prev_hash varchar, hash varchar, id uuid)`;
/** Sorted tenant ids: the chains' locks are always taken in this order, so writers never deadlock. */
const LOCK_CHAINS = `SELECT pg_advisory_xact_lock(hashtext('audit:' || id)) FROM unnest($1::text[]) WITH ORDINALITY AS t(id, n) ORDER BY n`;

/** The rows as one JSON document: Postgres parses it in C (one statement for a whole flush). */
function rowsDocument(rows: AuditRow[]): string {
  return JSON.stringify(
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
  );
}

/**
 * How long a high-volume event may wait in memory before it is written (with others). Short
 * and small on purpose: numbering, hashing and serializing a batch runs on the event loop,
 * and a half-second batch of token events held requests up for ~15 ms (the p99 of the token
 * benchmark); ten small transactions a second cost Postgres next to nothing.
 */
const BATCH_DELAY_MS = 100;
const BATCH_MAX = 500;

type PendingEvent = AuditInput & {
  occurredAt: Date;
  /** Durable events: settled once the event is committed, or its write failed. */
  settle?: { resolve(): void; reject(error: Error): void };
};

/** The tamper-evident audit trail: each event's hash covers the one before it. */
@Injectable()
export class AuditService implements OnApplicationShutdown {
  private readonly logger = new Logger('audit');
  private readonly pending = new Map<string, PendingEvent[]>();
  private pendingCount = 0;
  private flushTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private flushQueued = false;
  private readonly recordedListeners: AuditRecordedListener[] = [];
  /**
   * The head of each chain as this process last wrote or read it. A write that trusts it needs
   * one round trip instead of five; Postgres still checks, under the chain's lock, that no
   * other writer (another instance, the CLI) has moved the head since, and if one has, the
   * write is redone the careful way.
   */
  private readonly chainHeads = growingLru<string, ChainHead>(100_000);

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

  /**
   * Security events: durable before the caller answers. Written at once, or with the events
   * that arrive while the previous write is in flight (group commit: one transaction for all).
   */
  record(tenantId: string, input: AuditInput): Promise<void> {
    return new Promise((resolve, reject) => {
      this.enqueue(tenantId, { ...input, occurredAt: new Date(), settle: { resolve, reject } });
      void this.flush();
    });
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
    this.enqueue(tenantId, { ...input, occurredAt: new Date() });
    if (this.pendingCount >= BATCH_MAX) void this.flush();
    else if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => void this.flush(), BATCH_DELAY_MS);
      this.flushTimer.unref();
    }
  }

  private enqueue(tenantId: string, event: PendingEvent): void {
    const queue = this.pending.get(tenantId);
    if (queue) queue.push(event);
    else this.pending.set(tenantId, [event]);
    this.pendingCount++;
  }

  /**
   * Writes every buffered event now (also on shutdown). One write at a time per process:
   * what arrives meanwhile goes together in the next one, and this process's own writes
   * never race for a chain head.
   */
  flush(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (!this.flushQueued) {
      this.flushQueued = true;
      this.flushing = this.flushing.then(() => {
        this.flushQueued = false;
        const batches = [...this.pending];
        this.pending.clear();
        this.pendingCount = 0;
        return batches.length ? this.write(batches) : undefined;
      });
    }
    return this.flushing;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  /** Appends the batches; tells durable callers how it went, logs lost batched events. */
  private async write(batches: [tenantId: string, events: PendingEvent[]][]): Promise<void> {
    let refused: [PendingEvent, Error][] = [];
    let failure: Error | undefined;
    try {
      refused = await this.appendBatches(batches);
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
    }
    const refusal = new Map(refused);
    let lost = 0;
    for (const [, events] of batches) {
      for (const event of events) {
        const error = failure ?? refusal.get(event);
        if (!error) event.settle?.resolve();
        else if (event.settle) event.settle.reject(error);
        else lost++;
      }
    }
    if (lost) this.logger.error(`audit batch of ${lost} events lost: ${(failure ?? refused[0][1]).message}`);
  }

  /**
   * One transaction for the events of every tenant in a flush: with tokens issued across
   * hundreds of tenants, a transaction per tenant chain (lock, read the head, insert, commit)
   * was a thousand round trips every half second. Returns the events refused on their own.
   */
  private async appendBatches(batches: [tenantId: string, inputs: PendingEvent[]][]): Promise<[PendingEvent, Error][]> {
    const tenantIds = batches.map(([tenantId]) => tenantId).sort();
    let refused: [PendingEvent, Error][] = [];
    let saved: AuditRow[] | undefined;
    const knownHeads = tenantIds.map((tenantId) => this.chainHeads.get(tenantId));
    if (knownHeads.every((head) => head !== undefined)) {
      const headOf = new Map(tenantIds.map((tenantId, i) => [tenantId, knownHeads[i]!]));
      const rows = batches.flatMap(([tenantId, inputs]) =>
        chainedRows(tenantId, headOf.get(tenantId)!, inputs, refused),
      );
      if (await this.insertAfterKnownHeads(tenantIds, headOf, rows)) saved = rows;
      else {
        for (const tenantId of tenantIds) this.chainHeads.delete(tenantId);
        refused = [];
      }
    }
    saved ??= await this.insertUnderLock(tenantIds, batches, refused);
    for (const row of saved) this.rememberHead(row.tenantId, { seq: Number(row.seq), hash: row.hash });
    // After the commit: a listener never sees an event that was rolled back.
    for (const event of saved) {
      for (const listener of this.recordedListeners) listener(event as unknown as AuditEventEntity);
    }
    return refused;
  }

  private rememberHead(tenantId: string, head: ChainHead): void {
    const known = this.chainHeads.get(tenantId);
    if (!known || known.seq < head.seq) this.chainHeads.set(tenantId, head);
  }

  /**
   * The whole transaction in one round trip, on the heads this process knows: lock the chains,
   * insert the rows only if no chain has grown past its known head, commit. False when one
   * had (nothing is written then).
   */
  private async insertAfterKnownHeads(
    tenantIds: string[],
    headOf: Map<string, ChainHead>,
    rows: AuditRow[],
  ): Promise<boolean> {
    if (!rows.length) return true;
    if (!tenantIds.every((id) => UUID.test(id))) throw new Error('audit: tenant id is not a UUID');
    // Several statements in one simple-protocol message, each with its own snapshot: the
    // insert sees every write committed before it got the locks. No parameters there, so
    // values travel as literals, escaped as the driver does (sqlLiteral); tenant ids are
    // UUIDs, checked above.
    const runner = this.db.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    const heads = JSON.stringify(
      tenantIds.map((tenantId) => ({ tenant_id: tenantId, seq: headOf.get(tenantId)!.seq })),
    );
    const sql = `BEGIN;
      ${LOCK_CHAINS.replace('$1', sqlLiteral(`{${tenantIds.join(',')}}`))};
      INSERT INTO audit_events (${INSERT_COLUMNS}) SELECT ${INSERT_COLUMNS}
        FROM jsonb_to_recordset(${sqlLiteral(rowsDocument(rows))}::jsonb) ${ROWSET}
       WHERE NOT EXISTS (
         SELECT 1 FROM jsonb_to_recordset(${sqlLiteral(heads)}::jsonb) AS h(tenant_id uuid, seq bigint)
          WHERE EXISTS (SELECT 1 FROM audit_events e WHERE e.tenant_id = h.tenant_id AND e.seq > h.seq));
      COMMIT;`;
    try {
      const results = (await client.query(sql)) as unknown as QueryResult[];
      return results[2].rowCount === rows.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /** The careful way: lock the chains, read their heads, insert, commit. */
  private async insertUnderLock(
    tenantIds: string[],
    batches: [tenantId: string, inputs: PendingEvent[]][],
    refused: [PendingEvent, Error][],
  ): Promise<AuditRow[]> {
    return this.db.transaction(async (manager) => {
      await manager.query(LOCK_CHAINS, [tenantIds]);
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
        // Known even if every event of this tenant is refused: the next write needs no read.
        this.rememberHead(tenantId, start);
        rows.push(...chainedRows(tenantId, start, inputs, refused));
      }
      if (rows.length) {
        await manager.query(
          `INSERT INTO audit_events (${INSERT_COLUMNS}) SELECT ${INSERT_COLUMNS} FROM jsonb_to_recordset($1::jsonb) ${ROWSET}`,
          [rowsDocument(rows)],
        );
      }
      return rows;
    });
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
