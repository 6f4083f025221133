import { createHmac, hkdfSync } from 'node:crypto';
import { constantTimeEqual } from '@app/platform';

/**
 * Stateless CSRF token for interaction forms: an HMAC of the interaction uid under a key
 * derived from MASTER_KEY, so it is the same on every instance and cannot be forged.
 */
export class InteractionCsrf {
  private readonly key: Buffer;

  constructor(masterKey: Buffer) {
    this.key = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'interaction-csrf', 32));
  }

  tokenFor(tenantId: string, uid: string): string {
    return createHmac('sha256', this.key).update(`${tenantId}:${uid}`).digest('base64url');
  }

  isValid(tenantId: string, uid: string, token: unknown): boolean {
    return typeof token === 'string' && constantTimeEqual(token, this.tokenFor(tenantId, uid));
  }
}
