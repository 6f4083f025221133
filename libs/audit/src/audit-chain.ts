import { hash, randomUUID } from 'node:crypto';
import { canonicalAuditFields } from './audit-canonical.js';
import { type AuditActorType, AuditEventEntity, type AuditOutcome } from './audit-event.entity.js';

// The chain format: how events are numbered, scrubbed, hashed onto the chain and written in one statement.

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

export const GENESIS = '0'.repeat(64);
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
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

export type AuditRow = Omit<AuditEventEntity, 'seq'> & { seq: string };

export interface ChainHead {
  seq: number;
  hash: string;
}

export type PendingEvent = AuditInput & {
  occurredAt: Date;
  /** Durable events: settled once the event is committed, or its write failed. */
  settle?: { resolve(): void; reject(error: Error): void };
};

/**
 * The events of one tenant, numbered and hashed onto the chain after `start`. An event that
 * has no canonical form (a lone surrogate in a string) is refused on its own and takes no
 * place in the chain; the others are written.
 */
export function chainedRows(
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

export const INSERT_COLUMNS = `tenant_id, seq, type, occurred_at, actor_type, actor_id, subject, client_id,
  ip, user_agent, outcome, data, prev_hash, hash, id`;
export const ROWSET = `AS r(tenant_id uuid, seq bigint, type varchar, occurred_at timestamptz, actor_type varchar,
  actor_id varchar, subject varchar, client_id varchar, ip varchar, user_agent varchar, outcome varchar,
  data jsonb, prev_hash varchar, hash varchar, id uuid)`;
/** Sorted tenant ids: the chains' locks are always taken in this order, so writers never deadlock. */
export const LOCK_CHAINS = `SELECT pg_advisory_xact_lock(hashtext('audit:' || id)) FROM unnest($1::text[]) WITH ORDINALITY AS t(id, n) ORDER BY n`;

/** The rows as one JSON document: Postgres parses it in C (one statement for a whole flush). */
export function rowsDocument(rows: AuditRow[]): string {
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
