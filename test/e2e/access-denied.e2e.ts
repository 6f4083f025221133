import { startTestServer, type TestServer } from '@app/testing';
import { clientCredentials } from './oidc-flows.js';
import { eventually } from './webhook-receiver.js';

type Denied = { subject: string; actor: { type: string; id: string | null }; clientId: string | null; data: any };

/** Refused admin and account API calls leave `access.denied` events, rate limited per principal and route. */
describe('access.denied audit events', () => {
  let server: TestServer;
  let guest: { token: string; clientId: string };
  let acmeAdmin: string;

  beforeAll(async () => {
    server = await startTestServer();
    const adminResource = `${server.publicUrl}/admin`;
    for (const slug of ['acme', 'globex']) await server.adminApi('POST', '/admin/tenants', { slug, displayName: slug });
    const serviceWith = async (roles: string[]) => {
      const created = await server.adminApi('POST', '/admin/tenants/acme/clients', {
        name: `service ${roles}`,
        applicationType: 'service',
        resources: [adminResource],
      });
      await server.adminApi('PUT', `/admin/tenants/acme/clients/${created.body.clientId}/roles`, { roles });
      const token = await clientCredentials(server.issuer('acme'), created.body, {
        scope: 'admin',
        resource: adminResource,
      });
      return { token: token.body.access_token as string, clientId: created.body.clientId as string };
    };
    guest = await serviceWith(['guest']);
    acmeAdmin = (await serviceWith(['admin'])).token;
  });
  afterAll(() => server?.close());

  const call = (path: string, token?: string, method = 'GET') =>
    fetch(`${server.url}${path}`, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const denials = async (slug: string) =>
    (await server.adminApi('GET', `/admin/tenants/${slug}/audit-events?type=access.denied&limit=100`)).body
      .items as Denied[];

  it('a call without a token (401) is recorded in the tenant the URL names, as anonymous, by route pattern', async () => {
    expect((await call('/admin/tenants/acme/users')).status).toBe(401);
    const [event] = await eventually(async () => (await denials('acme')).length > 0 && denials('acme'));
    expect(event).toMatchObject({
      subject: 'GET /admin/tenants/:slug/users',
      actor: { type: 'anonymous' },
      data: { api: 'admin', status: 401 },
    });
    // A route without a tenant in it goes to the system tenant's trail.
    expect((await call('/admin/tenants', 'not-a-token')).status).toBe(401);
    await eventually(async () =>
      (await denials('system')).some((e) => e.subject === 'GET /admin/tenants' && e.data.status === 401),
    );
  });

  it('a token without the permission (403) is recorded in its own tenant with the principal', async () => {
    expect((await call('/admin/tenants/acme/clients', guest.token)).status).toBe(403);
    const event = await eventually(async () =>
      (await denials('acme')).find((e) => e.subject === 'GET /admin/tenants/:slug/clients'),
    );
    expect(event).toMatchObject({
      actor: { type: 'client' },
      clientId: guest.clientId,
      data: { api: 'admin', status: 403, reason: expect.any(String) },
    });
  });

  it('a cross-tenant attempt is recorded in the caller’s tenant, never told to the other one', async () => {
    expect((await call('/admin/tenants/globex/users', acmeAdmin)).status).toBe(403);
    await eventually(async () =>
      (await denials('acme')).some((e) => e.subject === 'GET /admin/tenants/:slug/users' && e.data.status === 403),
    );
    expect(await denials('globex')).toEqual([]);
  });

  it('a flood is rate limited: one event per principal and route a minute, the metric counts every refusal', async () => {
    const route = 'DELETE /admin/tenants/:slug/roles/:id';
    for (let i = 0; i < 25; i++)
      expect((await call(`/admin/tenants/acme/roles/r${i}`, guest.token, 'DELETE')).status).toBe(403);
    // A scanner with a new garbage token each time is one anonymous caller (its IP).
    for (let i = 0; i < 25; i++) expect((await call('/admin/tenants/acme/roles', `junk-${i}`)).status).toBe(401);
    await eventually(async () => (await denials('acme')).some((e) => e.subject === 'GET /admin/tenants/:slug/roles'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const events = await denials('acme');
    expect(events.filter((e) => e.subject === route)).toHaveLength(1);
    expect(events.filter((e) => e.subject === 'GET /admin/tenants/:slug/roles')).toHaveLength(1);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    const count = (status: number) =>
      Number(
        new RegExp(`^idp_access_denied_total\\{api="admin",status="${status}"\\} (\\d+)$`, 'm').exec(metrics)?.[1],
      );
    expect(count(403)).toBeGreaterThanOrEqual(25);
    expect(count(401)).toBeGreaterThanOrEqual(25);
    expect((await server.adminApi('GET', '/admin/tenants/acme/audit-events/verify')).body.valid).toBe(true);
  });

  it('the account API: a refused call (401) is recorded in that tenant with api "account"', async () => {
    const response = await fetch(`${server.issuer('acme')}/account/sessions`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(response.status).toBe(401);
    const event = await eventually(async () => (await denials('acme')).find((e) => e.data.api === 'account'));
    expect(event).toMatchObject({
      subject: 'GET /t/:tenant/account/sessions',
      actor: { type: 'anonymous' },
      data: { status: 401 },
    });
  });
});
