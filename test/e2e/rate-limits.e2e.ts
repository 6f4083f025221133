import { BrowserlessAgent, parseForm, startTestServer, type TestServer } from '@app/testing';
import {
  clientCredentials,
  discover,
  PASSWORD,
  provisionTenant,
  REDIRECT_URI,
  startAuthorization,
  type TenantFixture,
} from './oidc-flows.js';

/** Failures and anonymous actions are rate limited (429 + Retry-After); successful traffic is not. */
describe('rate limits on failures', () => {
  let server: TestServer;
  let acme: TenantFixture;
  let busy: TenantFixture;

  beforeAll(async () => {
    server = await startTestServer();
    acme = await provisionTenant(server, 'acme');
    busy = await provisionTenant(server, 'busy');
  });
  afterAll(() => server?.close());

  it('wrong client secrets: 429 with Retry-After once the limit is reached', async () => {
    const wrong = { ...acme.service, clientSecret: 'wrong-secret' };
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await clientCredentials(acme.issuer, wrong)).status);
    expect(new Set(statuses)).toEqual(new Set([401]));

    const response = await fetch(`${acme.issuer}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${wrong.clientId}:${wrong.clientSecret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(response.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(((await response.json()) as { error: string }).error).toBe('too_many_requests');
  });

  it('a busy, correctly authenticated client is never throttled', async () => {
    const statuses = new Set<number>();
    for (let i = 0; i < 150; i++) statuses.add((await clientCredentials(busy.issuer, busy.service)).status);
    expect(statuses).toEqual(new Set([200]));
  });

  it('50 parallel wrong passwords: exactly the lockout threshold (10) are checked, the rest get 429', async () => {
    const created = await server.adminApi('POST', '/admin/tenants/acme/users', { username: 'ivy', password: PASSWORD });
    expect(created.status).toBe(201);
    const config = await discover(acme.issuer, acme.spa.clientId);
    // Fifty independent sign-in pages (each its own interaction and CSRF token) …
    const forms = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const agent = new BrowserlessAgent([REDIRECT_URI]);
        const page = await agent.navigate((await startAuthorization(config)).url.href);
        return { agent, form: parseForm(page.html, page.url) };
      }),
    );
    // … submitted at once.
    const statuses = await Promise.all(
      forms.map(async ({ agent, form }) => {
        const response = await agent.request(form.action, {
          form: { ...form.fields, username: 'ivy', password: 'wrong-guess' },
        });
        await response.arrayBuffer();
        return response.status;
      }),
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40);

    // The lock is one security event, recorded once, and counted.
    const locks = await server.adminApi('GET', '/admin/tenants/acme/audit-events?type=account.locked');
    expect(locks.body.items).toHaveLength(1);
    expect(locks.body.items[0]).toMatchObject({ subject: 'ivy', data: { threshold: 10, durationSeconds: 900 } });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^idp_lockouts_total 1$/m);
    expect(metrics).toMatch(/^idp_logins_total\{outcome="failure"\} 10$/m);
    expect(metrics).toMatch(/^idp_logins_total\{outcome="locked"\} 40$/m);
    expect(metrics).toMatch(/^idp_rate_limited_total\{kind="login"\} 40$/m);
    expect(metrics).toMatch(/^idp_tenant_providers_cached \d+$/m);
    expect(metrics).toMatch(/^idp_active_sessions \d+$/m);
  });

  it('wrong passwords for one account: 429 with Retry-After and a readable page', async () => {
    const config = await discover(busy.issuer, busy.spa.clientId);
    const start = await startAuthorization(config);
    const agent = new BrowserlessAgent([REDIRECT_URI]);
    let page = await agent.navigate(start.url.href);
    for (let i = 0; i < 10; i++) {
      const form = parseForm(page.html, page.url);
      page = await agent.navigate(form.action, {
        form: { ...form.fields, username: busy.user.username, password: 'nope' },
      });
      expect(page.status).toBe(401);
    }
    const form = parseForm(page.html, page.url);
    const response = await agent.request(form.action, {
      form: { ...form.fields, username: busy.user.username, password: PASSWORD },
    });
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await response.text()).toContain('Too many failed attempts');
  });
});
