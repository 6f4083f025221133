import { BrowserlessAgent, startTestServer, type TestServer } from '@app/testing';
import {
  clientCredentials,
  discover,
  introspect,
  oidc,
  PASSWORD,
  provisionTenant,
  REDIRECT_URI,
  signIn,
  startAuthorization,
  type TenantFixture,
  tokenRequest,
} from './oidc-flows.js';

/** Each unsafe default of oidc-provider we override, and each attack on the code flow, must fail. */
describe('protocol attacks fail', () => {
  let server: TestServer;
  let acme: TenantFixture;
  let globex: TenantFixture;
  const credentials = () => ({ username: acme.user.username, password: PASSWORD });

  beforeAll(async () => {
    server = await startTestServer();
    acme = await provisionTenant(server, 'acme');
    globex = await provisionTenant(server, 'globex');
  });
  afterAll(() => server?.close());

  /** A hand-built authorization request, for the parameters a compliant RP would never send. */
  function authorizationUrl(issuer: string, params: Record<string, string>): URL {
    const url = new URL(`${issuer}/auth`);
    url.search = new URLSearchParams({
      response_type: 'code',
      scope: 'openid',
      redirect_uri: REDIRECT_URI,
      ...params,
    }).toString();
    return url;
  }

  async function authorizationError(url: URL): Promise<{ status: number; html: string; callback?: URL }> {
    const page = await new BrowserlessAgent([REDIRECT_URI]).navigate(url.href);
    return { status: page.status, html: page.html, callback: page.stoppedAt ? new URL(page.stoppedAt) : undefined };
  }

  /** A code issued to the web client, plus what is needed to redeem it. */
  async function codeFor(client: 'web' | 'spa' = 'web') {
    const config =
      client === 'web'
        ? await discover(acme.issuer, acme.web.clientId, acme.web.clientSecret)
        : await discover(acme.issuer, acme.spa.clientId);
    const start = await startAuthorization(config, { scope: 'openid' });
    const { callback } = await signIn(new BrowserlessAgent([REDIRECT_URI]), start.url, credentials());
    return { config, start, code: callback.searchParams.get('code')! };
  }

  const web = () => ({ id: acme.web.clientId, secret: acme.web.clientSecret });

  it('rfc7636 requires PKCE from confidential clients too', async () => {
    const result = await authorizationError(
      authorizationUrl(acme.issuer, { client_id: acme.web.clientId, state: 's' }),
    );
    expect(result.callback?.searchParams.get('error')).toBe('invalid_request');
    expect(result.callback?.searchParams.get('error_description')).toMatch(/PKCE/);
  });

  it('rfc7636 rejects the plain method', async () => {
    const url = authorizationUrl(acme.issuer, {
      client_id: acme.spa.clientId,
      code_challenge: 'a'.repeat(43),
      code_challenge_method: 'plain',
    });
    const result = await authorizationError(url);
    expect(result.callback?.searchParams.get('error')).toBe('invalid_request');
  });

  it('rfc7636 rejects a wrong code_verifier', async () => {
    const { code } = await codeFor();
    const response = await tokenRequest(
      acme.issuer,
      {
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT_URI,
        code_verifier: oidc.randomPKCECodeVerifier(),
      },
      web(),
    );
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('invalid_grant');
  });

  it('rfc6749 4.1.2 a code works once; its reuse revokes what it issued', async () => {
    const { code, start } = await codeFor();
    const body = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: start.verifier };
    const first = await tokenRequest(acme.issuer, body, web());
    expect(first.status).toBe(200);
    const second = await tokenRequest(acme.issuer, body, web());
    expect(second.status).toBe(400);
    expect(second.body.error).toBe('invalid_grant');
    expect((await introspect(acme.issuer, first.body.access_token, acme.web)).body.active).toBe(false);
  });

  it('rfc6749 4.1.3 the token request must repeat the redirect_uri, even with one registered', async () => {
    const { code, start } = await codeFor();
    const response = await tokenRequest(
      acme.issuer,
      { grant_type: 'authorization_code', code, code_verifier: start.verifier },
      web(),
    );
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('invalid_request');
  });

  it('rfc6749 3.1.2 an unregistered redirect_uri is refused without redirecting to it', async () => {
    const config = await discover(acme.issuer, acme.web.clientId, acme.web.clientSecret);
    const start = await startAuthorization(config, { redirect_uri: 'https://evil.example/cb' });
    const page = await new BrowserlessAgent(['https://evil.example']).navigate(start.url.href);
    expect(page.stoppedAt).toBeUndefined();
    expect(page.status).toBe(400);
    expect(page.html).toMatch(/redirect_uri/);
  });

  it('rfc6749 4.1.3 a code issued to one client cannot be redeemed by another', async () => {
    const { code, start } = await codeFor();
    const other = await provisionOtherWebClient();
    const response = await tokenRequest(
      acme.issuer,
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: start.verifier },
      other,
    );
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('invalid_grant');
  });

  it('a client of one tenant is unknown to another tenant', async () => {
    const url = authorizationUrl(globex.issuer, {
      client_id: acme.spa.clientId,
      code_challenge: 'a'.repeat(43),
      code_challenge_method: 'S256',
    });
    const result = await authorizationError(url);
    expect(result.callback).toBeUndefined();
    expect(result.status).toBe(400);
    expect(result.html).toMatch(/client/i);
  });

  it('a code of one tenant is not redeemable at another tenant', async () => {
    const { code, start } = await codeFor();
    const response = await tokenRequest(
      globex.issuer,
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: start.verifier },
      { id: globex.web.clientId, secret: globex.web.clientSecret },
    );
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('invalid_grant');
  });

  it('rfc6749 5.2 client credentials asking for a scope the resource does not define is invalid_scope', async () => {
    const service = acme.service;
    const refused: Record<string, string>[] = [
      { scope: 'delete' }, // the API defines read and write only
      { scope: 'read delete', resource: acme.apiIdentifier },
      { scope: 'admin' }, // the admin API's scope: a resource this client is not allowed
      { scope: 'openid' }, // about a user; client credentials have none
    ];
    for (const params of refused) {
      const answer = await clientCredentials(acme.issuer, service, params);
      expect({ params, status: answer.status, error: answer.body.error }).toEqual({
        params,
        status: 400,
        error: 'invalid_scope',
      });
      expect(answer.body.access_token).toBeUndefined();
    }
    // Without any resource no API scope exists for the client to ask for.
    const opaque = await clientCredentials(acme.issuer, acme.opaqueService, { scope: 'read' });
    expect([opaque.status, opaque.body.error]).toEqual([400, 'invalid_scope']);
    // What the resource defines, and `roles`, are granted as before.
    const granted = await clientCredentials(acme.issuer, service, { scope: 'read write roles' });
    expect([granted.status, granted.body.scope]).toEqual([200, 'read write']);
    expect((await clientCredentials(acme.issuer, acme.opaqueService)).status).toBe(200);
  });

  it('rfc6749 4.1.2.1 the authorization endpoint answers invalid_scope (to the redirect URI) for an undefined scope', async () => {
    const challenge = { code_challenge: 'a'.repeat(43), code_challenge_method: 'S256', state: 'st-1' };
    // The web client has no API resource: `read` is no scope of anything it may ask for.
    const undefinedScope = await authorizationError(
      authorizationUrl(acme.issuer, { client_id: acme.web.clientId, scope: 'openid read', ...challenge }),
    );
    expect(undefinedScope.callback?.searchParams.get('error')).toBe('invalid_scope');
    expect(undefinedScope.callback?.searchParams.get('state')).toBe('st-1');
    expect(undefinedScope.callback?.searchParams.get('iss')).toBe(acme.issuer);

    const client = await server.adminApi('POST', '/admin/tenants/acme/clients', {
      name: 'Orders app',
      applicationType: 'spa',
      redirectUris: [REDIRECT_URI],
      resources: [acme.apiIdentifier],
      scopes: ['openid'],
    });
    const ask = (scope: string) =>
      authorizationError(authorizationUrl(acme.issuer, { client_id: client.body.clientId, scope, ...challenge }));
    // A scope its resource does not define, and an OpenID scope the client may not ask for.
    for (const scope of ['openid delete', 'openid email']) {
      expect({ scope, error: (await ask(scope)).callback?.searchParams.get('error') }).toEqual({
        scope,
        error: 'invalid_scope',
      });
    }
    // Its resource's scopes are fine: the sign-in page is shown.
    const fine = await ask('openid read');
    expect(fine.callback).toBeUndefined();
    expect(fine.html).toMatch(/name="password"/);
  });

  it('the stored secret hash does not authenticate as the secret', async () => {
    const { createHash } = await import('node:crypto');
    const hash = createHash('sha256').update(acme.service.clientSecret).digest('base64url');
    const response = await tokenRequest(
      acme.issuer,
      { grant_type: 'client_credentials' },
      { id: acme.service.clientId, secret: hash },
    );
    expect(response.status).toBe(401);
  });

  it('lifetimes are short by default (access token 15 minutes)', async () => {
    const { code, start } = await codeFor('spa');
    const response = await tokenRequest(acme.issuer, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: start.verifier,
      client_id: acme.spa.clientId,
    });
    expect(response.status).toBe(200);
    expect(response.body.expires_in).toBeLessThanOrEqual(900);
  });

  it('interaction pages carry a strict CSP, no framing and nosniff', async () => {
    const config = await discover(acme.issuer, acme.spa.clientId);
    const start = await startAuthorization(config);
    const agent = new BrowserlessAgent([REDIRECT_URI]);
    const first = await agent.request(start.url.href);
    const login = await agent.request(new URL(first.headers.get('location')!, start.url).href);
    const csp = login.headers.get('content-security-policy') ?? '';
    expect(login.status).toBe(200);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("script-src 'self'");
    expect(login.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await login.text();
    expect(html).not.toMatch(/<script>|style=/i);
    // The only scripts are our own files (the passkey button), never inline code.
    for (const script of html.match(/<script[^>]*>[^<]*<\/script>/gi) ?? [])
      expect(script).toMatch(/^<script src="\/assets\/[a-z]+\.js" defer><\/script>$/);
  });

  it('a login form posted without its CSRF token is refused', async () => {
    const config = await discover(acme.issuer, acme.spa.clientId);
    const start = await startAuthorization(config);
    const agent = new BrowserlessAgent([REDIRECT_URI]);
    const page = await agent.navigate(start.url.href);
    const action = /<form[^>]*action="([^"]*)"/.exec(page.html)![1];
    const forged = await agent.navigate(new URL(action, page.url).href, {
      form: { csrf: 'forged', username: acme.user.username, password: PASSWORD },
    });
    expect(forged.status).toBe(403);
    expect(forged.stoppedAt).toBeUndefined();
  });

  async function provisionOtherWebClient() {
    const response = await server.adminApi('POST', '/admin/tenants/acme/clients', {
      name: 'Another web app',
      applicationType: 'web',
      redirectUris: [REDIRECT_URI],
    });
    return { id: response.body.clientId as string, secret: response.body.clientSecret as string };
  }
});
