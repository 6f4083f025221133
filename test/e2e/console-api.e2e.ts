import { startTestServer, type TestServer } from '@app/testing';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleStatic } from '../../apps/auth-server/src/console-static.js';
import { provisionTenant } from './oidc-flows.js';

/** What the admin console needs from the server: its client, resource editing, hourly stats. */
describe('the console’s server side', () => {
  let server: TestServer;
  const api = (method: string, path: string, body?: unknown) => server.adminApi(method, path, body);

  beforeAll(async () => {
    server = await startTestServer();
    await provisionTenant(server, 'acme');
  });
  afterAll(() => server?.close());

  it('every tenant has the console client: public, first party, for the admin API, back to /console', async () => {
    for (const slug of ['system', 'acme']) {
      const client = await api('GET', `/admin/tenants/${slug}/clients/console`);
      expect(client.status).toBe(200);
      expect(client.body).toMatchObject({
        clientId: 'console',
        applicationType: 'spa',
        firstParty: true,
        redirectUris: [`${server.publicUrl}/console/callback`],
        postLogoutRedirectUris: [`${server.publicUrl}/console`],
        resources: [`${server.publicUrl}/admin`],
      });
      expect(client.body.clientSecret).toBeUndefined();
    }
  });

  it('the admin API refuses to change, rotate or delete the console client (409 with a message)', async () => {
    const attempts = [
      await api('PATCH', '/admin/tenants/acme/clients/console', { redirectUris: ['https://evil.example/cb'] }),
      await api('POST', '/admin/tenants/acme/clients/console/secret'),
      await api('DELETE', '/admin/tenants/acme/clients/console'),
    ];
    for (const refused of attempts) {
      expect(refused.status).toBe(409);
      expect(refused.body).toEqual({
        error: 'conflict',
        message: expect.stringContaining('console client is built in'),
      });
    }
    const still = await api('GET', '/admin/tenants/acme/clients/console');
    expect(still.body.redirectUris).toEqual([`${server.publicUrl}/console/callback`]);
  });

  it('an API resource is read, edited (not its identifier) and deleted by id; the change is audited', async () => {
    const created = await api('POST', '/admin/tenants/acme/resources', {
      identifier: 'https://orders.acme.example',
      name: 'Orders',
      scopes: ['read'],
    });
    expect(created.status).toBe(201);
    const path = `/admin/tenants/acme/resources/${created.body.id}`;
    expect((await api('GET', path)).body).toEqual(created.body);

    const edited = await api('PATCH', path, { name: 'Orders API', scopes: ['read', 'write'], accessTokenTtl: 300 });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      identifier: 'https://orders.acme.example',
      name: 'Orders API',
      accessTokenTtl: 300,
    });
    expect((await api('PATCH', path, { accessTokenTtl: null })).body.accessTokenTtl).toBeNull();
    expect((await api('PATCH', path, { accessTokenTtl: 5 })).body).toEqual({
      error: 'invalid_request',
      message: 'accessTokenTtl must not be less than 60',
    });
    expect((await api('PATCH', path, { identifier: 'https://other.example' })).status).toBe(400);

    const audit = await api('GET', '/admin/tenants/acme/audit-events?type=admin.clients.patch');
    const patches = audit.body.items.filter((e: { subject: string }) => e.subject === created.body.id);
    // Newest first: the refused identifier change, the refused lifetime, the reset, the edit.
    expect(patches.map((e: { outcome: string }) => e.outcome)).toEqual(['failure', 'failure', 'success', 'success']);
    expect(patches[3].data.changes).toEqual({
      name: { before: 'Orders', after: 'Orders API' },
      scopes: { before: ['read'], after: ['read', 'write'] },
      accessTokenTtl: { before: null, after: 300 },
    });

    expect((await api('DELETE', path)).status).toBe(204);
    expect((await api('GET', path)).status).toBe(404);
    expect((await api('DELETE', path)).status).toBe(404);
    expect((await api('GET', '/admin/tenants/acme/resources/not-a-uuid')).status).toBe(404);
    // Another tenant's resource is unknown here.
    const other = await api('GET', `/admin/tenants/system/resources/${created.body.id}`);
    expect(other.status).toBe(404);
  });

  it('GET /admin/docs-json documents the additions', async () => {
    const doc = (await fetch(`${server.url}/admin/docs-json`).then((r) => r.json())) as {
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    expect(Object.keys(doc.paths['/admin/tenants/{slug}/resources/{id}']).sort()).toEqual(['delete', 'get', 'patch']);
    expect(doc.components.schemas.TenantStatsDto.properties.hourly).toBeDefined();
  });
});

describe('serving the console build', () => {
  const build = mkdtempSync(join(tmpdir(), 'idp-console-build-'));
  mkdirSync(join(build, 'assets'));
  writeFileSync(join(build, 'index.html'), '<html><head><base href="/console/" /></head><body></body></html>');
  writeFileSync(join(build, 'assets', 'app-1234.js'), 'export {};');
  writeFileSync(join(build, 'secret.txt'), 'not an asset');
  afterAll(() => rmSync(build, { recursive: true, force: true }));

  function get(handler: ReturnType<typeof consoleStatic>, path: string) {
    return new Promise<{ status: number; headers: Record<string, string>; body: string }>((resolve) => {
      const headers: Record<string, string> = {};
      const res = {
        statusCode: 200,
        setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = value),
        end(body?: Buffer | string) {
          resolve({ status: this.statusCode, headers, body: body ? String(body) : '' });
        },
      };
      handler({ method: 'GET', url: path, path } as never, res as never, () =>
        resolve({ status: -1, headers, body: '' }),
      );
    });
  }

  it('answers deep links with index.html, its base set under the public URL path', async () => {
    const handler = consoleStatic('https://id.example.com/idp', build);
    const page = await get(handler, '/t/acme/users/123');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<base href="/idp/console/"');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['cache-control']).toBe('no-cache');
  });

  it('serves hashed assets for a year, and nothing outside assets/', async () => {
    const handler = consoleStatic('http://localhost:3000', build);
    const asset = await get(handler, '/assets/app-1234.js');
    expect(asset).toMatchObject({ status: 200, body: 'export {};' });
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await get(handler, '/assets/../secret.txt')).status).toBe(404);
    expect((await get(handler, '/assets/%2e%2e/secret.txt')).status).toBe(404);
    expect((await get(handler, '/assets/missing.js')).status).toBe(404);
  });

  it('says how to build it when the build is missing', async () => {
    const missing = await get(consoleStatic('http://localhost:3000', null), '/');
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('npm run build');
  });
});
