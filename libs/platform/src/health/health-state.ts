/**
 * The one health model of the product: dependencies (Postgres, Redis, SMTP), webhook
 * endpoints and upstream identity providers all move through the same states by the same
 * rules. Pure: the caller keeps the state (in memory, in a row) and passes the clock in.
 *
 * - healthy → degraded after `degradedAfter` (3) failures in a row, unhealthy after
 *   `unhealthyAfter` (5); only failures within `windowMs` (1 h) of the latest one count, so
 *   a receiver that fails once a day never becomes unhealthy.
 * - unhealthy is held for at least `holdMs`: nothing inside the hold counts toward recovery
 *   (a target that answers again for a second is not trusted yet). A failure after the hold
 *   starts another hold.
 * - degraded or unhealthy (after its hold) → healthy after `recoverAfter` (3) successes in a row.
 */
export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

export interface HealthPolicy {
  degradedAfter: number;
  unhealthyAfter: number;
  recoverAfter: number;
  /** Minimum time an unhealthy target stays unhealthy. */
  holdMs: number;
  /** Failures older than this (counted back from the newest) no longer count. */
  windowMs: number;
}

/** External endpoints (mail relay, webhook receivers, identity providers). */
export const EXTERNAL_HEALTH_POLICY: HealthPolicy = {
  degradedAfter: 3,
  unhealthyAfter: 5,
  recoverAfter: 3,
  holdMs: 300_000,
  windowMs: 3_600_000,
};

/**
 * The server's own Postgres and Redis: the same thresholds with a 15 s hold. Readiness
 * follows these, and a load balancer that stops sending traffic for 5 minutes because the
 * database failed over in 3 s would turn a blip into an outage; 15 s (one or two readiness
 * intervals) plus 3 good checks is enough that readiness does not flap during a failover.
 */
export const CORE_HEALTH_POLICY: HealthPolicy = { ...EXTERNAL_HEALTH_POLICY, holdMs: 15_000 };

export interface HealthState {
  status: HealthStatus;
  /** Failures since the last success (all of them, the window aside). */
  consecutiveFailures: number;
  /** Successes since the last failure that count toward recovery (none inside a hold). */
  consecutiveSuccesses: number;
  /** Times (epoch ms) of the latest failures in a row, at most `unhealthyAfter` of them. */
  recentFailures: number[];
  /** While unhealthy: the end of the hold (epoch ms). */
  unhealthyUntil: number | null;
  lastCheckedAt: number | null;
}

export function initialHealthState(): HealthState {
  return {
    status: 'healthy',
    consecutiveFailures: 0,
    consecutiveSuccesses: 0,
    recentFailures: [],
    unhealthyUntil: null,
    lastCheckedAt: null,
  };
}

/** True while an unhealthy target is inside its hold (callers may skip it until then). */
export function isHeld(state: HealthState, now: number): boolean {
  return state.status === 'unhealthy' && state.unhealthyUntil !== null && now < state.unhealthyUntil;
}

/** The state after one more observed outcome at `now` (epoch ms). */
export function recordHealthOutcome(state: HealthState, ok: boolean, now: number, policy: HealthPolicy): HealthState {
  return ok ? afterSuccess(state, now, policy) : afterFailure(state, now, policy);
}

function afterSuccess(state: HealthState, now: number, policy: HealthPolicy): HealthState {
  const base = { ...state, consecutiveFailures: 0, recentFailures: [], lastCheckedAt: now };
  if (state.status === 'healthy') return { ...base, consecutiveSuccesses: state.consecutiveSuccesses + 1 };
  if (isHeld(state, now)) return { ...base, consecutiveSuccesses: 0 };
  const successes = state.consecutiveSuccesses + 1;
  if (successes >= policy.recoverAfter) {
    return { ...base, status: 'healthy', consecutiveSuccesses: successes, unhealthyUntil: null };
  }
  return { ...base, consecutiveSuccesses: successes };
}

function afterFailure(state: HealthState, now: number, policy: HealthPolicy): HealthState {
  const recentFailures = [...state.recentFailures.filter((at) => now - at < policy.windowMs && at <= now), now].slice(
    -policy.unhealthyAfter,
  );
  const base = {
    ...state,
    consecutiveFailures: state.consecutiveFailures + 1,
    consecutiveSuccesses: 0,
    recentFailures,
    lastCheckedAt: now,
  };
  if (state.status === 'unhealthy') {
    // Inside the hold the hold stands; the first failure after it (a failed probe) starts a new one.
    return isHeld(state, now) ? base : { ...base, unhealthyUntil: now + policy.holdMs };
  }
  if (recentFailures.length >= policy.unhealthyAfter) {
    return { ...base, status: 'unhealthy', unhealthyUntil: now + policy.holdMs };
  }
  if (recentFailures.length >= policy.degradedAfter) return { ...base, status: 'degraded' };
  return base;
}

/** The shape every health answer uses (ISO times; `unhealthyUntil` only while unhealthy). */
export function describeHealth(state: HealthState) {
  return {
    status: state.status,
    consecutiveFailures: state.consecutiveFailures,
    consecutiveSuccesses: state.consecutiveSuccesses,
    lastCheckedAt: state.lastCheckedAt === null ? null : new Date(state.lastCheckedAt).toISOString(),
    ...(state.status === 'unhealthy' && state.unhealthyUntil !== null
      ? { unhealthyUntil: new Date(state.unhealthyUntil).toISOString() }
      : {}),
  };
}
