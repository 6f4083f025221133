// Over 300 lines on purpose: the one suite of core OIDC flows that core.e2e and core-embedded.e2e
// run on both storage modes; split, the two modes would each need every part listed twice.
import { BrowserlessAgent, startTestServer, type TestServer } from '@app/testing';
import {
  clientCredentials,
  decodeJwt,
  decodeProtectedHeader,
  discover,
  introspect,
  oidc,
  PASSWORD,
  POST_LOGOUT_URI,
  provisionTenant,
  REDIRECT_URI,
  revoke,
  signIn,
  startAuthorization,
  type TenantFixture,
  tokenRequest,
  verifyAccessTokenJwt,
} from './oidc-flows.js';
import { eventually, WebhookReceiver } from './webhook-receiver.js';
import { verifySignature } from '@app/webhooks';

/**
 * The protocol behaviour a relying party relies on, run against a whole server. Used twice:
 * on the machine's Postgres + Redis, and embedded (PGlite + in-process store).
 */
export function coreSuite(mode: 'postgres+redis' | 'embedded'): void {
  let server: TestServer;
  let acme: TenantFixture;
  let globex: TenantFixture;

  beforeAll(async () => {
    server = await startTestServer({ embedded: mode === 'embedded' });
    acme = await provisionTenant(server, 'acme');
    globex = await provisionTenant(server, 'globex');
  });

  afterAll(async () => {
    await server?.close();
  });

  const credentialsOf = (tenant: TenantFixture) => ({ username: tenant.user.username, password: PASSWORD });

  describe(`discovery (${mode})`, () => {
    it('each tenant is its own issuer with its own keys', async () => {
      const [a, g] = await Promise.all(
        [acme, globex].map(
          async (t) => (await fetch(`${t.issuer}/.well-known/openid-configuration`)).json() as Promise<any>,
        ),
      );
      expect(a.issuer).toBe(acme.issuer);
      expect(g.issuer).toBe(globex.issuer);
      expect(a.code_challenge_methods_supported).toEqual(['S256']);
      expect(a.response_types_supported).toEqual(['code']);
      expect(a.scopes_supported).toEqual(expect.arrayContaining(['openid', 'offline_access', 'profile', 'email']));
      expect(a.authorization_response_iss_parameter_supported).toBe(true);
      const [ka, kg] = await Promise.all([a, g].map(async (d) => (await fetch(d.jwks_uri)).json() as Promise<any>));
      expect(ka.keys.length).toBeGreaterThan(0);
      expect(ka.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
      expect(ka.keys[0].d).toBeUndefined();
      expect(ka.keys.map((k: { kid: string }) => k.kid)).not.toEqual(kg.keys.map((k: { kid: string }) => k.kid));
    });

    it('an unknown tenant is a 404 with a JSON error', async () => {
      const response = await fetch(`${server.publicUrl}/t/nobody-here/.well-known/openid-configuration`);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: 'not_found', message: 'tenant not found' });
    });
  });

  describe(`authorization code + PKCE (${mode})`, () => {
    it('a third-party web client signs a user in after consent, with a valid ID token, userinfo and a refresh token', async () => {
      const config = await discover(acme.issuer, acme.web.clientId, acme.web.clientSecret);
      const start = await startAuthorization(config);
      const agent = new BrowserlessAgent([REDIRECT_URI]);
      const { callback, sawConsent } = await signIn(agent, start.url, credentialsOf(acme));
      expect(sawConsent).toBe(true);
      expect(callback.searchParams.get('iss')).toBe(acme.issuer);

      const tokens = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: start.verifier,
        expectedState: start.state,
        expectedNonce: start.nonce,
      });
      const claims = tokens.claims()!;
      expect(claims.sub).toBe(acme.user.id);
      expect(claims.iss).toBe(acme.issuer);
      expect(claims.aud).toBe(acme.web.clientId);
      expect(decodeProtectedHeader(tokens.id_token!).alg).toBe('RS256');
      expect(tokens.refresh_token).toEqual(expect.any(String));

      const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
      expect(userinfo).toMatchObject({
        sub: acme.user.id,
        preferred_username: acme.user.username,
        email: `alice@acme.example`,
        email_verified: true,
      });
    });

    it('a first-party public SPA skips consent and gets tokens with PKCE and no secret', async () => {
      const config = await discover(acme.issuer, acme.spa.clientId);
      const start = await startAuthorization(config, { scope: 'openid profile' });
      const { callback, sawConsent } = await signIn(
        new BrowserlessAgent([REDIRECT_URI]),
        start.url,
        credentialsOf(acme),
      );
      expect(sawConsent).toBe(false);
      const tokens = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: start.verifier,
        expectedState: start.state,
        expectedNonce: start.nonce,
      });
      expect(tokens.claims()!.sub).toBe(acme.user.id);
    });

    it('consent denied returns access_denied to the client', async () => {
      const config = await discover(acme.issuer, acme.web.clientId, acme.web.clientSecret);
      const start = await startAuthorization(config);
      const { callback } = await signIn(new BrowserlessAgent([REDIRECT_URI]), start.url, credentialsOf(acme), 'deny');
      expect(callback.searchParams.get('error')).toBe('access_denied');
      expect(callback.searchParams.get('state')).toBe(start.state);
    });

    it('a wrong password re-renders the login form with a generic message', async () => {
      const config = await discover(acme.issuer, acme.spa.clientId);
      const start = await startAuthorization(config);
      const agent = new BrowserlessAgent([REDIRECT_URI]);
      const page = await agent.navigate(start.url.href);
      const action = /<form[^>]*action="([^"]*)"/.exec(page.html)![1];
      const csrf = /name="csrf" value="([^"]*)"/.exec(page.html)![1];
      const wrong = await agent.navigate(new URL(action, page.url).href, {
        form: { csrf, username: acme.user.username, password: 'not-the-password' },
      });
      const unknown = await agent.navigate(new URL(action, page.url).href, {
        form: { csrf, username: 'nobody', password: 'not-the-password' },
      });
      expect(wrong.html).toContain('Invalid username or password');
      expect(unknown.html).toContain('Invalid username or password');
      expect(wrong.html).toContain('name="password"');
    });
  });

  describe(`refresh tokens (${mode})`, () => {
    async function signedInTokens() {
      const config = await discover(acme.issuer, acme.web.clientId, acme.web.clientSecret);
      const start = await startAuthorization(config);
      const { callback } = await signIn(new BrowserlessAgent([REDIRECT_URI]), start.url, credentialsOf(acme));
      const tokens = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: start.verifier,
        expectedState: start.state,
        expectedNonce: start.nonce,
      });
      return { config, tokens };
    }

    it('rotate on every use, and reuse of a rotated token revokes the whole grant', async () => {
      const { config, tokens } = await signedInTokens();
      const first = tokens.refresh_token!;
      const second = await oidc.refreshTokenGrant(config, first);
      expect(second.refresh_token).toEqual(expect.any(String));
      expect(second.refresh_token).not.toBe(first);

      const replay = await tokenRequest(
        acme.issuer,
        { grant_type: 'refresh_token', refresh_token: first },
        { id: acme.web.clientId, secret: acme.web.clientSecret },
      );
      expect(replay.status).toBe(400);
      expect(replay.body.error).toBe('invalid_grant');

      // The legitimate holder's newer token died with the grant.
      const afterReuse = await tokenRequest(
        acme.issuer,
        { grant_type: 'refresh_token', refresh_token: second.refresh_token! },
        { id: acme.web.clientId, secret: acme.web.clientSecret },
      );
      expect(afterReuse.body.error).toBe('invalid_grant');
      expect((await introspect(acme.issuer, second.access_token, acme.web)).body.active).toBe(false);
    });
  });

  describe(`client credentials (${mode})`, () => {
    it('issues an RS256 JWT (RFC 9068) for the client default resource, verifiable with JWKS', async () => {
      const { status, body } = await clientCredentials(acme.issuer, acme.service, { scope: 'read' });
      expect(status).toBe(200);
      expect(body.token_type).toBe('Bearer');
      const { payload, protectedHeader } = await verifyAccessTokenJwt(
        acme.issuer,
        body.access_token,
        acme.apiIdentifier,
      );
      expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
      expect(payload).toMatchObject({ client_id: acme.service.clientId, sub: acme.service.clientId, scope: 'read' });
    });

    it('issues an opaque token without a resource', async () => {
      const { status, body } = await clientCredentials(acme.issuer, acme.opaqueService);
      expect(status).toBe(200);
      expect(body.access_token.split('.')).toHaveLength(1);
    });

    it('refuses a wrong secret, another tenant’s client and a resource the client was not given', async () => {
      const wrong = await clientCredentials(acme.issuer, { ...acme.service, clientSecret: 'wrong' });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error).toBe('invalid_client');
      const foreign = await clientCredentials(acme.issuer, globex.service);
      expect(foreign.status).toBe(401);
      expect(foreign.body.error).toBe('invalid_client');
      const target = await clientCredentials(acme.issuer, acme.service, { resource: globex.apiIdentifier });
      expect(target.status).toBe(400);
      expect(target.body.error).toBe('invalid_target');
    });
  });

  describe(`introspection and revocation (${mode})`, () => {
    it('answer only the client the token was issued to, for opaque and JWT tokens', async () => {
      const opaque = (await clientCredentials(acme.issuer, acme.opaqueService)).body.access_token;
      const jwt = (await clientCredentials(acme.issuer, acme.service)).body.access_token;

      expect((await introspect(acme.issuer, opaque, acme.opaqueService)).body).toMatchObject({
        active: true,
        client_id: acme.opaqueService.clientId,
      });
      expect((await introspect(acme.issuer, jwt, acme.service)).body).toMatchObject({
        active: true,
        client_id: acme.service.clientId,
        aud: acme.apiIdentifier,
      });
      expect((await introspect(acme.issuer, opaque, acme.service)).body).toEqual({ active: false });
      expect((await introspect(acme.issuer, jwt, acme.opaqueService)).body).toEqual({ active: false });
    });

    it('need client authentication', async () => {
      const opaque = (await clientCredentials(acme.issuer, acme.opaqueService)).body.access_token;
      const introspection = await introspect(acme.issuer, opaque);
      expect(introspection.status).toBe(401);
      const revocation = await revoke(acme.issuer, opaque);
      expect(revocation.status).toBe(401);
      expect((await introspect(acme.issuer, opaque, acme.opaqueService)).body.active).toBe(true);
    });

    it('revoke an opaque token; another client cannot revoke it', async () => {
      const opaque = (await clientCredentials(acme.issuer, acme.opaqueService)).body.access_token;
      expect((await revoke(acme.issuer, opaque, acme.service)).status).toBe(200);
      expect((await introspect(acme.issuer, opaque, acme.opaqueService)).body.active).toBe(true);
      expect((await revoke(acme.issuer, opaque, acme.opaqueService)).status).toBe(200);
      expect((await introspect(acme.issuer, opaque, acme.opaqueService)).body.active).toBe(false);
    });

    it('revoke a JWT access token by putting its jti on the deny-list', async () => {
      const jwt = (await clientCredentials(acme.issuer, acme.service)).body.access_token;
      expect((await revoke(acme.issuer, jwt, acme.opaqueService)).status).toBe(200);
      expect((await introspect(acme.issuer, jwt, acme.service)).body.active).toBe(true);
      expect((await revoke(acme.issuer, jwt, acme.service)).status).toBe(200);
      expect((await introspect(acme.issuer, jwt, acme.service)).body).toEqual({ active: false });
      expect(decodeJwt(jwt).jti).toEqual(expect.any(String));
    });
  });

  describe(`logout (${mode})`, () => {
    it('RP-initiated logout confirms on a page and returns to the registered post-logout URI', async () => {
      const config = await discover(acme.issuer, acme.web.clientId, acme.web.clientSecret);
      const start = await startAuthorization(config);
      const agent = new BrowserlessAgent([REDIRECT_URI, POST_LOGOUT_URI]);
      const { callback } = await signIn(agent, start.url, credentialsOf(acme));
      const tokens = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: start.verifier,
        expectedState: start.state,
        expectedNonce: start.nonce,
      });
      const logoutUrl = oidc.buildEndSessionUrl(config, {
        id_token_hint: tokens.id_token!,
        post_logout_redirect_uri: POST_LOGOUT_URI,
        state: 'bye',
      });
      const page = await agent.navigate(logoutUrl.href);
      expect(page.html).toContain('op.logoutForm');
      const xsrf = /name="xsrf" value="([^"]*)"/.exec(page.html)![1];
      const action = /<form[^>]*action="([^"]*)"/.exec(page.html)![1];
      const done = await agent.navigate(new URL(action, page.url).href, { form: { xsrf, logout: 'yes' } });
      expect(done.stoppedAt).toBe(`${POST_LOGOUT_URI}?state=bye`);

      // The session is gone: a new authorization asks for the password again.
      const again = await startAuthorization(config);
      const next = await agent.navigate(again.url.href);
      expect(next.html).toContain('name="password"');
    });
  });

  describe(`webhooks (${mode})`, () => {
    it('an admin change reaches a local receiver, signed with the endpoint secret', async () => {
      const hook = await new WebhookReceiver().start();
      try {
        const created = await server.adminApi('POST', '/admin/tenants/globex/webhooks', {
          url: hook.url,
          eventTypes: ['admin.users.*'],
        });
        await server.adminApi('POST', '/admin/tenants/globex/users', {
          username: 'hooked',
          password: 'a-long-passphrase-5',
        });
        const [delivery] = await eventually(
          () => hook.of('admin.users.post').length > 0 && hook.of('admin.users.post'),
        );
        const signature = delivery.headers['x-webhook-signature'] as string;
        expect(verifySignature(signature, delivery.body, created.body.secret)).toBe(true);
      } finally {
        await hook.close();
      }
    });
  });
}
