import canonicalize from 'canonicalize';
import { randomBytes, randomInt } from 'node:crypto';
import { canonicalAuditFields, type HashedAuditFields } from './audit-canonical.js';

/** What the hash covered before the fixed-order form existed: the generic RFC 8785 serializer. */
function generic(event: HashedAuditFields): string {
  return canonicalize({
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
  })!;
}

const PIECES = [
  'a',
  'Z',
  '0',
  ' ',
  '"',
  '\\',
  '/',
  '\n',
  '\t',
  '\u0001',
  '\u007f',
  'é',
  'ß',
  '中',
  '😀',
  '\u2028',
  '<',
  '&',
];
function randomText(): string {
  let out = '';
  for (let i = randomInt(0, 12); i > 0; i--) out += PIECES[randomInt(PIECES.length)];
  return out;
}
const maybe = (): string | null => (randomInt(3) === 0 ? null : randomText());

function randomData(depth = 0): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (let i = randomInt(0, 5); i > 0; i--) {
    const kind = randomInt(depth < 2 ? 7 : 5);
    const values = [
      () => randomText(),
      () => randomInt(-1e6, 1e6) / 7,
      () => randomInt(2) === 0,
      () => null,
      () => [randomText(), randomInt(100), null],
      () => randomData(depth + 1),
      () => ({ nested: [randomData(depth + 1)] }),
    ];
    data[randomText() || 'k'] = values[kind]();
  }
  return data;
}

function randomEvent(): HashedAuditFields {
  return {
    tenantId: randomBytes(16).toString('hex'),
    seq: randomInt(1, 2 ** 40),
    type: randomText(),
    occurredAt: new Date(randomInt(0, 2 ** 42)),
    actorType: randomText(),
    actorId: maybe(),
    subject: maybe(),
    clientId: maybe(),
    ip: maybe(),
    userAgent: maybe(),
    outcome: randomInt(2) ? 'success' : 'failure',
    data: randomData(),
    prevHash: randomBytes(32).toString('hex'),
  };
}

describe('the canonical form an audit event is hashed over', () => {
  it('is byte for byte what the generic RFC 8785 serializer makes of the event, so stored chains still verify', () => {
    for (let i = 0; i < 2000; i++) {
      const event = randomEvent();
      expect(canonicalAuditFields(event)).toBe(generic(event));
    }
  });

  it('keeps every field, in code-unit order of the keys', () => {
    const form = canonicalAuditFields({
      tenantId: 't',
      seq: 7,
      type: 'token.issued',
      occurredAt: new Date('2026-01-02T03:04:05.678Z'),
      actorType: 'client',
      actorId: null,
      subject: null,
      clientId: 'svc',
      ip: '127.0.0.1',
      userAgent: 'curl/8 "quoted"',
      outcome: 'success',
      data: { scope: 'read', grantType: 'client_credentials' },
      prevHash: '0'.repeat(64),
    });
    expect(form).toBe(
      '{"actorId":null,"actorType":"client","clientId":"svc","data":{"grantType":"client_credentials","scope":"read"},' +
        '"ip":"127.0.0.1","occurredAt":"2026-01-02T03:04:05.678Z","outcome":"success","prevHash":"' +
        '0'.repeat(64) +
        '","seq":"7","subject":null,"tenantId":"t","type":"token.issued","userAgent":"curl/8 \\"quoted\\""}',
    );
  });

  it('refuses a lone surrogate exactly as the generic serializer does, and keeps a well-formed pair', () => {
    const lone = { ...randomEvent(), subject: 'x\uD800y' };
    expect(() => generic(lone)).toThrow();
    expect(() => canonicalAuditFields(lone)).toThrow();
    const pair = { ...randomEvent(), userAgent: 'agent 😀' };
    expect(canonicalAuditFields(pair)).toBe(generic(pair));
  });
});
