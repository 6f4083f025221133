import { BrowserlessAgent, startTestServer, type TestServer } from '@app/testing';
import { decodeJwt, discover, oidc, REDIRECT_URI, signIn, startAuthorization } from './oidc-flows.js';

/** The contract's other way to an admin token: an operator signs in (code + PKCE) for the admin resource. */
describe('admin API with a signed-in operator', () => {
  let server: TestServer;
  const operator = { username: 'operator', password: 'a-long-console-passphrase-2026' };

  beforeAll(async () => {
    server = await startTestServer({
      env: { BOOTSTRAP_ADMIN_USERNAME: operator.username, BOOTSTRAP_ADMIN_PASSWORD: operator.password },
    });
  });
  afterAll(() => server?.close());

  it('an operator signs in to an admin console and manages tenants with the user token', async () => {
    const adminResource = `${server.publicUrl}/admin`;
    const console = await server.adminApi('POST', '/admin/tenants/system/clients', {
      name: 'Admin console',
      applicationType: 'spa',
      redirectUris: [REDIRECT_URI],
      resources: [adminResource],
      firstParty: true,
    });
    expect(console.status).toBe(201);

    const config = await discover(server.issuer('system'), console.body.clientId);
    const start = await startAuthorization(config, { scope: 'openid admin', resource: adminResource });
    const agent = new BrowserlessAgent([REDIRECT_URI]);
    const { callback } = await signIn(agent, start.url, operator);
    const tokens = await oidc.authorizationCodeGrant(
      config,
      callback,
      { pkceCodeVerifier: start.verifier, expectedState: start.state, expectedNonce: start.nonce },
      { resource: adminResource },
    );
    const claims = decodeJwt(tokens.access_token);
    expect(claims.aud).toBe(adminResource);
    expect(claims.roles).toContain('admin');
    expect(claims.permissions).toContain('tenants:write');

    const created = await server.adminApi(
      'POST',
      '/admin/tenants',
      { slug: 'from-console', displayName: 'x' },
      tokens.access_token,
    );
    expect(created.status).toBe(201);

    // Taking the admin role away reaches the operator's next token (the session skips the password).
    const users = await server.adminApi('GET', '/admin/tenants/system/users?search=operator');
    await server.adminApi('PUT', `/admin/tenants/system/users/${users.body.items[0].id}/roles`, { roles: ['viewer'] });
    const again = await startAuthorization(config, { scope: 'openid admin', resource: adminResource });
    const second = await signIn(agent, again.url, operator);
    const downgraded = await oidc.authorizationCodeGrant(
      config,
      second.callback,
      { pkceCodeVerifier: again.verifier, expectedState: again.state, expectedNonce: again.nonce },
      { resource: adminResource },
    );
    expect(decodeJwt(downgraded.access_token).roles).toEqual(['guest', 'viewer']);
    const denied = await server.adminApi(
      'POST',
      '/admin/tenants',
      { slug: 'denied-now', displayName: 'x' },
      downgraded.access_token,
    );
    expect(denied.status).toBe(403);
  });
});
