import { growingLru, MASTER_KEY } from '@app/platform';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PoolClient, QueryResult } from 'pg';
import { sqlLiteral } from './sql-literal.js';
import { AuditCheckpoints } from './audit-checkpoints.js';
import { AuditQueries, type AuditQuery, type AuditVerification } from './audit-queries.js';
import {
  type AuditInput,
  type AuditRow,
  type ChainHead,
  chainedRows,
  INSERT_COLUMNS,
  LOCK_CHAINS,
  type PendingEvent,
  ROWSET,
  rowsDocument,
  UUID,
} from './audit-chain.js';
import { AuditEventEntity } from './audit-event.entity.js';

/** Told about each event once it is committed (e.g. webhooks); must not throw. */
export type AuditRecordedListener = (event: AuditEventEntity) => void;

/**
 * How long a high-volume event may wait in memory before it is written (with others). Short
 * and small on purpose: numbering, hashing and serializing a batch runs on the event loop,
 * and a half-second batch of token events held requests up for ~15 ms (the p99 of the token
 * benchmark); ten small transactions a second cost Postgres next to nothing.
 */
const BATCH_DELAY_MS = 100;
const BATCH_MAX = 500;

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

  private readonly checkpoints: AuditCheckpoints;
  private readonly queries: AuditQueries;

  constructor(
    private readonly db: DataSource,
    @Inject(MASTER_KEY) masterKey: Buffer,
  ) {
    this.checkpoints = new AuditCheckpoints(db, masterKey);
    this.queries = new AuditQueries(db, this.checkpoints);
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
          head?.seq != null
            ? { seq: Number(head.seq), hash: head.hash! }
            : await this.checkpoints.chainStart(manager, tenantId);
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
    return this.queries.list(tenantId, query);
  }

  /** One user's events of these types, newest first (see AuditQueries.ofSubjects). */
  ofSubjects(
    tenantId: string,
    query: { subjects: string[]; types: string[]; since: Date; limit: number; beforeSeq?: string },
  ): Promise<AuditEventEntity[]> {
    return this.queries.ofSubjects(tenantId, query);
  }

  /** Oldest first, in pages — for export; never the whole trail in memory. */
  stream(tenantId: string, query: AuditQuery): AsyncGenerator<AuditEventEntity> {
    return this.queries.stream(tenantId, query);
  }

  verify(tenantId: string): Promise<AuditVerification> {
    return this.queries.verify(tenantId);
  }

  /**
   * Retention: removes the oldest events that occurred before `cutoff` (a prefix of the
   * chain) and leaves a signed checkpoint so the rest still verifies. Returns how many went.
   */
  prune(tenantId: string, cutoff: Date): Promise<number> {
    return this.checkpoints.prune(tenantId, cutoff);
  }
}
