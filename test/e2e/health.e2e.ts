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
    server = await startTestServer({ env: { REDIS_URL: `redis://127.0.0.1:${proxy.port}` } });
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

  it('degrades after 3 failures, is unhealthy (503) after 5, and heals on the next success', async () => {
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
    expect((await ready()).body.status).toBe('unavailable');

    proxy.restore();
    let healed: Awaited<ReturnType<typeof ready>> | undefined;
    for (let attempt = 0; attempt < 40 && healed?.code !== 200; attempt++) {
      healed = await ready();
      if (healed.code !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(healed).toMatchObject({ code: 200, body: { status: 'ready' } });
    expect(healed!.body.dependencies.store).toMatchObject({ status: 'healthy', consecutiveFailures: 0 });
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
