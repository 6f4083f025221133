import { startTestServer, type TestServer } from '@app/testing';
import { provisionUpstream } from '../e2e/federation-flows.js';
import {
  discover,
  oidc,
  PASSWORD,
  provisionTenant,
  REDIRECT_URI,
  startAuthorization,
  type TenantFixture,
} from '../e2e/oidc-flows.js';
import { launchVisitor, watchProblems } from './console-page.js';

/** "Continue with …" in a real browser: the upstream is a second tenant of the same server. */
describe('a real browser signing in through an upstream provider', () => {
  let server: TestServer;
  let acme: TenantFixture;

  beforeAll(async () => {
    server = await startTestServer();
    acme = await provisionTenant(server, 'acme');
    const upstream = await provisionUpstream(server, 'corp', acme.issuer, 'corp');
    await server.adminApi('POST', '/admin/tenants/corp/users', {
      username: 'bob',
      email: 'bob@corp.example',
      emailVerified: true,
      password: PASSWORD,
    });
    const created = await server.adminApi('POST', '/admin/tenants/acme/identity-providers', {
      alias: 'corp',
      displayName: 'Corp SSO',
      type: 'oidc',
      issuer: upstream.issuer,
      clientId: upstream.clientId,
      clientSecret: upstream.clientSecret,
    });
    expect(created.status).toBe(201);
  });
  afterAll(() => server?.close());

  it('clicks "Continue with Corp SSO", signs in upstream and lands back in the client with amr fed', async () => {
    const config = await discover(acme.issuer, acme.spa.clientId);
    const start = await startAuthorization(config, { scope: 'openid email' });
    const visitor = await launchVisitor();
    try {
      const page = await visitor.context.newPage();
      page.setDefaultTimeout(15_000);
      const problems = watchProblems(page);
      let callback: URL | undefined;
      await page.route(`${REDIRECT_URI}**`, async (route) => {
        callback = new URL(route.request().url());
        await route.fulfill({ status: 200, contentType: 'text/html', body: '<p>back at the client</p>' });
      });
      await page.goto(start.url.href);
      // The username and password fields are required, yet the provider button submits without them.
      await page.getByRole('button', { name: 'Continue with Corp SSO' }).click();
      await page.waitForURL(/\/t\/corp\/interaction\//);
      await page.getByLabel('Username').fill('bob');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByText('back at the client').waitFor();
      const tokens = await oidc.authorizationCodeGrant(config, callback!, {
        pkceCodeVerifier: start.verifier,
        expectedState: start.state,
        expectedNonce: start.nonce,
      });
      expect(tokens.claims()!.amr).toEqual(['fed']);
      expect(problems).toEqual([]);
    } finally {
      await visitor.close();
    }
  });
});
