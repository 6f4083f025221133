import { DomainError } from '@app/platform';

/** Why a WebAuthn response was refused (kept in the audit trail, never shown beyond a generic message). */
export type PasskeyRejection =
  | 'malformed'
  | 'challenge'
  | 'unknown_credential'
  | 'user_handle'
  | 'origin'
  | 'rp_id'
  | 'user_verification'
  | 'algorithm'
  | 'signature'
  | 'sign_counter_regression';

/**
 * A registration or sign-in ceremony that does not verify. The message is the same whatever
 * the reason; `reason` (and the passkey, when one was identified) is for the audit trail.
 */
export class PasskeyRejectedError extends DomainError {
  constructor(
    readonly reason: PasskeyRejection,
    readonly passkey?: { id: string; userId: string },
  ) {
    super('passkey_rejected', 400, 'the passkey response could not be verified; please try again');
  }
}

/** simplewebauthn says why in its error messages; this is the one place that reads them. */
export function rejectionOf(error: unknown): PasskeyRejection {
  const message = error instanceof Error ? error.message : '';
  if (/challenge/i.test(message)) return 'challenge';
  if (/origin/i.test(message)) return 'origin';
  if (/RP ID/i.test(message)) return 'rp_id';
  if (/public key alg/i.test(message)) return 'algorithm';
  if (/user verification|could not be verified|not present/i.test(message)) return 'user_verification';
  return 'malformed';
}
