import { startTestServer, type TestServer } from '@app/testing';
import { startHostileUpstream, type IdTokenMode } from './federation-hostile-upstream.js';
import { pressProvider, tokensOf } from './federation-flows.js';
import { provisionTenant, type TenantFixture } from './oidc-flows.js';

/**
 * The ID token is checked as OpenID Connect Core 3.1.3.7 says: signature by the upstream's
 * JWKS, `iss`, `aud`, `exp`, `nonce`. The upstream here is a minimal provider that signs
 * whatever the test asks for — a compromised or misconfigured upstream.
 */
describe('upstream identity providers: ID token validation', () => {
  let server: TestServer;
  let acme: TenantFixture;
  let upstream: Awaited<ReturnType<typeof startHostileUpstream>>;

  beforeAll(async () => {
    server = await startTestServer();
    acme = await provisionTenant(server, 'acme');
    upstream = await startHostileUpstream('hostile-client');
    const created = await server.adminApi('POST', '/admin/tenants/acme/identity-providers', {
      alias: 'hostile',
      displayName: 'Hostile',
      type: 'oidc',
      issuer: upstream.issuer,
      clientId: 'hostile-client',
      clientSecret: 'hostile-secret',
    });
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    await server?.close();
    await upstream?.close();
  });

  const failureReasons = async () =>
    (await server.adminApi('GET', '/admin/tenants/acme/audit-events?type=federation.failure&limit=50')).body.items.map(
      (e: { data: { reason: string } }) => e.data.reason,
    );

  it('a well-formed ID token signs in (the upstream itself is sound)', async () => {
    upstream.state.mode = 'good';
    const flow = await pressProvider(acme, 'hostile');
    const tokens = await tokensOf(flow);
    expect(tokens.claims()!.amr).toEqual(['fed']);
  });

  it.each<[IdTokenMode, string]>([
    ['wrong-issuer', 'an ID token from another issuer'],
    ['other-key', 'an ID token signed with a key not in the upstream JWKS'],
    ['wrong-nonce', 'an ID token with another nonce'],
    ['wrong-audience', 'an ID token for another client'],
    ['expired', 'an expired ID token'],
  ])('refuses %s (%s): login page with the generic message, audited as id_token', async (mode) => {
    upstream.state.mode = mode;
    upstream.state.subject = `victim-${mode}`;
    const before = (await server.adminApi('GET', '/admin/tenants/acme/users?limit=100')).body.items.length;
    const flow = await pressProvider(acme, 'hostile');
    expect(flow.page.stoppedAt).toBeUndefined();
    expect(flow.page.status).toBe(401);
    expect(flow.page.html).toContain('Signing in with that provider did not work');
    expect((await failureReasons())[0]).toBe('id_token');
    expect((await server.adminApi('GET', '/admin/tenants/acme/users?limit=100')).body.items.length).toBe(before);
  });

  it('an upstream that never answers the token request: refused after the timeout (10 s), audited as timeout', async () => {
    upstream.state.mode = 'hang';
    const started = Date.now();
    const flow = await pressProvider(acme, 'hostile');
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(flow.page.html).toContain('Signing in with that provider did not work');
    expect((await failureReasons())[0]).toBe('timeout');
  }, 30_000);

  it('an unreachable upstream: the button answers the login page (503) with the generic message', async () => {
    const created = await server.adminApi('POST', '/admin/tenants/acme/identity-providers', {
      alias: 'gone',
      displayName: 'Gone',
      type: 'oidc',
      issuer: 'http://127.0.0.1:9/nowhere',
      clientId: 'c',
      clientSecret: 's',
    });
    expect(created.status).toBe(201);
    const flow = await pressProvider(acme, 'gone');
    expect(flow.page.status).toBe(503);
    expect(flow.page.html).toContain('Signing in with that provider did not work');
    expect((await failureReasons())[0]).toBe('upstream');
  });
});
