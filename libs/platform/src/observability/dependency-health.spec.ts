import { EXTERNAL_HEALTH_POLICY } from '../health/health-state.js';
import { DependencyHealth } from './dependency-health.js';
import { Metrics } from './metrics.js';

describe('dependency health', () => {
  it('announces each change once; unhealthy heals after its hold and 3 successes in a row', () => {
    jest.useFakeTimers({ now: 0 });
    const health = new DependencyHealth(new Metrics());
    health.register({
      name: 'mail',
      kind: 'smtp',
      required: false,
      policy: { ...EXTERNAL_HEALTH_POLICY, holdMs: 1000 },
    });
    const changes: string[] = [];
    health.onChange((c) => changes.push(`${c.from}>${c.to}`));
    for (let i = 0; i < 6; i++) health.report('mail', { ok: false, responseTimeMs: 5, error: 'refused' });
    expect(health.state('mail')).toMatchObject({ status: 'unhealthy', consecutiveFailures: 6, lastError: 'refused' });
    expect(health.state('mail')?.unhealthyUntil).toBe(new Date(1000).toISOString());
    // Inside the hold a success neither heals nor counts.
    expect(health.report('mail', { ok: true, responseTimeMs: 3 })).toMatchObject({
      status: 'unhealthy',
      consecutiveSuccesses: 0,
    });
    jest.setSystemTime(1000);
    health.report('mail', { ok: true, responseTimeMs: 3 });
    health.report('mail', { ok: true, responseTimeMs: 3 });
    expect(health.state('mail')).toMatchObject({ status: 'unhealthy', consecutiveSuccesses: 2, lastError: null });
    health.report('mail', { ok: true, responseTimeMs: 3 });
    expect(changes).toEqual(['healthy>degraded', 'degraded>unhealthy', 'unhealthy>healthy']);
    expect(health.state('mail')).toMatchObject({ status: 'healthy', consecutiveFailures: 0, unhealthyUntil: null });
    jest.useRealTimers();
  });

  it('a probe that never answers counts as a failure after its timeout', async () => {
    const health = new DependencyHealth(new Metrics());
    health.register({ name: 'slow', kind: 'test', required: true, probe: () => new Promise(() => undefined) });
    expect(await health.probe('slow')).toMatchObject({
      consecutiveFailures: 1,
      lastError: expect.stringMatching(/no answer/),
    });
  });
});
