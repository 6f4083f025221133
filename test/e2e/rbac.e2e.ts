import { startTestServer, type TestServer } from '@app/testing';
import { clientCredentials, decodeJwt, provisionTenant, type TenantFixture } from './oidc-flows.js';

describe('RBAC', () => {
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

  const api = (method: string, path: string, body?: unknown, token?: string) =>
    server.adminApi(method, path, body, token);

  /** A service account of `slug` holding `roles`, and an admin-API token for it. */
  async function serviceAccount(slug: string, roles: string[]) {
    const created = await api('POST', `/admin/tenants/${slug}/clients`, {
      name: `svc ${roles.join(',')}`,
      applicationType: 'service',
      resources: [adminResource],
    });
    expect((await api('PUT', `/admin/tenants/${slug}/clients/${created.body.clientId}/roles`, { roles })).status).toBe(
      200,
    );
    const token = await clientCredentials(server.issuer(slug), created.body, {
      scope: 'admin',
      resource: adminResource,
    });
    return {
      client: created.body as { clientId: string; clientSecret: string },
      token: token.body.access_token as string,
    };
  }

  it('seeds admin > user > viewer > guest in every new tenant', async () => {
    const roles = await api('GET', '/admin/tenants/acme/roles');
    expect(roles.status).toBe(200);
    const byName = Object.fromEntries(roles.body.items.map((r: { name: string }) => [r.name, r]));
    expect(Object.keys(byName).sort()).toEqual(['admin', 'guest', 'user', 'viewer']);
    expect(byName.admin.includes).toEqual(['user']);
    expect(byName.viewer.permissions).toContain('users:read');
    expect(byName.viewer.permissions).not.toContain('users:write');
  });

  it('a tenant-scoped service account with users:read reads its users, not another tenant’s, and cannot write', async () => {
    const { token } = await serviceAccount('acme', ['viewer']);
    const claims = decodeJwt(token);
    expect(claims.roles).toEqual(['guest', 'viewer']);
    expect(claims.permissions).toContain('users:read');

    const own = await api('GET', '/admin/tenants/acme/users', undefined, token);
    expect(own.status).toBe(200);
    expect(own.body.items.map((u: { username: string }) => u.username)).toContain(acme.user.username);
    expect((await api('GET', '/admin/tenants/globex/users', undefined, token)).status).toBe(403);
    expect((await api('POST', '/admin/tenants/acme/users', { username: 'mallory' }, token)).status).toBe(403);
    expect(
      (await api('GET', '/admin/tenants', undefined, token)).body.items.map((t: { slug: string }) => t.slug),
    ).toEqual(['acme']);
  });

  it('a tenant admin manages its own tenant only and cannot create tenants', async () => {
    const { token } = await serviceAccount('acme', ['admin']);
    expect((await api('POST', '/admin/tenants/acme/users', { username: 'carol' }, token)).status).toBe(201);
    expect((await api('POST', '/admin/tenants/globex/users', { username: 'carol' }, token)).status).toBe(403);
    expect((await api('POST', '/admin/tenants', { slug: 'sneaky', displayName: 'x' }, token)).status).toBe(403);
    expect((await api('DELETE', '/admin/tenants/acme', undefined, token)).status).toBe(403);
  });

  it('composite roles, and a role change reaches the next token', async () => {
    // Roles grant registered permissions only: the tickets API defines these two.
    const tickets = {
      identifier: 'https://tickets.acme.example',
      name: 'Tickets',
      scopes: ['tickets:read', 'tickets:write'],
    };
    expect((await api('POST', '/admin/tenants/acme/resources', tickets)).status).toBe(201);
    const support = await api('POST', '/admin/tenants/acme/roles', {
      name: 'support',
      description: 'Helps users',
      permissions: ['tickets:write'],
      includes: ['viewer'],
    });
    expect(support.status).toBe(201);
    const { client } = await serviceAccount('acme', ['support']);
    const first = decodeJwt(
      (await clientCredentials(acme.issuer, client, { scope: 'admin', resource: adminResource })).body.access_token,
    );
    expect(first.roles).toEqual(['guest', 'support', 'viewer']);
    expect(first.permissions).toEqual(expect.arrayContaining(['tickets:write', 'users:read']));

    await api('PATCH', `/admin/tenants/acme/roles/${support.body.id}`, { permissions: ['tickets:read'] });
    const second = decodeJwt(
      (await clientCredentials(acme.issuer, client, { scope: 'admin', resource: adminResource })).body.access_token,
    );
    expect(second.permissions).toContain('tickets:read');
    expect(second.permissions).not.toContain('tickets:write');

    expect((await api('DELETE', `/admin/tenants/acme/roles/${support.body.id}`)).status).toBe(204);
    const third = decodeJwt(
      (await clientCredentials(acme.issuer, client, { scope: 'admin', resource: adminResource })).body.access_token,
    );
    expect(third.roles).toEqual([]);
    expect(third.permissions).toEqual([]);
  });

  it('puts roles in API access tokens only when the client asks for the roles scope', async () => {
    const user = await api('PUT', `/admin/tenants/acme/clients/${acme.service.clientId}/roles`, { roles: ['user'] });
    expect(user.body).toEqual({ roles: ['user'] });
    const plain = decodeJwt((await clientCredentials(acme.issuer, acme.service, { scope: 'read' })).body.access_token);
    expect(plain.roles).toBeUndefined();
    const withRoles = decodeJwt(
      (await clientCredentials(acme.issuer, acme.service, { scope: 'read roles' })).body.access_token,
    );
    expect(withRoles.roles).toEqual(['guest', 'user', 'viewer']);
    expect(withRoles.permissions).toContain('users:read');
  });

  it.each([
    ['an unknown included role', { name: 'r1', permissions: [], includes: ['nope'] }, 400],
    ['a malformed permission', { name: 'r2', permissions: ['not a permission'] }, 400],
    ['a duplicate name', { name: 'admin', permissions: [] }, 409],
  ])('refuses %s', async (_case, body, status) => {
    const response = await api('POST', '/admin/tenants/acme/roles', body);
    expect(response.status).toBe(status);
    expect(response.body).toEqual({ error: expect.any(String), message: expect.any(String) });
  });

  it('refuses a cycle of composite roles', async () => {
    const roles = (await api('GET', '/admin/tenants/acme/roles')).body.items as { id: string; name: string }[];
    const guest = roles.find((r) => r.name === 'guest')!;
    const response = await api('PATCH', `/admin/tenants/acme/roles/${guest.id}`, { includes: ['admin'] });
    expect(response.status).toBe(400);
  });

  it('refuses unknown roles and unknown principals on assignment', async () => {
    expect((await api('PUT', `/admin/tenants/acme/users/${acme.user.id}/roles`, { roles: ['emperor'] })).status).toBe(
      400,
    );
    expect(
      (await api('PUT', '/admin/tenants/acme/users/00000000-0000-0000-0000-000000000000/roles', { roles: [] })).status,
    ).toBe(404);
    expect((await api('PUT', `/admin/tenants/globex/users/${acme.user.id}/roles`, { roles: ['admin'] })).status).toBe(
      404,
    );
    expect((await api('PUT', `/admin/tenants/acme/users/${acme.user.id}/roles`, { roles: ['viewer'] })).body).toEqual({
      roles: ['viewer'],
    });
    expect((await api('GET', `/admin/tenants/acme/users/${acme.user.id}/roles`)).body).toEqual({ roles: ['viewer'] });
  });
});
