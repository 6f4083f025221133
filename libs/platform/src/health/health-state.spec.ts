import {
  CORE_HEALTH_POLICY,
  describeHealth,
  EXTERNAL_HEALTH_POLICY,
  type HealthPolicy,
  type HealthState,
  initialHealthState,
  isHeld,
  recordHealthOutcome,
} from './health-state.js';

const POLICY: HealthPolicy = { ...EXTERNAL_HEALTH_POLICY, holdMs: 300_000, windowMs: 3_600_000 };
const SECOND = 1000;

/** Applies outcomes one second apart from `start`; answers every intermediate status. */
function run(outcomes: string, from = initialHealthState(), start = 0, policy = POLICY) {
  let state: HealthState = from;
  const statuses: string[] = [];
  [...outcomes].forEach((outcome, i) => {
    state = recordHealthOutcome(state, outcome === '+', start + i * SECOND, policy);
    statuses.push(state.status[0]);
  });
  return { state, statuses: statuses.join('') };
}

describe('health state machine', () => {
  it('starts healthy with nothing counted', () => {
    expect(initialHealthState()).toEqual({
      status: 'healthy',
      consecutiveFailures: 0,
      consecutiveSuccesses: 0,
      recentFailures: [],
      unhealthyUntil: null,
      lastCheckedAt: null,
    });
  });

  it('healthy → degraded at the 3rd failure in a row → unhealthy at the 5th', () => {
    expect(run('-----').statuses).toBe('hhddu');
  });

  it('a success resets the failure count: failures that are not in a row never degrade', () => {
    const { state, statuses } = run('--+--+--+');
    expect(statuses).toBe('hhhhhhhhh');
    expect(state).toMatchObject({ consecutiveFailures: 0, consecutiveSuccesses: 1, recentFailures: [] });
  });

  it('degraded → healthy only after 3 successes in a row; a failure in between restarts the count', () => {
    const degraded = run('---').state;
    expect(run('++-+++', degraded).statuses).toBe('dddddh');
  });

  it('degraded stays degraded on a 4th failure and turns unhealthy on the 5th', () => {
    expect(run('---').statuses + run('--', run('---').state, 3 * SECOND).statuses).toBe('hhddu');
  });

  it('unhealthy is held: successes inside the hold neither heal nor count', () => {
    const { state: unhealthy } = run('-----');
    expect(unhealthy.unhealthyUntil).toBe(4 * SECOND + POLICY.holdMs);
    const inside = run('+++++', unhealthy, 10 * SECOND);
    expect(inside.statuses).toBe('uuuuu');
    expect(inside.state.consecutiveSuccesses).toBe(0);
    expect(isHeld(inside.state, 100 * SECOND)).toBe(true);
  });

  it('after the hold, 3 successes in a row heal; 2 do not', () => {
    const { state: unhealthy } = run('-----');
    const afterHold = (unhealthy.unhealthyUntil ?? 0) + SECOND;
    expect(isHeld(unhealthy, afterHold)).toBe(false);
    expect(run('++', unhealthy, afterHold).statuses).toBe('uu');
    const healed = run('+++', unhealthy, afterHold);
    expect(healed.statuses).toBe('uuh');
    expect(healed.state).toMatchObject({ status: 'healthy', unhealthyUntil: null, consecutiveSuccesses: 3 });
  });

  it('a failure inside the hold keeps the hold as it was; the first failure after it starts a new hold', () => {
    const { state: unhealthy } = run('-----');
    const end = unhealthy.unhealthyUntil ?? 0;
    expect(recordHealthOutcome(unhealthy, false, end - SECOND, POLICY).unhealthyUntil).toBe(end);
    const probeFailed = recordHealthOutcome(unhealthy, false, end + SECOND, POLICY);
    expect(probeFailed).toMatchObject({ status: 'unhealthy', unhealthyUntil: end + SECOND + POLICY.holdMs });
  });

  it('a failed probe between recovering successes sends it back into a full hold', () => {
    const { state: unhealthy } = run('-----');
    const afterHold = (unhealthy.unhealthyUntil ?? 0) + SECOND;
    const { state, statuses } = run('++-+++', unhealthy, afterHold);
    expect(statuses).toBe('uuuuuu');
    expect(isHeld(state, afterHold + 5 * SECOND)).toBe(true);
  });

  it('only failures within the window count: five failures spread over more than an hour stay healthy', () => {
    let state = initialHealthState();
    const statuses: string[] = [];
    for (let i = 0; i < 6; i++) {
      state = recordHealthOutcome(state, false, i * 40 * 60 * SECOND, POLICY);
      statuses.push(state.status);
    }
    // Every failure sees at most 2 within the hour (itself and the one 40 minutes earlier).
    expect(statuses.every((status) => status === 'healthy')).toBe(true);
    expect(state.consecutiveFailures).toBe(6);
    expect(state.recentFailures).toEqual([160 * 60 * SECOND, 200 * 60 * SECOND]);
  });

  it('failures closer together than the window do add up to unhealthy', () => {
    let state = initialHealthState();
    for (let i = 0; i < 5; i++) state = recordHealthOutcome(state, false, i * 14 * 60 * SECOND, POLICY);
    expect(state.status).toBe('unhealthy');
  });

  it('keeps at most `unhealthyAfter` failure times, however long the outage', () => {
    const { state } = run('-'.repeat(50));
    expect(state.recentFailures).toHaveLength(POLICY.unhealthyAfter);
    expect(state.consecutiveFailures).toBe(50);
  });

  it('the core policy holds for 15 s, the external one for 300 s, both within a 1 h window', () => {
    expect(CORE_HEALTH_POLICY).toMatchObject({ degradedAfter: 3, unhealthyAfter: 5, recoverAfter: 3, holdMs: 15_000 });
    expect(EXTERNAL_HEALTH_POLICY).toMatchObject({ holdMs: 300_000, windowMs: 3_600_000 });
    const { state } = run('-----', initialHealthState(), 0, CORE_HEALTH_POLICY);
    expect(run('+++', state, 4 * SECOND + 15_000).statuses).toBe('uuh');
  });

  it('describes a state with ISO times, unhealthyUntil only while unhealthy', () => {
    const { state } = run('-----');
    expect(describeHealth(state)).toEqual({
      status: 'unhealthy',
      consecutiveFailures: 5,
      consecutiveSuccesses: 0,
      lastCheckedAt: new Date(4 * SECOND).toISOString(),
      unhealthyUntil: new Date(4 * SECOND + POLICY.holdMs).toISOString(),
    });
    expect(describeHealth(initialHealthState())).toEqual({
      status: 'healthy',
      consecutiveFailures: 0,
      consecutiveSuccesses: 0,
      lastCheckedAt: null,
    });
  });
});
