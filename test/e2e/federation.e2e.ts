import { BrowserlessAgent, parseForm, startTestServer, type TestServer } from '@app/testing';
import { Secret, TOTP } from 'otpauth';
import pg from 'pg';
import { accountApi, pressProvider, provisionUpstream, tokensOf, upstreamLogin } from './federation-flows.js';
import { PASSWORD, provisionTenant, REDIRECT_URI, type TenantFixture } from './oidc-flows.js';

const GENERIC = 'Signing in with that provider did not work';

/**
 * Sign in with another provider (identity brokering). The upstream is a real OpenID
 * Provider: a second tenant (`corp`) of the same server, with its own users and keys.
 */
describe('upstream identity providers: broker round trip', () => {
  let server: TestServer;
  let acme: TenantFixture;
  let upstream: Awaited<ReturnType<typeof provisionUpstream>>;
  const callbackPrefix = () => `${acme.issuer}/broker/corp/callback`;

  const createUpstreamUser = async (username: string, email: string, emailVerified: boolean) => {
    const created = await server.adminApi('POST', '/admin/tenants/corp/users', {
      username,
      email,
      emailVerified,
      password: PASSWORD,
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };

  const auditEvents = async (type: string) =>
    (await server.adminApi('GET', `/admin/tenants/acme/audit-events?type=${type}&limit=50`)).body.items as {
      data: Record<string, unknown>;
    }[];

  beforeAll(async () => {
    server = await startTestServer();
    acme = await provisionTenant(server, 'acme');
    upstream = await provisionUpstream(server, 'corp', acme.issuer, 'corp');
    await createUpstreamUser('bob', 'bob@corp.example', true);
    await createUpstreamUser('alice-corp', 'alice@acme.example', true);
    await createUpstreamUser('carol-corp', 'carol@acme.example', false);
    await createUpstreamUser('dave', 'dave@corp.example', true);
    await server.adminApi('POST', '/admin/tenants/acme/users', {
      username: 'carol',
      email: 'carol@acme.example',
      password: PASSWORD,
      emailVerified: true,
    });
  });
  afterAll(() => server?.close());

  describe('admin API', () => {
    it('creates a provider: 201 without the secret, which is stored sealed, never in clear', async () => {
      const created = await server.adminApi('POST', '/admin/tenants/acme/identity-providers', {
        alias: 'corp',
        displayName: 'Corp SSO',
        type: 'oidc',
        issuer: upstream.issuer,
        clientId: upstream.clientId,
        clientSecret: upstream.clientSecret,
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        alias: 'corp',
        type: 'oidc',
        issuer: upstream.issuer,
        jit: true,
        linkBy: 'verified-email',
        enabled: true,
        scopes: ['openid', 'email', 'profile'],
        redirectUri: `${acme.issuer}/broker/corp/callback`,
      });
      expect(JSON.stringify(created.body)).not.toContain(upstream.clientSecret);
      expect(created.body).not.toHaveProperty('clientSecret');
      const listed = await server.adminApi('GET', '/admin/tenants/acme/identity-providers');
      expect(listed.body.items.map((p: { alias: string }) => p.alias)).toEqual(['corp']);
      expect(JSON.stringify(listed.body)).not.toContain(upstream.clientSecret);
      const db = new pg.Client({ connectionString: server.databaseUrl });
      await db.connect();
      try {
        const { rows } = await db.query(`SELECT client_secret_sealed FROM identity_providers WHERE alias = 'corp'`);
        expect(rows[0].client_secret_sealed).toMatch(/^v1\./);
        expect(rows[0].client_secret_sealed).not.toContain(upstream.clientSecret);
      } finally {
        await db.end();
      }
    });

    it('refuses bad input (400), duplicates (409), unknown aliases (404); PATCH and DELETE', async () => {
      const base = { alias: 'x1', displayName: 'X', type: 'oidc', clientId: 'c', clientSecret: 's' };
      const post = (body: unknown) => server.adminApi('POST', '/admin/tenants/acme/identity-providers', body);
      expect((await post({ ...base, type: 'saml', issuer: upstream.issuer })).status).toBe(400);
      expect((await post({ ...base })).status).toBe(400); // oidc without an issuer
      expect((await post({ ...base, issuer: 'ftp://idp.example' })).status).toBe(400);
      expect((await post({ ...base, alias: 'Bad Alias', issuer: upstream.issuer })).status).toBe(400);
      expect(
        (
          await post({
            ...base,
            type: 'microsoft',
            issuer: 'https://login.microsoftonline.com.evil.example/common/v2.0',
          })
        ).status,
      ).toBe(400);
      expect((await post({ ...base, alias: 'corp', issuer: upstream.issuer })).status).toBe(409);
      const bad = await post({ ...base, issuer: upstream.issuer, clientSecret: 42 });
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({ error: expect.any(String), message: expect.any(String) });
      expect((await server.adminApi('GET', '/admin/tenants/acme/identity-providers/nope')).status).toBe(404);
      const github = await post({ ...base, alias: 'gh', type: 'github', issuer: undefined });
      expect(github.status).toBe(201);
      expect(github.body).toMatchObject({ issuer: null, scopes: ['read:user', 'user:email'] });
      const patched = await server.adminApi('PATCH', '/admin/tenants/acme/identity-providers/gh', {
        displayName: 'GitHub',
        enabled: false,
        clientSecret: 'new-secret',
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ displayName: 'GitHub', enabled: false });
      expect(JSON.stringify(patched.body)).not.toContain('new-secret');
      expect((await server.adminApi('DELETE', '/admin/tenants/acme/identity-providers/gh')).status).toBe(204);
      expect((await server.adminApi('DELETE', '/admin/tenants/acme/identity-providers/gh')).status).toBe(404);
    });

    it('is in the OpenAPI document; the secret is in no answer schema and in no audit event', async () => {
      const document = (await (await fetch(`${server.publicUrl}/admin/docs-json`)).json()) as {
        paths: Record<string, unknown>;
        components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
      };
      expect(Object.keys(document.paths)).toEqual(
        expect.arrayContaining([
          '/admin/tenants/{slug}/identity-providers',
          '/admin/tenants/{slug}/identity-providers/{alias}',
        ]),
      );
      expect(Object.keys(document.components.schemas.IdentityProviderDto.properties!)).not.toContain('clientSecret');
      const trail = await server.adminApi('GET', '/admin/tenants/acme/audit-events?limit=100');
      expect(trail.status).toBe(200);
      expect(JSON.stringify(trail.body)).not.toContain(upstream.clientSecret);
    });

    it('the public list names the enabled providers with their status', async () => {
      const response = await fetch(`${acme.issuer}/providers`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual([{ alias: 'corp', displayName: 'Corp SSO', status: 'healthy' }]);
    });
  });

  let bobId: string;
  let bobToken: string;

  it('login page: one provider button inside the login form', async () => {
    const flow = await pressProvider(acme, 'corp');
    const form = /<form[^>]*>([\s\S]*?)<\/form>/.exec(flow.loginHtml)![1];
    expect(form).toMatch(
      /<button type="submit"[^>]* name="provider" value="corp"[^>]*>Continue with Corp SSO<\/button>/,
    );
    // Pressing it leads to the upstream's own login page.
    expect(flow.page.url.startsWith(`${upstream.issuer}/interaction/`)).toBe(true);
  });

  it('first sign-in creates the user (JIT): amr has fed, the upstream profile fills the account', async () => {
    const flow = await pressProvider(acme, 'corp');
    await upstreamLogin(flow, 'bob', PASSWORD);
    const tokens = await tokensOf(flow);
    const claims = tokens.claims()!;
    expect(claims.amr).toEqual(['fed']);
    bobId = claims.sub;
    bobToken = tokens.access_token;
    const user = await server.adminApi('GET', `/admin/tenants/acme/users/${bobId}`);
    expect(user.body).toMatchObject({ username: 'bob', email: 'bob@corp.example' });
    expect((await auditEvents('federation.user_created')).map((e) => e.data.provider)).toEqual(['corp']);
    const identities = await accountApi(acme.issuer, '/identities', bobToken);
    expect(identities.status).toBe(200);
    expect(identities.body.items).toEqual([
      expect.objectContaining({ alias: 'corp', displayName: 'Corp SSO', email: 'bob@corp.example' }),
    ]);
  });

  it('the second sign-in reuses the link: same user, no new account', async () => {
    const before = (await server.adminApi('GET', '/admin/tenants/acme/users?limit=100')).body.items.length;
    const flow = await pressProvider(acme, 'corp');
    await upstreamLogin(flow, 'bob', PASSWORD);
    expect((await tokensOf(flow)).claims()!.sub).toBe(bobId);
    expect((await server.adminApi('GET', '/admin/tenants/acme/users?limit=100')).body.items.length).toBe(before);
  });

  it('links an existing user by an email both sides verified', async () => {
    const flow = await pressProvider(acme, 'corp');
    await upstreamLogin(flow, 'alice-corp', PASSWORD);
    const tokens = await tokensOf(flow);
    expect(tokens.claims()!.sub).toBe(acme.user.id);
    expect((await auditEvents('federation.linked')).length).toBe(1);
    // Alice still has her password: unlinking is allowed, and then the list is empty.
    expect((await accountApi(acme.issuer, '/identities/corp', tokens.access_token, 'DELETE')).status).toBe(204);
    expect((await accountApi(acme.issuer, '/identities', tokens.access_token)).body.items).toEqual([]);
    expect((await accountApi(acme.issuer, '/identities/corp', tokens.access_token, 'DELETE')).status).toBe(404);
  });

  it('refuses to link by an unverified upstream email (account takeover) and creates no one', async () => {
    const flow = await pressProvider(acme, 'corp');
    const page = await upstreamLogin(flow, 'carol-corp', PASSWORD);
    expect(page.stoppedAt).toBeUndefined();
    expect(page.status).toBe(401);
    expect(page.html).toContain(GENERIC);
    expect(page.html).toContain('name="password"');
    const failures = await auditEvents('federation.failure');
    expect(failures.map((e) => e.data.reason)).toContain('unverified_email');
    const search = await server.adminApi('GET', '/admin/tenants/acme/users?search=carol');
    expect(search.body.items.map((u: { username: string }) => u.username)).toEqual(['carol']);
  });

  it('unlinking the only way to sign in is refused (409)', async () => {
    const refused = await accountApi(acme.issuer, '/identities/corp', bobToken, 'DELETE');
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({ error: 'conflict', message: expect.any(String) });
    expect((await accountApi(acme.issuer, '/identities', bobToken)).body.items).toHaveLength(1);
  });

  it('a second factor still applies: after the upstream, the TOTP code; amr is fed + otp', async () => {
    const enrolment = await fetch(`${acme.issuer}/account/mfa/totp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bobToken}` },
    });
    expect(enrolment.status).toBe(201);
    const secret = ((await enrolment.json()) as { secret: string }).secret;
    const totp = (offset = 0) =>
      new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: Date.now() + offset * 1000 });
    const verified = await fetch(`${acme.issuer}/account/mfa/totp/verify`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bobToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ code: totp() }),
    });
    expect(verified.status).toBe(200);
    const flow = await pressProvider(acme, 'corp');
    const page = await upstreamLogin(flow, 'bob', PASSWORD);
    expect(page.stoppedAt).toBeUndefined();
    expect(page.html).toContain('name="code"');
    const form = parseForm(page.html, page.url);
    flow.page = await flow.agent.navigate(form.action, { form: { ...form.fields, code: totp(30) } });
    const claims = (await tokensOf(flow)).claims()!;
    expect(claims).toMatchObject({ sub: bobId, amr: ['fed', 'otp'], acr: 'urn:idp:acr:mfa' });
  });

  it('jit off: an upstream account with no link and no matching user is refused, and no user is made', async () => {
    await createUpstreamUser('erin', 'erin@corp.example', true);
    await server.adminApi('PATCH', '/admin/tenants/acme/identity-providers/corp', { jit: false });
    try {
      const flow = await pressProvider(acme, 'corp');
      const page = await upstreamLogin(flow, 'erin', PASSWORD);
      expect(page.html).toContain(GENERIC);
      expect((await auditEvents('federation.failure'))[0].data.reason).toBe('not_linked');
      expect((await server.adminApi('GET', '/admin/tenants/acme/users?search=erin')).body.items).toEqual([]);
    } finally {
      await server.adminApi('PATCH', '/admin/tenants/acme/identity-providers/corp', { jit: true });
    }
  });

  it('linkBy none: even a verified email does not link (nor create a second account with it)', async () => {
    await server.adminApi('PATCH', '/admin/tenants/acme/identity-providers/corp', { linkBy: 'none' });
    try {
      // alice-corp was unlinked above; her verified address matches Alice's.
      const flow = await pressProvider(acme, 'corp');
      const page = await upstreamLogin(flow, 'alice-corp', PASSWORD);
      expect(page.stoppedAt).toBeUndefined();
      expect((await auditEvents('federation.failure'))[0].data.reason).toBe('email_in_use');
    } finally {
      await server.adminApi('PATCH', '/admin/tenants/acme/identity-providers/corp', { linkBy: 'verified-email' });
    }
  });

  /** Runs the round trip up to the broker callback and returns its URL, not yet visited. */
  async function callbackUrl(agent = new BrowserlessAgent([REDIRECT_URI, `${acme.issuer}/broker/`])) {
    const flow = await pressProvider(acme, 'corp', [], agent);
    // Dave has no second factor: the answer goes straight back to the client.
    await upstreamLogin(flow, 'dave', PASSWORD);
    expect(flow.page.stoppedAt?.startsWith(callbackPrefix())).toBe(true);
    return { flow, url: new URL(flow.page.stoppedAt!) };
  }

  it('a tampered state is refused with the generic message, and audited', async () => {
    const { flow, url } = await callbackUrl();
    const state = url.searchParams.get('state')!;
    url.searchParams.set('state', `${state.split('.')[0]}.${'A'.repeat(43)}`);
    const page = await flow.agent.navigate(url.href);
    expect(page.stoppedAt).toBeUndefined();
    expect(page.html).toContain(GENERIC);
    const reasons = (await auditEvents('federation.failure')).map((e) => e.data.reason);
    expect(reasons).toContain('state');
    // A state naming no sign-in at all is refused at the callback itself.
    const garbage = await fetch(`${callbackPrefix()}?code=x&state=nonsense`);
    expect(garbage.status).toBe(400);
  });

  it('a state is single-use: once presented (even with a wrong code) the real answer is refused', async () => {
    const { flow, url } = await callbackUrl();
    const forged = new URL(url);
    forged.searchParams.set('code', 'not-the-code');
    expect((await flow.agent.navigate(forged.href)).html).toContain(GENERIC);
    const real = await flow.agent.navigate(url.href);
    expect(real.stoppedAt).toBeUndefined();
    expect(real.html).toContain(GENERIC);
    const reasons = (await auditEvents('federation.failure')).map((e) => e.data.reason);
    expect(reasons.slice(0, 2)).toEqual(['state', 'upstream']);
  });

  it('a callback replayed after the sign-in finished signs in nobody', async () => {
    const { flow, url } = await callbackUrl();
    const done = await flow.agent.navigate(url.href);
    expect(done.stoppedAt?.startsWith(REDIRECT_URI)).toBe(true);
    const replay = await flow.agent.navigate(url.href);
    expect(replay.stoppedAt).toBeUndefined();
    expect(replay.status).toBe(400);
  });

  it('a state of another browser’s sign-in is refused (bound to the interaction)', async () => {
    const victim = await callbackUrl();
    const attacker = await pressProvider(acme, 'corp', [`${acme.issuer}/broker/`]);
    const page = await attacker.agent.navigate(victim.url.href);
    expect(page.stoppedAt).toBeUndefined();
    expect(page.status).toBeGreaterThanOrEqual(400);
  });

  it('upstream denial (error=access_denied) renders the login page with the generic message, audited as denied', async () => {
    const agent = new BrowserlessAgent([REDIRECT_URI, `${upstream.issuer}/auth`]);
    const flow = await pressProvider(acme, 'corp', [], agent);
    const authorize = new URL(flow.page.stoppedAt!);
    const denied = new URL(callbackPrefix());
    denied.searchParams.set('error', 'access_denied');
    denied.searchParams.set('state', authorize.searchParams.get('state')!);
    denied.searchParams.set('iss', upstream.issuer);
    const page = await agent.navigate(denied.href);
    expect(page.html).toContain(GENERIC);
    expect(page.html).toContain('name="provider"');
    expect((await auditEvents('federation.failure')).map((e) => e.data.reason)).toContain('denied');
  });

  it('a disabled provider is not offered and its button is refused', async () => {
    await server.adminApi('PATCH', '/admin/tenants/acme/identity-providers/corp', { enabled: false });
    try {
      const flow = await pressProvider(acme, 'corp');
      expect(flow.loginHtml).not.toContain('name="provider"');
      expect(flow.page.html).toContain(GENERIC);
      expect(await (await fetch(`${acme.issuer}/providers`)).json()).toEqual([]);
    } finally {
      await server.adminApi('PATCH', '/admin/tenants/acme/identity-providers/corp', { enabled: true });
    }
  });
});
