import { generateWebhookSecret, signatureHeader, verifySignature } from './webhook-signature.js';

describe('webhook signatures', () => {
  const secret = generateWebhookSecret();
  const body = JSON.stringify({ id: 'evt', type: 'login.success' });
  const now = 1_764_700_000;

  it('verify with the secret that signed them', () => {
    expect(verifySignature(signatureHeader([secret], body, now), body, secret, now)).toBe(true);
  });

  it('refuse another secret, a changed body, or a changed timestamp', () => {
    const header = signatureHeader([secret], body, now);
    expect(verifySignature(header, body, generateWebhookSecret(), now)).toBe(false);
    expect(verifySignature(header, body.replace('success', 'failure'), secret, now)).toBe(false);
    expect(verifySignature(header.replace(`t=${now}`, `t=${now + 1}`), body, secret, now)).toBe(false);
  });

  it('refuse a signature older than the tolerance (replay)', () => {
    expect(verifySignature(signatureHeader([secret], body, now - 301), body, secret, now)).toBe(false);
  });

  it('carry one v1 per active secret during a rotation grace period', () => {
    const next = generateWebhookSecret();
    const header = signatureHeader([next, secret], body, now);
    expect(header.match(/v1=/g)).toHaveLength(2);
    expect(verifySignature(header, body, secret, now)).toBe(true);
    expect(verifySignature(header, body, next, now)).toBe(true);
  });

  it('refuse malformed headers', () => {
    for (const header of ['', 'v1=abc', `t=${now}`, `t=${now},v1=zz`, 't=x,v1=' + 'a'.repeat(64)]) {
      expect(verifySignature(header, body, secret, now)).toBe(false);
    }
  });

  it('secrets are 256-bit and distinct', () => {
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(generateWebhookSecret()).not.toBe(secret);
  });
});
