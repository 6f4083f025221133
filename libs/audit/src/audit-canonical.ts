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

function text(value: string | null | undefined): string | undefined {
  return value === undefined ? undefined : JSON.stringify(value);
}

/**
 * The RFC 8785 (JCS) form of an event's hashed fields, byte for byte what `canonicalize` makes
 * of the same object, written out in the fixed key order instead of discovered, sorted and
 * recursed over per event: every token issued is hashed onto the chain, and the generic
 * serializer was a visible share of that work (docs/performance.md). Rare input — a string
 * with a surrogate, whose rules (lone ones are refused) live in the library — goes the
 * generic way; `data` always does, being free-form.
 */
export function canonicalAuditFields(event: HashedAuditFields): string {
  const strings = [
    event.actorId,
    event.actorType,
    event.clientId,
    event.ip,
    event.outcome,
    event.prevHash,
    event.subject,
    event.tenantId,
    event.type,
    event.userAgent,
  ];
  const object = {
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
  if (strings.some((value) => typeof value === 'string' && SURROGATE.test(value))) return canonicalize(object)!;
  // Keys in code-unit order (RFC 8785 §3.2.3); an undefined member is left out, as JCS does.
  const members: [string, string | undefined][] = [
    ['actorId', text(object.actorId)],
    ['actorType', text(object.actorType)],
    ['clientId', text(object.clientId)],
    ['data', object.data === undefined ? undefined : canonicalize(object.data)],
    ['ip', text(object.ip)],
    ['occurredAt', text(object.occurredAt)],
    ['outcome', text(object.outcome)],
    ['prevHash', text(object.prevHash)],
    ['seq', text(object.seq)],
    ['subject', text(object.subject)],
    ['tenantId', text(object.tenantId)],
    ['type', text(object.type)],
    ['userAgent', text(object.userAgent)],
  ];
  let out = '{';
  for (const [key, value] of members) {
    if (value === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}"${key}":${value}`;
  }
  return `${out}}`;
}
