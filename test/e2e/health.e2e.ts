import { startCuttableProxy, startTestServer, TEST_REDIS_URL, type TestServer } from '@app/testing';

type Ready = { status: string; dependencies: Record<string, Record<string, any>> };

/** Dependency health through a real Redis outage (a proxy the test cuts), not a mock. */
describe('dependency health', () => {
  let server: TestServer;
  let proxy: Awaited<ReturnType<typeof startCuttableProxy>>;
  const ready = async () => {
    const response = await fetch(`${server.url}/health/ready`);
    return { code: response.status, body: (await response.json()) as Ready };
  };

  beforeAll(async () => {
    const redis = new URL(TEST_REDIS_URL);
    proxy = await startCuttableProxy({ host: redis.hostname, port: Number(redis.port || 6379) });
    // A 5 s hold (default 15 s) keeps the test short while still showing the hold.
    server = await startTestServer({ env: { REDIS_URL: `redis://127.0.0.1:${proxy.port}`, HEALTH_CORE_HOLD: '5s' } });
  });
  afterAll(async () => {
    await server?.close();
    await proxy?.close();
  });

  it('reports each dependency healthy with its response time', async () => {
    const { code, body } = await ready();
    expect(code).toBe(200);
    expect(body.status).toBe('ready');
    expect(body.dependencies.database).toMatchObject({ status: 'healthy', kind: 'postgres', required: true });
    expect(body.dependencies.store).toMatchObject({ status: 'healthy', kind: 'redis', consecutiveFailures: 0 });
    expect(body.dependencies.store.responseTimeMs).toEqual(expect.any(Number));
    expect((await fetch(`${server.url}/health/live`)).status).toBe(200);
  });

  it('degrades after 3 failures, is unhealthy (503) after 5, is held unhealthy, then heals after 3 successes', async () => {
    proxy.cut();
    const seen: { code: number; failures: number; status: string }[] = [];
    for (let attempt = 0; attempt < 8; attempt++) {
      const { code, body } = await ready();
      const store = body.dependencies.store;
      seen.push({ code, failures: store.consecutiveFailures, status: store.status });
      if (store.status === 'unhealthy') break;
    }
    for (const { code, failures, status } of seen) {
      const expected = failures >= 5 ? 'unhealthy' : failures >= 3 ? 'degraded' : 'healthy';
      expect(status).toBe(expected);
      expect(code).toBe(expected === 'unhealthy' ? 503 : 200);
    }
    expect(seen.some((s) => s.status === 'degraded')).toBe(true);
    expect(seen.at(-1)).toMatchObject({ status: 'unhealthy', code: 503 });
    const unavailable = (await ready()).body;
    expect(unavailable.status).toBe('unavailable');
    const holdEnds = Date.parse(unavailable.dependencies.store.unhealthyUntil);
    expect(holdEnds).toBeGreaterThan(Date.now());

    proxy.restore();
    // Redis answers again, but inside the hold readiness stays 503 and the successes do not count.
    const held = await ready();
    expect(Date.now()).toBeLessThan(holdEnds);
    expect(held.code).toBe(503);
    expect(held.body.dependencies.store).toMatchObject({ status: 'unhealthy', consecutiveSuccesses: 0 });

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, holdEnds - Date.now()) + 50));
    const afterHold: { code: number; successes: number }[] = [];
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && afterHold.at(-1)?.code !== 200) {
      const { code, body } = await ready();
      afterHold.push({ code, successes: body.dependencies.store.consecutiveSuccesses });
      if (code !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Healthy exactly when the 3rd success in a row after the hold lands (the 10 s background probe may be one of them).
    const healed = afterHold.at(-1)!;
    expect(healed).toEqual({ code: 200, successes: 3 });
    expect(afterHold.slice(0, -1).every((check) => check.code === 503)).toBe(true);
    expect((await ready()).body).toMatchObject({ status: 'ready', dependencies: { store: { status: 'healthy' } } });
  });

  it('each status change is audited in the system tenant and counted in /metrics', async () => {
    const changes = (await server.adminApi('GET', '/admin/tenants/system/audit-events?type=dependency.status_changed'))
      .body.items as { subject: string; data: { from: string; to: string } }[];
    expect(changes.map((c) => `${c.subject}:${c.data.from}>${c.data.to}`).reverse()).toEqual([
      'store:healthy>degraded',
      'store:degraded>unhealthy',
      'store:unhealthy>healthy',
    ]);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/idp_dependency_status\{dependency="store"\} 0/);
    expect(metrics).toMatch(/idp_dependency_status_changes_total\{dependency="store",status="unhealthy"\} 1/);
    expect(metrics).toMatch(/idp_dependency_latency_seconds_count\{dependency="database"\} \d+/);
  });
});
