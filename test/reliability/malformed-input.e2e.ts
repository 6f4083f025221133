import { BrowserlessAgent, parseForm, startTestServer, type TestServer } from '@app/testing';
import {
  clientCredentials,
  discover,
  PASSWORD,
  provisionTenant,
  signInForTokens,
  startAuthorization,
  type TenantFixture,
} from '../e2e/oidc-flows.js';

/** `[[[…]]]` nested `depth` times: under the body limit, far deeper than any real document. */
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const nestedObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

/**
 * Hostile input is the client's mistake, never the server's: Postgres refuses NUL in text
 * and deep JSON overflows recursive code, so each must be a 4xx before it gets there.
 * Found by hand on main (each answered 500); every case is a named regression test.
 */
describe('malformed input is a 4xx, never a 500', () => {
  let server: TestServer;
  let acme: TenantFixture;
  let userToken: string;

  beforeAll(async () => {
    server = await startTestServer();
    acme = await provisionTenant(server, 'acme');
    userToken = (await signInForTokens(acme, { client: 'spa' })).tokens.access_token;
  });
  afterAll(() => server?.close());

  const form = (fields: Record<string, string>) =>
    Object.entries(fields)
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

  async function post(path: string, body: string, headers: Record<string, string>) {
    const response = await fetch(`${server.url}${path}`, { method: 'POST', headers, body });
    return { status: response.status, text: await response.text(), headers: response.headers };
  }

  it('a NUL byte in the token endpoint form is 400 invalid_request', async () => {
    for (const body of [
      form({ grant_type: 'client_credentials', client_id: 'svc%00', client_secret: 'x' }),
      form({ grant_type: 'client_credentials%00' }),
      form({ grant_type: 'client_credentials', scope: 'read%00' }),
    ]) {
      const answer = await post('/t/acme/token', body, {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basic(acme.service.clientId, acme.service.clientSecret),
      });
      expect([answer.status, JSON.parse(answer.text).error]).toEqual([400, 'invalid_request']);
    }
    // Unauthenticated, the NUL in the client id itself.
    const anonymous = await post('/t/acme/token', form({ grant_type: 'client_credentials', client_id: 'a%00b' }), {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect([anonymous.status, JSON.parse(anonymous.text).error]).toEqual([400, 'invalid_request']);
    // In HTTP Basic credentials (form-encoded, then base64), as the client id and as the secret.
    for (const credentials of [basic('svc%00', 'x'), basic('svc\u0000', 'x'), basic(acme.service.clientId, 'x%00')]) {
      const answer = await post('/t/acme/token', form({ grant_type: 'client_credentials' }), {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: credentials,
      });
      expect([answer.status, JSON.parse(answer.text).error]).toEqual([400, 'invalid_request']);
    }
    // The raw byte rather than its encoding.
    const raw = await post('/t/acme/token', 'grant_type=client_credentials&client_id=a\u0000b', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(raw.status).toBe(400);
    // The server still works for the next, well-formed request.
    expect((await clientCredentials(acme.issuer, acme.service, { resource: acme.apiIdentifier })).status).toBe(200);
  });

  it('a NUL byte in client_id at the authorization endpoint is a 400 page, not a 500', async () => {
    const response = await fetch(`${acme.issuer}/auth?response_type=code&scope=openid&client_id=web%00`, {
      headers: { accept: 'text/html' },
      redirect: 'manual',
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/<html/i);
    const json = await fetch(`${acme.issuer}/auth?client_id=%00`, { headers: { accept: 'application/json' } });
    expect([json.status, ((await json.json()) as { error: string }).error]).toEqual([400, 'invalid_request']);
    // Introspection and userinfo take the same guard.
    const introspection = await post('/t/acme/token/introspection', 'token=abc%00', {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: basic(acme.service.clientId, acme.service.clientSecret),
    });
    expect(introspection.status).toBe(400);
  });

  it('a NUL byte in the login form username re-renders nothing: 400', async () => {
    const config = await discover(acme.issuer, acme.spa.clientId);
    const start = await startAuthorization(config);
    const agent = new BrowserlessAgent(['http://127.0.0.1:9/callback']);
    const page = await agent.navigate(start.url.href);
    const login = parseForm(page.html, page.url);
    const answer = await agent.navigate(login.action, {
      form: { ...login.fields, username: `${acme.user.username}\u0000`, password: PASSWORD },
    });
    expect(answer.status).toBe(400);
  });

  it('a NUL byte in the admin API search query and path is 400 {error, message}', async () => {
    const token = await server.adminToken();
    for (const path of [
      '/admin/tenants/acme/users?search=%00',
      '/admin/tenants/acme/users?search=alice%00',
      '/admin/tenants/acme/users/abc%00',
      '/admin/tenants/acme%00',
    ]) {
      const answer = await server.adminApi('GET', path, undefined, token);
      expect([path, answer.status, answer.body.error]).toEqual([path, 400, 'invalid_request']);
      expect(typeof answer.body.message).toBe('string');
    }
  });

  it('a NUL byte in an admin API JSON body is 400 {error, message}', async () => {
    const answer = await server.adminApi('POST', '/admin/tenants/acme/users', { username: 'bob\u0000' });
    expect([answer.status, answer.body.error]).toEqual([400, 'invalid_request']);
    const inKey = await server.adminApi('POST', '/admin/tenants', '{"slug":"x","displayName":"y","a\\u0000":1}');
    expect(inKey.status).toBe(400);
  });

  it('deeply nested JSON on the admin API is 400 {error, message}', async () => {
    for (const body of [nested(5000), nestedObject(5000), `{"username":${nested(2000)}}`]) {
      const answer = await server.adminApi('POST', '/admin/tenants/acme/users', body);
      expect([answer.status, answer.body.error]).toEqual([400, 'invalid_request']);
    }
  });

  it('deeply nested JSON and NUL bytes on the account API are 400 {error, message}', async () => {
    for (const body of [nestedObject(5000), `{"currentPassword":"a\\u0000","newPassword":"b"}`]) {
      const answer = await post('/t/acme/account/password', body, {
        'content-type': 'application/json',
        authorization: `Bearer ${userToken}`,
      });
      expect([answer.status, JSON.parse(answer.text).error]).toEqual([400, 'invalid_request']);
    }
  });

  it('oversized fields are 4xx', async () => {
    const long = 'a'.repeat(60_000);
    const token = await post('/t/acme/token', form({ grant_type: 'client_credentials', client_id: long }), {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(token.status).toBeGreaterThanOrEqual(400);
    expect(token.status).toBeLessThan(500);
    const search = await server.adminApi('GET', `/admin/tenants/acme/users?search=${'a'.repeat(10_000)}`);
    expect(search.status).toBeLessThan(500);
    const admin = await server.adminApi('POST', '/admin/tenants/acme/users', { username: 'a'.repeat(200_000) });
    expect(admin.status).toBe(413);
    const auth = await fetch(`${acme.issuer}/auth?client_id=${'a'.repeat(20_000)}`, { redirect: 'manual' });
    expect(auth.status).toBeLessThan(500);
  });
});
