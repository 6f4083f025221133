import { startTestServer, type TestServer } from '@app/testing';
import {
  canSignIn,
  decodeJwt,
  oidc,
  provisionTenant,
  signInForTokens,
  type TenantFixture,
  tokenRequest,
} from './oidc-flows.js';

/** Self-service on {issuer}/account: profile edit, "sign out everywhere else", own sign-in activity. */
describe('account self-service ({issuer}/account)', () => {
  let server: TestServer;
  let acme: TenantFixture;
  let globex: TenantFixture;
  const bob = { username: 'bob-acme', password: 'a-long-secret-phrase-2', id: '' };

  beforeAll(async () => {
    server = await startTestServer();
    acme = await provisionTenant(server, 'acme');
    globex = await provisionTenant(server, 'globex');
    const created = await server.adminApi('POST', '/admin/tenants/acme/users', {
      username: bob.username,
      email: 'bob@acme.example',
      password: bob.password,
      emailVerified: true,
    });
    expect(created.status).toBe(201);
    bob.id = created.body.id;
  });
  afterAll(() => server?.close());

  const signedIn = async (tenant: TenantFixture, as?: { username: string; password: string }, scope?: string) =>
    signInForTokens(tenant, {
      ...(as ? { username: as.username, password: as.password } : {}),
      ...(scope ? { scope } : {}),
    });

  const account = async (
    tenant: TenantFixture,
    path: string,
    token?: string,
    init: { method?: string; body?: unknown } = {},
  ) => {
    const response = await fetch(`${tenant.issuer}/account${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        'user-agent': 'self-service-test/1.0',
      },
      body:
        init.body !== undefined ? (typeof init.body === 'string' ? init.body : JSON.stringify(init.body)) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

  const refreshes = async (refreshToken: string) =>
    (
      await tokenRequest(
        acme.issuer,
        { grant_type: 'refresh_token', refresh_token: refreshToken },
        { id: acme.web.clientId, secret: acme.web.clientSecret },
      )
    ).status === 200;

  describe('PATCH /account', () => {
    const profile = {
      name: 'Alice Liddell',
      given_name: 'Alice',
      family_name: 'Liddell',
      locale: 'en-GB',
      picture: 'https://cdn.acme.example/alice.png',
    };

    it('edits the standard claims; they are served by scope in the ID token and at userinfo', async () => {
      const { tokens } = await signedIn(acme);
      const updated = await account(acme, '', tokens.access_token, { method: 'PATCH', body: profile });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({ id: acme.user.id, username: acme.user.username, ...profile });
      expect((await account(acme, '', tokens.access_token)).body).toMatchObject(profile);

      const withProfile = await signedIn(acme, undefined, 'openid profile');
      expect(decodeJwt(withProfile.tokens.id_token!)).toMatchObject({ sub: acme.user.id, ...profile });
      const userinfo = await oidc.fetchUserInfo(withProfile.config, withProfile.tokens.access_token, acme.user.id);
      expect(userinfo).toMatchObject({ preferred_username: acme.user.username, ...profile });

      // Without the profile scope none of them is released.
      const withoutProfile = await signedIn(acme, undefined, 'openid email');
      const claims = decodeJwt(withoutProfile.tokens.id_token!);
      for (const claim of Object.keys(profile)) expect(claims).not.toHaveProperty(claim);
      const bare = await oidc.fetchUserInfo(withoutProfile.config, withoutProfile.tokens.access_token, acme.user.id);
      for (const claim of Object.keys(profile)) expect(bare).not.toHaveProperty(claim);
    });

    it('null clears a claim, which is then no longer released', async () => {
      const { tokens } = await signedIn(acme);
      const cleared = await account(acme, '', tokens.access_token, { method: 'PATCH', body: { picture: null } });
      expect(cleared.status).toBe(200);
      expect(cleared.body).toMatchObject({ picture: null, name: 'Alice Liddell' });
      const again = await signedIn(acme, undefined, 'openid profile');
      expect(decodeJwt(again.tokens.id_token!)).not.toHaveProperty('picture');
    });

    it.each([
      ['a picture over http', { picture: 'http://cdn.acme.example/a.png' }],
      ['a javascript: picture', { picture: 'javascript:alert(1)' }],
      ['a picture URL with credentials', { picture: 'https://user:pw@cdn.acme.example/a.png' }],
      ['a locale that is no language tag', { locale: 'english please' }],
      ['a name with a NUL byte', { name: 'Ali\u0000ce' }],
      ['a name with a newline', { given_name: 'Ali\nce' }],
      ['an overlong name', { name: 'a'.repeat(201) }],
      ['a name that is not a string', { name: 42 }],
      ['a username change (not allowed here)', { username: 'mallory' }],
      ['an email change (only through a verification mail)', { email: 'mallory@evil.example' }],
      ['nothing to change', {}],
    ])('refuses %s with 400 {error, message} and changes nothing', async (_case, body) => {
      const { tokens } = await signedIn(acme);
      const before = (await account(acme, '', tokens.access_token)).body;
      const refused = await account(acme, '', tokens.access_token, { method: 'PATCH', body });
      expect(refused.status).toBe(400);
      expect(refused.body).toEqual({ error: expect.any(String), message: expect.any(String) });
      expect((await account(acme, '', tokens.access_token)).body).toEqual(before);
    });

    it('refuses malformed JSON with 400, no token or a foreign tenant’s token with 401', async () => {
      const { tokens } = await signedIn(acme);
      expect((await account(acme, '', tokens.access_token, { method: 'PATCH', body: '{"name":' })).status).toBe(400);
      expect((await account(acme, '', undefined, { method: 'PATCH', body: { name: 'x' } })).status).toBe(401);
      const foreign = (await signedIn(globex)).tokens.access_token;
      expect((await account(acme, '', foreign, { method: 'PATCH', body: { name: 'x' } })).status).toBe(401);
    });

    it('one user’s edit never shows on another user', async () => {
      const bobTokens = (await signedIn(acme, bob)).tokens;
      expect((await account(acme, '', bobTokens.access_token, { method: 'PATCH', body: { name: 'Bob' } })).status).toBe(
        200,
      );
      const alice = (await signedIn(acme)).tokens;
      expect((await account(acme, '', alice.access_token)).body.name).toBe('Alice Liddell');
      expect((await account(acme, '', bobTokens.access_token)).body).toMatchObject({ id: bob.id, name: 'Bob' });
    });
  });

  describe('DELETE /account/sessions', () => {
    it('signs out everywhere else: other sessions and their refresh tokens end, the current one stays', async () => {
      const here = (await signedIn(acme)).tokens;
      const laptop = (await signedIn(acme)).tokens;
      const phone = (await signedIn(acme)).tokens;
      const bobs = (await signedIn(acme, bob)).tokens;
      const before = (await account(acme, '/sessions', here.access_token)).body.items.length;
      expect(before).toBeGreaterThanOrEqual(3);

      const ended = await account(acme, '/sessions', here.access_token, { method: 'DELETE' });
      expect(ended).toEqual({ status: 200, body: { ended: before - 1 } });
      const left = (await account(acme, '/sessions', here.access_token)).body.items;
      expect(left).toEqual([expect.objectContaining({ current: true })]);
      expect(await refreshes(laptop.refresh_token!)).toBe(false);
      expect(await refreshes(phone.refresh_token!)).toBe(false);
      expect((await account(acme, '', laptop.access_token)).status).toBe(401);
      expect(await refreshes(here.refresh_token!)).toBe(true);

      // Another user's sessions are not touched.
      expect(await refreshes(bobs.refresh_token!)).toBe(true);
      const audit = await server.adminApi('GET', '/admin/tenants/acme/audit-events?type=session.revoked');
      expect(audit.body.items[0]).toMatchObject({
        subject: acme.user.id,
        data: { scope: 'others', ended: before - 1 },
      });
    });

    it('?includeCurrent=true ends the current session too; a bad value is a 400', async () => {
      const here = (await signedIn(acme)).tokens;
      await signedIn(acme);
      expect(
        (await account(acme, '/sessions?includeCurrent=yes', here.access_token, { method: 'DELETE' })).status,
      ).toBe(400);
      const ended = await account(acme, '/sessions?includeCurrent=true', here.access_token, { method: 'DELETE' });
      expect(ended.status).toBe(200);
      expect(ended.body.ended).toBeGreaterThanOrEqual(2);
      expect(await refreshes(here.refresh_token!)).toBe(false);
      expect((await account(acme, '/sessions', here.access_token)).status).toBe(401);
    });

    it('needs the user’s own token (401 without)', async () => {
      expect((await account(acme, '/sessions', undefined, { method: 'DELETE' })).status).toBe(401);
    });
  });

  describe('GET /account/activity and lastLoginAt', () => {
    it('lists own sign-ins and failed attempts, newest first, with time, device, IP, outcome and method', async () => {
      const carol = await server.adminApi('POST', '/admin/tenants/acme/users', {
        username: 'carol-acme',
        password: 'carols-long-passphrase',
      });
      expect(carol.body.lastLoginAt).toBeNull();
      const started = Date.now();
      expect(await canSignIn(acme, 'carol-acme', 'not-her-password')).toBe(false);
      const { tokens } = await signedIn(acme, { username: 'carol-acme', password: 'carols-long-passphrase' });
      expect(await canSignIn(acme, bob.username, 'not-bobs-password')).toBe(false);

      const activity = await account(acme, '/activity', tokens.access_token);
      expect(activity.status).toBe(200);
      const [success, ...failures] = activity.body.items;
      expect(success).toMatchObject({
        event: 'login.success',
        outcome: 'success',
        methods: ['pwd'],
        clientId: acme.web.clientId,
        userAgent: expect.any(String),
      });
      // The test's sign-in helper retries the form a few times: each wrong password is one attempt.
      expect(failures.length).toBeGreaterThanOrEqual(1);
      for (const failure of failures) {
        expect(failure).toMatchObject({
          event: 'login.failure',
          outcome: 'failure',
          methods: ['pwd'],
          reason: 'invalid_credentials',
        });
      }
      for (const item of activity.body.items) {
        expect(Date.parse(item.at)).toBeGreaterThanOrEqual(started - 1000);
        expect(item.ip).toEqual(expect.any(String));
        expect(item.userAgent).toEqual(expect.any(String));
      }
      expect(activity.body.nextCursor).toBeNull();

      const user = await server.adminApi('GET', `/admin/tenants/acme/users/${carol.body.id}`);
      expect(Date.parse(user.body.lastLoginAt)).toBeGreaterThanOrEqual(started - 1000);
    });

    it('never shows another user’s sign-ins, nor another tenant’s', async () => {
      const bobs = (await signedIn(acme, bob)).tokens;
      await signedIn(globex);
      const items = (await account(acme, '/activity?limit=100', bobs.access_token)).body.items as {
        event: string;
        clientId: string;
      }[];
      // Exactly bob's sign-in events of the trail (by id and by the username typed), nobody else's.
      const trail = async (type: string) =>
        (await server.adminApi('GET', `/admin/tenants/acme/audit-events?type=${type}&limit=100`)).body.items as {
          seq: number;
          subject: string;
        }[];
      const successes = (await trail('login.success')).filter((event) => event.subject === bob.id);
      const failures = (await trail('login.failure')).filter((event) => event.subject === bob.username);
      expect(successes.length).toBeGreaterThanOrEqual(1);
      expect(failures.length).toBeGreaterThanOrEqual(1);
      const expected = [...successes, ...failures].map((event) => String(event.seq)).sort();
      expect(items.map((item) => (item as unknown as { id: string }).id).sort()).toEqual(expected);
      expect(items.every((item) => item.clientId !== globex.web.clientId)).toBe(true);
    });

    it('pages with limit and cursor; a bad limit or cursor is a 400', async () => {
      const { tokens } = await signedIn(acme, bob);
      const first = await account(acme, '/activity?limit=1', tokens.access_token);
      expect(first.body.items).toHaveLength(1);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await account(acme, `/activity?limit=1&cursor=${first.body.nextCursor}`, tokens.access_token);
      expect(second.body.items).toHaveLength(1);
      expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
      expect(Date.parse(second.body.items[0].at)).toBeLessThanOrEqual(Date.parse(first.body.items[0].at));
      for (const bad of ['limit=0', 'limit=101', 'limit=abc', 'cursor=abc', 'cursor=1;DROP TABLE users']) {
        const refused = await account(acme, `/activity?${bad}`, tokens.access_token);
        expect(refused.status).toBe(400);
        expect(refused.body).toEqual({ error: expect.any(String), message: expect.any(String) });
      }
      expect((await account(acme, '/activity')).status).toBe(401);
    });
  });
});
