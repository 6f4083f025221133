import type { Request, Response } from 'express';

/**
 * "Not now" and "Don't ask again here" on the passkey offer: a choice of this device (the
 * passkey would be made on it), so it is a cookie scoped to the tenant's issuer path, not an
 * account setting. It carries no secret: a forged one only hides the offer.
 */
const COOKIE = 'idp_passkey_offer';
const LATER_DAYS = 30;
/** Browsers cap cookie lifetimes at 400 days. */
const NEVER_DAYS = 400;

export function passkeyOfferDeclined(req: Request): boolean {
  return (req.headers.cookie ?? '').split(';').some((part) => /^\s*idp_passkey_offer=(later|never)\s*$/.test(part));
}

export function declinePasskeyOffer(
  res: Response,
  decision: 'later' | 'never',
  issuerPath: string,
  secure: boolean,
): void {
  res.cookie(COOKIE, decision, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: issuerPath,
    maxAge: (decision === 'never' ? NEVER_DAYS : LATER_DAYS) * 24 * 3600 * 1000,
  });
}
