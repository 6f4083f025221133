import { constantTimeEqual, generateSecret } from '@app/platform';
import type { Request, Response } from 'express';
import { createHmac, hkdfSync } from 'node:crypto';

const COOKIE = 'idp_form';

function cookieValue(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * CSRF for forms outside a sign-in interaction (forgot / reset password, verify email):
 * a random cookie, and in the form an HMAC of it under a key derived from MASTER_KEY. A
 * cross-site page can neither read the cookie nor compute the field, so it cannot post.
 */
export class FormCsrf {
  private readonly key: Buffer;

  constructor(
    masterKey: Buffer,
    private readonly secureCookies: boolean,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'self-service-form-csrf', 32));
  }

  private sign(tenantId: string, nonce: string): string {
    return createHmac('sha256', this.key).update(`${tenantId}:${nonce}`).digest('base64url');
  }

  /** The form field for this browser (setting its cookie first if it has none). */
  tokenFor(req: Request, res: Response, tenantId: string, cookiePath: string): string {
    let nonce = cookieValue(req, COOKIE);
    if (!nonce || !/^[A-Za-z0-9_-]{43}$/.test(nonce)) {
      nonce = generateSecret(32);
      res.cookie(COOKIE, nonce, {
        httpOnly: true,
        sameSite: 'lax',
        secure: this.secureCookies,
        path: cookiePath,
      });
    }
    return this.sign(tenantId, nonce);
  }

  isValid(req: Request, tenantId: string, token: unknown): boolean {
    const nonce = cookieValue(req, COOKIE);
    return !!nonce && typeof token === 'string' && constantTimeEqual(token, this.sign(tenantId, nonce));
  }
}
