import { type BuiltServer, startBuiltServer, type TestServer } from '@app/testing';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { canSignIn, clientCredentials, PASSWORD, provisionTenant, type TenantFixture } from './oidc-flows.js';

interface ExportedSpan {
  name: string;
  attributes: { key: string; value: { stringValue?: string } }[];
}

/** An OTLP/HTTP collector: keeps every span the server exports. */
async function startCollector(): Promise<{
  url: string;
  spans: ExportedSpan[];
  /** Every request: where it went and as what, whatever it was. */
  received: string[];
  close(): Promise<void>;
}> {
  const spans: ExportedSpan[] = [];
  const received: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
      if (req.url !== '/v1/traces' || req.headers['content-type'] !== 'application/json')
        return res.writeHead(415).end();
      const batch = JSON.parse(body) as {
        resourceSpans: { scopeSpans: { spans: ExportedSpan[] }[] }[];
      };
      for (const resource of batch.resourceSpans) for (const scope of resource.scopeSpans) spans.push(...scope.spans);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const attribute = (span: ExportedSpan, key: string) => span.attributes.find((a) => a.key === key)?.value.stringValue;
// Semantic conventions renamed db.system to db.system.name; instrumentations differ in which they set.
const databaseOf = (span: ExportedSpan) => attribute(span, 'db.system.name') ?? attribute(span, 'db.system');

async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  if (!check()) throw new Error(`never happened: ${what}`);
}

describe('OpenTelemetry tracing (OTEL_EXPORTER_OTLP_ENDPOINT set)', () => {
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let server: BuiltServer;
  let tenant: TenantFixture;

  beforeAll(async () => {
    collector = await startCollector();
    server = await startBuiltServer({
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        OTEL_SERVICE_NAME: 'idp-test',
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
    });
    // provisionTenant needs only the admin API and the issuer, which the built server has too.
    tenant = await provisionTenant(server as unknown as TestServer, 'traced');
  }, 180_000);

  afterAll(async () => {
    await server?.close();
    await collector?.close();
  });

  it('exports spans of HTTP requests, Postgres and Redis calls and argon2, each naming the tenant', async () => {
    expect((await clientCredentials(tenant.issuer, tenant.service, { scope: 'read' })).status).toBe(200);
    expect(await canSignIn(tenant, tenant.user.username, PASSWORD)).toBe(true);
    const ofTenant = () => collector.spans.filter((span) => attribute(span, 'idp.tenant') === 'traced');
    const kinds = () => ({
      http: ofTenant().some((span) => /^POST/.test(span.name) && attribute(span, 'url.path')?.includes('/token')),
      postgres: ofTenant().some((span) => databaseOf(span) === 'postgresql' && span.name.startsWith('pg.query')),
      redis: ofTenant().some((span) => databaseOf(span) === 'redis'),
      argon2: ofTenant().some((span) => span.name === 'argon2id.verify'),
    });
    await eventually(() => Object.values(kinds()).every(Boolean), `every kind of span: ${JSON.stringify(kinds())}`);
    expect(kinds()).toEqual({ http: true, postgres: true, redis: true, argon2: true });
  });

  it('leaves health probes out of the traces', async () => {
    expect((await fetch(`${server.url}/health/ready`)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(collector.spans.some((span) => attribute(span, 'url.path')?.startsWith('/health'))).toBe(false);
  });

  it('sends traces only, as OTLP/JSON, up to its shutdown: no metrics or logs to the collector', async () => {
    const seenBefore = collector.spans.length;
    expect((await clientCredentials(tenant.issuer, tenant.service, { scope: 'read' })).status).toBe(200);
    // SIGTERM: the batch still waiting goes out before the process ends.
    await server.close();
    expect(collector.spans.length).toBeGreaterThan(seenBefore);
    expect(new Set(collector.received)).toEqual(new Set(['POST /v1/traces application/json']));
  });
});
