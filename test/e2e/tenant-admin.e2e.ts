import { BrowserlessAgent, parseForm, startTestServer, TEST_REDIS_URL, type TestServer } from '@app/testing';
import argon2 from 'argon2';
import { Redis } from 'ioredis';
import pg from 'pg';
import {
  clientCredentials,
  canSignIn as canSignInTo,
  discover,
  oidc,
  PASSWORD,
  provisionTenant,
  REDIRECT_URI,
  signIn,
  startAuthorization,
  type TenantFixture,
  tokenRequest,
} from './oidc-flows.js';

describe('tenant settings, user management and tenant deletion', () => {
  let server: TestServer;
  let acme: TenantFixture;
  const api = (method: string, path: string, body?: unknown) => server.adminApi(method, path, body);

  beforeAll(async () => {
    server = await startTestServer();
    acme = await provisionTenant(server, 'acme');
  });
  afterAll(() => server?.close());

  const canSignIn = (username: string, password: string) => canSignInTo(acme, username, password);

  it('token lifetimes change with the settings, without a restart', async () => {
    expect((await clientCredentials(acme.issuer, acme.service)).body.expires_in).toBe(900);
    const patched = await api('PATCH', '/admin/tenants/acme', { settings: { accessTokenTtlSeconds: 300 } });
    expect(patched.status).toBe(200);
    expect(patched.body.settings.accessTokenTtlSeconds).toBe(300);
    expect(patched.body.settings.idTokenTtlSeconds).toBe(900);
    expect((await clientCredentials(acme.issuer, acme.service)).body.expires_in).toBe(300);
  });

  it.each([
    ['a lifetime below the minimum', { accessTokenTtlSeconds: 5 }],
    ['an unknown setting', { lockdown: true }],
    ['a password policy with max < min', { passwordPolicy: { minLength: 40, maxLength: 20 } }],
    ['a malformed CORS origin', { corsOrigins: ['https://app.example/path'] }],
    ['a lockout threshold of 1', { lockout: { threshold: 1 } }],
  ])('refuses %s (400, nothing written)', async (_case, settings) => {
    const before = (await api('GET', '/admin/tenants/acme')).body.settings;
    const response = await api('PATCH', '/admin/tenants/acme', { settings });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: 'invalid_request', message: expect.any(String) });
    expect((await api('GET', '/admin/tenants/acme')).body.settings).toEqual(before);
  });

  it('CORS answers only the origins the tenant lists', async () => {
    await api('PATCH', '/admin/tenants/acme', { settings: { corsOrigins: ['https://spa.acme.example'] } });
    const fromOrigin = (origin: string) =>
      fetch(`${acme.issuer}/token`, {
        method: 'POST',
        headers: {
          origin,
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${acme.opaqueService.clientId}:${acme.opaqueService.clientSecret}`).toString('base64')}`,
        },
        body: 'grant_type=client_credentials',
      });
    const allowed = await fromOrigin('https://spa.acme.example');
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://spa.acme.example');
    const refused = await fromOrigin('https://evil.example');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(refused.status).toBe(400);
  });

  it('applies the tenant password policy to new users and resets', async () => {
    await api('PATCH', '/admin/tenants/acme', { settings: { passwordPolicy: { requireDigit: true } } });
    const weak = await api('POST', '/admin/tenants/acme/users', { username: 'dave', password: 'no-digits-in-here' });
    expect(weak.status).toBe(400);
    expect(weak.body.message).toContain('digit');
    const containsName = await api('POST', '/admin/tenants/acme/users', {
      username: 'dave',
      password: 'dave-is-9-great!',
    });
    expect(containsName.status).toBe(400);
    expect(
      (await api('POST', '/admin/tenants/acme/users', { username: 'dave', password: 'has-a-digit-9-ok' })).status,
    ).toBe(201);
    await api('PATCH', '/admin/tenants/acme', { settings: { passwordPolicy: { requireDigit: false } } });
  });

  it('disabling a user stops sign-in; an admin password reset takes effect; deleting removes the user', async () => {
    const user = (await api('POST', '/admin/tenants/acme/users', { username: 'erin', password: PASSWORD })).body;
    expect(await canSignIn('erin', PASSWORD)).toBe(true);

    expect((await api('PATCH', `/admin/tenants/acme/users/${user.id}`, { disabled: true })).body.disabled).toBe(true);
    expect(await canSignIn('erin', PASSWORD)).toBe(false);
    await api('PATCH', `/admin/tenants/acme/users/${user.id}`, { disabled: false });

    expect((await api('POST', `/admin/tenants/acme/users/${user.id}/password`, { password: 'short' })).status).toBe(
      400,
    );
    expect(
      (await api('POST', `/admin/tenants/acme/users/${user.id}/password`, { password: 'a-brand-new-passphrase' }))
        .status,
    ).toBe(204);
    expect(await canSignIn('erin', PASSWORD)).toBe(false);
    expect(await canSignIn('erin', 'a-brand-new-passphrase')).toBe(true);

    expect((await api('DELETE', `/admin/tenants/acme/users/${user.id}`)).status).toBe(204);
    expect((await api('GET', `/admin/tenants/acme/users/${user.id}`)).status).toBe(404);
    expect(await canSignIn('erin', 'a-brand-new-passphrase')).toBe(false);
  });

  it('reports users, clients, live sessions and tokens issued in the last 24 hours', async () => {
    const counted = await provisionTenant(server, 'counted');
    await clientCredentials(counted.issuer, counted.opaqueService);
    await clientCredentials(counted.issuer, counted.service);
    const config = await discover(counted.issuer, counted.spa.clientId);
    const start = await startAuthorization(config, { scope: 'openid' });
    const { callback } = await signIn(new BrowserlessAgent([REDIRECT_URI]), start.url, {
      username: counted.user.username,
      password: PASSWORD,
    });
    await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: start.verifier,
      expectedState: start.state,
      expectedNonce: start.nonce,
    });
    const stats = await api('GET', '/admin/tenants/counted/stats');
    expect(stats.status).toBe(200);
    expect(stats.body).toEqual({
      users: 1,
      clients: 5, // the four above and the built-in console client
      activeSessions: 1,
      tokensIssuedLast24h: { authorization_code: 1, refresh_token: 0, client_credentials: 2 },
      hourly: expect.any(Array),
    });
    // The same counts hour by hour (the console's charts): all of them in the current hour.
    expect(stats.body.hourly).toHaveLength(24);
    expect(stats.body.hourly[23]).toEqual({ hour: expect.any(String), signIns: 1, tokens: 3 });
    expect(Date.now() - Date.parse(stats.body.hourly[23].hour)).toBeLessThan(3600_000);
  });

  it('disabling a user ends their sessions; an admin unlock lifts the failure limit; old hashes are upgraded at sign-in', async () => {
    const user = (await api('POST', '/admin/tenants/acme/users', { username: 'frank', password: PASSWORD })).body;
    const db = new pg.Client({ connectionString: server.databaseUrl });
    await db.connect();
    try {
      // A hash from weaker, older parameters…
      const weaker = await argon2.hash(PASSWORD, {
        type: argon2.argon2id,
        memoryCost: 4096,
        timeCost: 1,
        parallelism: 1,
      });
      await db.query('UPDATE users SET password_hash = $1 WHERE id = $2', [weaker, user.id]);
      const config = await discover(acme.issuer, acme.web.clientId, acme.web.clientSecret);
      const start = await startAuthorization(config);
      const { callback } = await signIn(new BrowserlessAgent([REDIRECT_URI]), start.url, {
        username: 'frank',
        password: PASSWORD,
      });
      const tokens = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: start.verifier,
        expectedState: start.state,
        expectedNonce: start.nonce,
      });
      // …is replaced by today's parameters once the password was verified.
      const [{ password_hash: upgraded }] = (await db.query('SELECT password_hash FROM users WHERE id = $1', [user.id]))
        .rows;
      expect(upgraded).toMatch(/^\$argon2id\$v=19\$m=19456,/);

      expect((await api('PATCH', `/admin/tenants/acme/users/${user.id}`, { disabled: true })).status).toBe(200);
      const refreshed = await tokenRequest(
        acme.issuer,
        { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! },
        { id: acme.web.clientId, secret: acme.web.clientSecret },
      );
      expect(refreshed.body.error).toBe('invalid_grant');
      await api('PATCH', `/admin/tenants/acme/users/${user.id}`, { disabled: false });

      // The tenant's lockout threshold (here 4) blocks the account (429), even for the right
      // password, until an admin unlocks it.
      await api('PATCH', '/admin/tenants/acme', { settings: { lockout: { threshold: 4 } } });
      for (let i = 0; i < 4; i++) expect(await canSignIn('frank', 'wrong-password')).toBe(false);
      expect(await canSignIn('frank', PASSWORD)).toBe(false);
      expect((await api('DELETE', `/admin/tenants/acme/users/${user.id}/lockout`)).status).toBe(204);
      expect(await canSignIn('frank', PASSWORD)).toBe(true);
    } finally {
      await db.end();
    }
  });

  it('deleting a tenant leaves nothing of it in Postgres or Redis', async () => {
    const doomed = await provisionTenant(server, 'doomed');
    const tenantId = (await api('GET', '/admin/tenants/doomed')).body.id as string;
    // A webhook endpoint nobody answers (port 9 refuses): its deliveries stay queued for retry.
    const hook = await api('POST', '/admin/tenants/doomed/webhooks', {
      url: 'http://127.0.0.1:9/hook',
      eventTypes: ['*'],
    });
    expect(hook.status).toBe(201);
    await canSignInAt(doomed);
    await clientCredentials(doomed.issuer, doomed.opaqueService);
    // A pending password-reset link (the mail goes to the log: no SMTP_URL here).
    const agent = new BrowserlessAgent();
    const forgot = await agent.navigate(`${doomed.issuer}/password/forgot`);
    const form = parseForm(forgot.html, forgot.url);
    expect((await agent.request(form.action, { form: { ...form.fields, login: doomed.user.username } })).status).toBe(
      200,
    );

    const redis = new Redis(TEST_REDIS_URL);
    const db = new pg.Client({ connectionString: server.databaseUrl });
    await db.connect();
    const rows = async () => {
      let total = 0;
      for (const table of [
        'signing_keys',
        'clients',
        'api_resources',
        'users',
        'roles',
        'role_assignments',
        'user_action_tokens',
        'webhook_endpoints',
        'webhook_deliveries',
      ]) {
        total += Number(
          (await db.query(`SELECT count(*) FROM ${table} WHERE tenant_id = $1`, [tenantId])).rows[0].count,
        );
      }
      return total + Number((await db.query('SELECT count(*) FROM tenants WHERE id = $1', [tenantId])).rows[0].count);
    };
    const keys = () => redis.keys(`${server.redisPrefix}{${tenantId}}*`);
    const queuedWebhooks = async () =>
      (await redis.zrange(`${server.redisPrefix}webhooks:due`, 0, -1)).filter((m) => m.startsWith(`${tenantId}/`));
    try {
      expect(await rows()).toBeGreaterThan(5);
      const tokens = await db.query('SELECT count(*) FROM user_action_tokens WHERE tenant_id = $1', [tenantId]);
      expect(Number(tokens.rows[0].count)).toBe(1);
      expect((await keys()).length).toBeGreaterThan(0);
      expect((await queuedWebhooks()).length).toBeGreaterThan(0);
      expect((await api('DELETE', '/admin/tenants/doomed')).status).toBe(204);
      expect(await rows()).toBe(0);
      expect(await keys()).toEqual([]);
      expect(await queuedWebhooks()).toEqual([]);
    } finally {
      await db.end();
      redis.disconnect();
    }
  });

  async function canSignInAt(tenant: TenantFixture) {
    const config = await discover(tenant.issuer, tenant.spa.clientId);
    const start = await startAuthorization(config, { scope: 'openid' });
    await signIn(new BrowserlessAgent([REDIRECT_URI]), start.url, {
      username: tenant.user.username,
      password: PASSWORD,
    });
  }
});
