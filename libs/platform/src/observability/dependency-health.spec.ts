import { DependencyHealth, nextStatus } from './dependency-health.js';
import { Metrics } from './metrics.js';

describe('dependency health', () => {
  it.each([
    ['healthy', 0, 'healthy'],
    ['healthy', 2, 'healthy'],
    ['healthy', 3, 'degraded'],
    ['degraded', 4, 'degraded'],
    ['degraded', 5, 'unhealthy'],
    ['unhealthy', 0, 'healthy'],
  ] as const)('%s with %i failures in a row becomes %s', (current, failures, expected) => {
    expect(nextStatus(current, failures)).toBe(expected);
  });

  it('announces each change once, and a success resets the count', () => {
    const health = new DependencyHealth(new Metrics());
    health.register({ name: 'mail', kind: 'smtp', required: false });
    const changes: string[] = [];
    health.onChange((c) => changes.push(`${c.from}>${c.to}`));
    for (let i = 0; i < 6; i++) health.report('mail', { ok: false, responseTimeMs: 5, error: 'refused' });
    expect(health.state('mail')).toMatchObject({ status: 'unhealthy', consecutiveFailures: 6, lastError: 'refused' });
    health.report('mail', { ok: true, responseTimeMs: 3 });
    expect(changes).toEqual(['healthy>degraded', 'degraded>unhealthy', 'unhealthy>healthy']);
    expect(health.state('mail')).toMatchObject({ status: 'healthy', consecutiveFailures: 0, lastError: null });
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
