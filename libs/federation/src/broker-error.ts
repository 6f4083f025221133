/**
 * Why a round trip through an upstream failed, as the audit trail records it. The user only
 * ever sees a generic message: none of these tells an attacker which check caught them.
 */
export type BrokerFailure =
  | 'denied'
  | 'state'
  | 'id_token'
  | 'upstream'
  | 'timeout'
  | 'unverified_email'
  | 'email_in_use'
  | 'not_linked'
  | 'disabled_user'
  | 'provider_unavailable';

export class BrokerError extends Error {
  constructor(
    readonly reason: BrokerFailure,
    readonly detail?: string,
  ) {
    super(`upstream sign-in failed: ${reason}`);
  }
}
