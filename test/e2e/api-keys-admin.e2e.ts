import { ApiKeysService } from '@app/clients';
import { startTestServer, type TestServer } from '@app/testing';
import { Client } from 'pg';
import { introspect, provisionTenant, type TenantFixture } from './oidc-flows.js';

/** API keys at our own admin API, their last use (recorded in batches) and their audit trail. */
describe('API keys at the admin API, in use and in the audit trail', () => {
  let server: TestServer;
  let acme: TenantFixture;
  let adminResource: string;

  beforeAll(async () => {
    server = await startTestServer();
    acme = await provisionTenant(server, 'acme');
    await provisionTenant(server, 'globex');
    adminResource = `${server.publicUrl}/admin`;
  });
  afterAll(() => server?.close());

  const keys = (clientId: string) => `/admin/tenants/acme/clients/${clientId}/api-keys`;

  /** A service client of acme allowed the admin API (and acme's API), holding `roles`. */
  async function integration(roles: string[]) {
    const created = await server.adminApi('POST', '/admin/tenants/acme/clients', {
      name: `integration ${roles.join(',')}`,
      applicationType: 'service',
      resources: [adminResource, acme.apiIdentifier],
    });
    await server.adminApi('PUT', `/admin/tenants/acme/clients/${created.body.clientId}/roles`, { roles });
    return { clientId: created.body.clientId as string, clientSecret: created.body.clientSecret as string };
  }
  async function issue(clientId: string, body: Record<string, unknown>) {
    const response = await server.adminApi('POST', keys(clientId), { name: 'admin key', ...body });
    expect(response.status).toBe(201);
    return response.body as { id: string; apiKey: string };
  }
  const asKey = (method: string, path: string, key: string, body?: unknown) => server.adminApi(method, path, body, key);

  it("a key for the admin resource acts at the admin API with its client's current rights", async () => {
    const client = await integration(['viewer']);
    const { apiKey, id: issuedId } = await issue(client.clientId, { resource: adminResource, scopes: ['admin'] });

    const users = await asKey('GET', '/admin/tenants/acme/users', apiKey);
    expect(users.status).toBe(200);
    expect(users.body.items.map((u: { username: string }) => u.username)).toContain(acme.user.username);
    expect((await asKey('POST', '/admin/tenants/acme/users', apiKey, { username: 'mallory' })).status).toBe(403);
    expect((await asKey('GET', '/admin/tenants/globex/users', apiKey)).status).toBe(403);

    // Rights follow the client's roles at once, not when the key was issued.
    await server.adminApi('PUT', `/admin/tenants/acme/clients/${client.clientId}/roles`, { roles: ['admin'] });
    const carol = await asKey('POST', '/admin/tenants/acme/users', apiKey, { username: 'carol' });
    expect(carol.status).toBe(201);
    // The audit trail says which key acted.
    const created = await server.adminApi('GET', '/admin/tenants/acme/audit-events?type=admin.users.post&limit=1');
    expect(created.body.items[0]).toMatchObject({
      actor: { type: 'client', id: client.clientId },
      data: { apiKeyId: issuedId, status: 201 },
    });
    await server.adminApi('PUT', `/admin/tenants/acme/clients/${client.clientId}/roles`, { roles: [] });
    expect((await asKey('GET', '/admin/tenants/acme/users', apiKey)).status).toBe(403);

    // Its introspection answer says what it may do, like an admin access token.
    await server.adminApi('PUT', `/admin/tenants/acme/clients/${client.clientId}/roles`, { roles: ['viewer'] });
    const answer = await introspect(acme.issuer, apiKey, client);
    expect(answer.body).toMatchObject({ active: true, aud: adminResource, scope: 'admin', roles: ['guest', 'viewer'] });
    expect(answer.body.permissions).toContain('users:read');
  });

  it('refuses at the admin API (401): a key for another resource, a deleted or expired key, a made-up one', async () => {
    const client = await integration(['admin']);
    const apiOnly = await issue(client.clientId, { resource: acme.apiIdentifier, scopes: ['read'] });
    const deleted = await issue(client.clientId, { resource: adminResource });
    const expiring = await issue(client.clientId, {
      resource: adminResource,
      expiresAt: new Date(Date.now() + 1200).toISOString(),
    });
    expect((await asKey('GET', '/admin/tenants/acme/users', deleted.apiKey)).status).toBe(200);
    expect((await asKey('GET', '/admin/tenants/acme/users', expiring.apiKey)).status).toBe(200);
    await server.adminApi('DELETE', `${keys(client.clientId)}/${deleted.id}`);
    await new Promise((resolve) => setTimeout(resolve, 1400));

    const typo = `${deleted.apiKey.slice(0, -1)}${deleted.apiKey.endsWith('A') ? 'B' : 'A'}`;
    for (const key of [apiOnly.apiKey, deleted.apiKey, expiring.apiKey, typo, 'idpk_short']) {
      const response = await asKey('GET', '/admin/tenants/acme/users', key);
      expect({ key: key.slice(0, 9), status: response.status, body: response.body }).toEqual({
        key: key.slice(0, 9),
        status: 401,
        body: { error: 'unauthorized', message: expect.any(String) },
      });
    }
  });

  it('records the last use in batches: listed at once, written to Postgres by the flush, not per request', async () => {
    const { clientId, clientSecret } = acme.service;
    const issued = await issue(clientId, { scopes: ['read'] });
    const stored = async () => {
      const db = new Client({ connectionString: server.databaseUrl });
      await db.connect();
      try {
        const { rows } = await db.query('SELECT last_used_at FROM api_keys WHERE id = $1', [issued.id]);
        return rows[0].last_used_at as Date | null;
      } finally {
        await db.end();
      }
    };
    // Asked about by a client that may not know it: no use.
    expect((await introspect(acme.issuer, issued.apiKey, acme.opaqueService)).body.active).toBe(false);
    expect((await server.adminApi('GET', `${keys(clientId)}/${issued.id}`)).body.lastUsedAt).toBeNull();
    for (let i = 0; i < 5; i++) {
      expect((await introspect(acme.issuer, issued.apiKey, { clientId, clientSecret })).body.active).toBe(true);
    }
    expect(await stored()).toBeNull();
    const listed = await server.adminApi('GET', `${keys(clientId)}/${issued.id}`);
    const lastUsedAt = new Date(listed.body.lastUsedAt);
    expect(Math.abs(lastUsedAt.getTime() - Date.now())).toBeLessThan(10_000);

    await server.server.app.get(ApiKeysService).flushUsage();
    expect((await stored())?.getTime()).toBe(lastUsedAt.getTime());
    expect((await server.adminApi('GET', `${keys(clientId)}/${issued.id}`)).body.lastUsedAt).toBe(
      lastUsedAt.toISOString(),
    );
  });

  it('admin changes to keys are in the audit trail with the key itself never in it', async () => {
    const { clientId } = acme.service;
    const issued = await issue(clientId, { name: 'audited', scopes: ['write'] });
    const renewed = await server.adminApi('POST', `${keys(clientId)}/${issued.id}/regenerate`);
    await server.adminApi('DELETE', `${keys(clientId)}/${issued.id}`);

    const events = (await server.adminApi('GET', '/admin/tenants/acme/audit-events?limit=100')).body.items as {
      type: string;
      data: { route: string; changes?: Record<string, unknown>; credentialsChanged?: string[] };
    }[];
    const ofKeys = events.filter((e) => e.data.route?.includes('/api-keys'));
    expect(ofKeys.map((e) => [e.type, e.data.route.replace(/^.*\/api-keys/, '')]).slice(0, 3)).toEqual([
      ['admin.clients.delete', '/:id'],
      ['admin.clients.post', '/:id/regenerate'],
      ['admin.clients.post', ''],
    ]);
    const [deleted, regenerated, created] = ofKeys;
    expect(created.data.changes).toMatchObject({ name: { before: null, after: 'audited' } });
    expect(created.data.credentialsChanged).toEqual(['apiKey']);
    expect(regenerated.data.credentialsChanged).toEqual(['keyHash']);
    expect(deleted.data.changes).toMatchObject({ name: { before: 'audited', after: null } });

    const exported = await (
      await fetch(`${server.url}/admin/tenants/acme/audit-events/export`, {
        headers: { authorization: `Bearer ${await server.adminToken()}` },
      })
    ).text();
    expect(exported).toContain('audited');
    for (const secret of [issued.apiKey, renewed.body.apiKey]) expect(exported).not.toContain(secret.slice(5));
  });
});
