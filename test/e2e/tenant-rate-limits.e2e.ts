import { startTestServer, type TestServer } from '@app/testing';
import { clientCredentials, provisionTenant, type TenantFixture } from './oidc-flows.js';

/**
 * Limits on successful traffic exist only where a tenant asks for them (contract), are
 * counted in Redis (one window for every instance) and answer 429 with Retry-After.
 */
describe('rate limits a tenant configures', () => {
  let server: TestServer;
  let peer: TestServer;
  let acme: TenantFixture;
  let globex: TenantFixture;
  const api = (method: string, path: string, body?: unknown, token?: string) =>
    server.adminApi(method, path, body, token);

  beforeAll(async () => {
    server = await startTestServer();
    peer = await startTestServer({ sharingStoresWith: server });
    acme = await provisionTenant(server, 'acme');
    globex = await provisionTenant(server, 'globex');
  });
  afterAll(async () => {
    await peer?.close();
    await server?.close();
  });

  it('token requests per client per minute, counted across instances', async () => {
    expect(
      (await api('PATCH', '/admin/tenants/acme', { settings: { rateLimits: { clientRequestsPerMinute: 6 } } })).status,
    ).toBe(200);
    const statuses: number[] = [];
    // Alternating between two instances behind one "load balancer".
    for (let i = 0; i < 6; i++) {
      const issuer = i % 2 ? peer.issuer('acme') : acme.issuer;
      statuses.push((await clientCredentials(issuer, acme.service)).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);

    const response = await fetch(`${peer.issuer('acme')}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${acme.service.clientId}:${acme.service.clientSecret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await response.json()) as { error: string }).error).toBe('too_many_requests');

    // Another client of the tenant, and another tenant, keep their own allowance.
    expect((await clientCredentials(acme.issuer, acme.opaqueService)).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await clientCredentials(globex.issuer, globex.service)).status).toBe(200);
  });

  it('admin API calls per principal per minute, for principals of the tenant that sets it', async () => {
    const adminResource = `${server.publicUrl}/admin`;
    const created = await api('POST', '/admin/tenants/globex/clients', {
      name: 'globex operator',
      applicationType: 'service',
      resources: [adminResource],
    });
    await api('PUT', `/admin/tenants/globex/clients/${created.body.clientId}/roles`, { roles: ['admin'] });
    const token = (await clientCredentials(globex.issuer, created.body, { scope: 'admin', resource: adminResource }))
      .body.access_token as string;
    await api('PATCH', '/admin/tenants/globex', { settings: { rateLimits: { apiRequestsPerMinute: 3 } } });

    for (let i = 0; i < 3; i++)
      expect((await api('GET', '/admin/tenants/globex/users', undefined, token)).status).toBe(200);
    const limited = await fetch(`${server.url}/admin/tenants/globex/users`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toEqual({ error: 'too_many_requests', message: expect.any(String) });

    // The system operator is a principal of a tenant without limits.
    for (let i = 0; i < 5; i++) expect((await api('GET', '/admin/tenants/globex/users')).status).toBe(200);
  });

  it('refuses a negative limit', async () => {
    const response = await api('PATCH', '/admin/tenants/acme', {
      settings: { rateLimits: { apiRequestsPerMinute: -1 } },
    });
    expect(response.status).toBe(400);
  });
});
