import { startTestServer, type TestServer } from '@app/testing';
import { clientCredentials, decodeJwt } from './oidc-flows.js';

const ADMIN_PERMISSIONS = [
  'tenants:read',
  'tenants:write',
  'clients:read',
  'clients:write',
  'users:read',
  'users:write',
  'roles:read',
  'roles:write',
  'sessions:read',
  'sessions:write',
  'audit:read',
  'webhooks:read',
  'webhooks:write',
  'providers:read',
  'providers:write',
];

/** The permission registry: the admin API's permissions and each API resource's scopes; roles grant only these. */
describe('permission registry', () => {
  let server: TestServer;
  const orders = 'https://orders.acme.example';
  let ordersId: string;

  beforeAll(async () => {
    server = await startTestServer();
    for (const slug of ['acme', 'globex']) await server.adminApi('POST', '/admin/tenants', { slug, displayName: slug });
    const created = await server.adminApi('POST', '/admin/tenants/acme/resources', {
      identifier: orders,
      name: 'Orders API',
      scopes: ['orders:read', 'orders:write', 'read'],
      scopeDescriptions: { 'orders:write': 'Place and cancel orders' },
    });
    expect(created.status).toBe(201);
    ordersId = created.body.id;
  });
  afterAll(() => server?.close());

  const api = (method: string, path: string, body?: unknown) => server.adminApi(method, path, body);
  const role = (name: string, permissions: string[]) => api('POST', '/admin/tenants/acme/roles', { name, permissions });

  it("lists the admin permissions by resource type, then each API's scopes, with descriptions", async () => {
    const listed = await api('GET', '/admin/tenants/acme/permissions');
    expect(listed.status).toBe(200);
    expect(listed.body.nextCursor).toBeNull();
    const items = listed.body.items as { resource: string; permission: string; description: string }[];
    expect(items.slice(0, ADMIN_PERMISSIONS.length).map((i) => i.permission)).toEqual(
      expect.arrayContaining(ADMIN_PERMISSIONS),
    );
    expect(items).toContainEqual({ resource: 'users', permission: 'users:write', description: expect.any(String) });
    expect(items.filter((i) => i.resource === orders)).toEqual([
      { resource: orders, permission: 'orders:read', description: '"orders:read" of Orders API' },
      { resource: orders, permission: 'orders:write', description: 'Place and cancel orders' },
      { resource: orders, permission: 'read', description: '"read" of Orders API' },
    ]);
    for (const item of items) expect(item.description.length).toBeGreaterThan(5);
    // Another tenant's APIs are not this tenant's permissions.
    const globex = (await api('GET', '/admin/tenants/globex/permissions')).body.items as { resource: string }[];
    expect(globex.some((i) => i.resource === orders)).toBe(false);
  });

  it('refuses a role granting permissions nobody defines (400 naming each), on creation and on update', async () => {
    const refused = await role('typos', ['users:read', 'users:delete', 'ordres:read', 'orders:read']);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('invalid_request');
    expect(refused.body.message).toMatch(/unknown permissions: users:delete, ordres:read/);
    expect(refused.body.message).not.toMatch(/users:read|orders:read,/);
    // Another tenant's API scopes are unknown here.
    expect((await api('POST', '/admin/tenants/globex/roles', { name: 'x', permissions: ['orders:read'] })).status).toBe(
      400,
    );

    const fine = await role('order-desk', ['orders:read', 'read', 'users:read']);
    expect(fine.status).toBe(201);
    const patched = await api('PATCH', `/admin/tenants/acme/roles/${fine.body.id}`, { permissions: ['orders:cancel'] });
    expect([patched.status, patched.body.message]).toEqual([400, expect.stringContaining('orders:cancel')]);
    // A change that leaves permissions alone is not re-checked.
    const described = await api('PATCH', `/admin/tenants/acme/roles/${fine.body.id}`, { description: 'Front desk' });
    expect(described.body).toMatchObject({
      description: 'Front desk',
      permissions: ['orders:read', 'read', 'users:read'],
    });
  });

  it('a wildcard type:* is accepted for known types and grants every registered action of it', async () => {
    expect((await role('nope', ['tickets:*'])).status).toBe(400);
    expect((await role('user-manager', ['users:*', 'orders:*'])).status).toBe(201);
    const client = await api('POST', '/admin/tenants/acme/clients', {
      name: 'user sync',
      applicationType: 'service',
      resources: [`${server.publicUrl}/admin`],
    });
    await api('PUT', `/admin/tenants/acme/clients/${client.body.clientId}/roles`, { roles: ['user-manager'] });
    const token = (
      await clientCredentials(server.issuer('acme'), client.body, {
        scope: 'admin',
        resource: `${server.publicUrl}/admin`,
      })
    ).body.access_token as string;
    expect(decodeJwt(token).permissions).toEqual(
      expect.arrayContaining(['users:*', 'users:read', 'users:write', 'orders:read', 'orders:write']),
    );
    expect((await server.adminApi('POST', '/admin/tenants/acme/users', { username: 'wildcard' }, token)).status).toBe(
      201,
    );
    expect((await server.adminApi('GET', '/admin/tenants/acme/clients', undefined, token)).status).toBe(403);
  });

  it('refuses (409) to remove a scope a role grants, until the role lets go of it', async () => {
    const holder = await role('order-writer', ['orders:write']);
    const removing = await api('PATCH', `/admin/tenants/acme/resources/${ordersId}`, {
      scopes: ['orders:read', 'read'],
    });
    expect(removing.status).toBe(409);
    expect(removing.body.message).toMatch(/order-writer \(orders:write\)/);
    expect((await api('GET', `/admin/tenants/acme/resources/${ordersId}`)).body.scopes).toContain('orders:write');

    await api('PATCH', `/admin/tenants/acme/roles/${holder.body.id}`, { permissions: [] });
    // orders:* (user-manager) still has orders:read to stand for.
    const removed = await api('PATCH', `/admin/tenants/acme/resources/${ordersId}`, {
      scopes: ['orders:read', 'read'],
    });
    expect(removed.status).toBe(200);
    expect(removed.body.scopeDescriptions).toEqual({});
    const listed = (await api('GET', '/admin/tenants/acme/permissions')).body.items as { permission: string }[];
    expect(listed.map((i) => i.permission)).not.toContain('orders:write');
    expect((await role('late', ['orders:write'])).status).toBe(400);
  });

  it('refuses (409) to remove the last scope a wildcard stands for, and to delete a resource in use', async () => {
    const lastOfType = await api('PATCH', `/admin/tenants/acme/resources/${ordersId}`, { scopes: ['read'] });
    expect([lastOfType.status, lastOfType.body.message]).toEqual([
      409,
      expect.stringContaining('user-manager (orders:*)'),
    ]);
    const refusedDelete = await api('DELETE', `/admin/tenants/acme/resources/${ordersId}`);
    expect(refusedDelete.status).toBe(409);

    const spare = await api('POST', '/admin/tenants/acme/resources', {
      identifier: 'https://spare.acme.example',
      name: 'Spare',
      scopes: ['spare:read'],
    });
    const client = await api('POST', '/admin/tenants/acme/clients', {
      name: 'spare user',
      applicationType: 'service',
      resources: ['https://spare.acme.example'],
    });
    expect((await api('DELETE', `/admin/tenants/acme/resources/${spare.body.id}`)).status).toBe(409);
    await api('DELETE', `/admin/tenants/acme/clients/${client.body.clientId}`);
    expect((await api('DELETE', `/admin/tenants/acme/resources/${spare.body.id}`)).status).toBe(204);
    expect((await api('GET', `/admin/tenants/acme/resources/${spare.body.id}`)).status).toBe(404);
  });

  it.each([
    ['a built-in admin permission as a scope', { scopes: ['users:write'] }, /admin API permissions/],
    ['an OpenID scope', { scopes: ['openid', 'read'] }, /OpenID/],
    ['a description of a scope it does not define', { scopes: ['a:b'], scopeDescriptions: { 'c:d': 'x' } }, /c:d/],
  ])('refuses a resource with %s (400)', async (_case, body, message) => {
    const response = await api('POST', '/admin/tenants/acme/resources', {
      identifier: `https://r${Math.random().toString(36).slice(2)}.example`,
      name: 'R',
      ...body,
    });
    expect([response.status, response.body.message]).toEqual([400, expect.stringMatching(message)]);
  });
});
