import canonicalize from 'canonicalize';

/** The fields of an event that its hash covers, as stored. */
export interface HashedAuditFields {
  tenantId: string;
  seq: string | number;
  type: string;
  occurredAt: Date;
  actorType: string;
  actorId: string | null;
  subject: string | null;
  clientId: string | null;
  ip: string | null;
  userAgent: string | null;
  outcome: string;
  data: Record<string, unknown>;
  prevHash: string;
}

/** Any UTF-16 surrogate: the generic serializer rejects lone ones, so such events go its way. */
const SURROGATE = /[\uD800-\uDFFF]/;

/** The hashed members in code-unit order of their names (RFC 8785 §3.2.3). */
const KEY_ORDER = [
  'actorId',
  'actorType',
  'clientId',
  'data',
  'ip',
  'occurredAt',
  'outcome',
  'prevHash',
  'seq',
  'subject',
  'tenantId',
  'type',
  'userAgent',
] as const;

/**
 * The RFC 8785 (JCS) form of an event's hashed fields, byte for byte what `canonicalize` makes
 * of the same object, written out in the fixed key order instead of discovered, sorted and
 * recursed over per event: every token issued is hashed onto the chain, and the generic
 * serializer was a visible share of that work (docs/performance.md). Rare input — a string
 * with a surrogate, whose rules (lone ones are refused) live in the library — goes the
 * generic way; `data` always does, being free-form.
 */
export function canonicalAuditFields(event: HashedAuditFields): string {
  const fields = {
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
  };
  const values = Object.values(fields);
  if (values.some((value) => typeof value === 'string' && SURROGATE.test(value))) return canonicalize(fields)!;
  let out = '';
  for (const key of KEY_ORDER) {
    const value = fields[key];
    // An undefined member is left out, as JCS does.
    if (value === undefined) continue;
    out += `${out ? ',' : '{'}"${key}":${key === 'data' ? canonicalize(value) : JSON.stringify(value)}`;
  }
  return `${out || '{'}}`;
}
