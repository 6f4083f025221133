export interface FailureRule {
  /** Failures allowed inside the window before further attempts are refused. */
  limit: number;
  windowSeconds: number;
}

export interface LimitState {
  blocked: boolean;
  /** Seconds until the window that blocks ends (for Retry-After). */
  retryAfterSeconds: number;
}

/**
 * Counts failures (wrong secret, wrong password) per key in a fixed window and says when a
 * key is over its limit. Successful traffic is never counted, so a busy, correctly
 * authenticated client is never throttled by it.
 */
export interface FailureLimiter {
  /**
   * Blocked when any of the keys is over its limit. Answered from this instance's memory,
   * without a round trip (it runs before every client authentication): blocks set here, or
   * announced by another instance, or found on this instance's next failure of a key that
   * was blocked before it started — so across instances a key may get one extra attempt
   * per instance, never more.
   */
  check(tenantId: string, keys: [key: string, rule: FailureRule][]): Promise<LimitState>;
  /**
   * False when check() would answer open whatever the keys: this instance knows of no block.
   * Lets a hot path skip building its keys (client authentication runs on every token request).
   */
  knowsBlocks(): boolean;
  recordFailure(tenantId: string, key: string, rule: FailureRule): Promise<void>;
  /** Forget the failures of these keys (admin unlock). */
  clear(tenantId: string, keys: string[]): Promise<void>;
  /**
   * For slow, guessable checks (passwords, codes): atomically take a slot in every key
   * before checking, so N parallel guesses can never exceed the limit. Call `succeeded()`
   * to give the slots back — only failures stay counted.
   */
  reserve(tenantId: string, keys: [key: string, rule: FailureRule][]): Promise<Reservation>;
}

export interface Reservation extends LimitState {
  succeeded(): Promise<void>;
  /** Keys whose last slot this reservation took: if the check fails, they are now locked. */
  filled: string[];
}

export const OPEN: LimitState = { blocked: false, retryAfterSeconds: 0 };

/** Defaults from the contract: failures of anonymous actions, per client id, account and IP. */
export const FAILURE_RULES = {
  clientAuthPerIp: { limit: 20, windowSeconds: 60 },
  clientAuthPerClient: { limit: 50, windowSeconds: 60 },
  loginPerIp: { limit: 30, windowSeconds: 300 },
  secondFactorPerAccount: { limit: 5, windowSeconds: 300 },
  // Anonymous actions that send mail or create accounts: every attempt counts, not only failures.
  registrationPerIp: { limit: 10, windowSeconds: 3600 },
  passwordResetPerIp: { limit: 10, windowSeconds: 900 },
  passwordResetPerAccount: { limit: 3, windowSeconds: 900 },
  // One-time codes sent (email): one per 30 s and five per hour per account, every send counted.
  codeSendBurstPerAccount: { limit: 1, windowSeconds: 30 },
  codeSendsPerAccount: { limit: 5, windowSeconds: 3600 },
} satisfies Record<string, FailureRule>;
