/** Who a code is for, as the sign-in and account pages know them. */
export interface CodeRecipient {
  id: string;
  username: string;
  email?: string | null;
  emailVerified?: boolean;
}

export type CodePurpose = 'sign_in' | 'enroll' | 'remove';

export interface CodeMessage {
  to: string;
  code: string;
  purpose: CodePurpose;
  tenantName: string;
  username: string;
  ttlMinutes: number;
}

/**
 * A way to deliver one-time codes: email now; an SMS sender is another implementation of
 * this interface (its destination a verified phone number), registered in CODE_CHANNELS.
 * Everything else — the code, its hash, expiry, attempts, resend limits, enrolment — is the
 * same for every channel (CodeFactorsService).
 */
export interface CodeChannel {
  /** Stored with factors and codes, and named in routes and audit events. */
  readonly name: string;
  /** Whether a code sent now can arrive at all (email: a relay is configured). */
  readonly available: boolean;
  /** Where this user's codes go, or null when the user has no verified destination. */
  destination(user: CodeRecipient): string | null;
  /** The destination as pages show it (al•••@example.com): enough to recognise, not to harvest. */
  mask(destination: string): string;
  /** Hands the code over; false when it could not be. Never logs the code. */
  deliver(message: CodeMessage): Promise<boolean>;
}

export const CODE_CHANNELS = Symbol('CODE_CHANNELS');
