import { BrowserlessAgent, type BuiltServer, startBuiltServer } from '@app/testing';
import * as oidc from 'openid-client';
import { discover, signIn } from './oidc-flows.js';

/** A newcomer's first `npm start`: no bootstrap credentials configured at all. */
describe('a first start without bootstrap credentials', () => {
  let server: BuiltServer;
  let banner: string;

  beforeAll(async () => {
    server = await startBuiltServer({ env: { BOOTSTRAP_ADMIN_CLIENT_ID: '', BOOTSTRAP_ADMIN_CLIENT_SECRET: '' } });
    banner = server.output();
  }, 180_000);

  afterAll(() => server?.close());

  const shown = (label: string) => new RegExp(`${label}:\\s+(\\S+)`).exec(banner)?.[1];

  it('prints the console URL and an operator to sign in there with, once', () => {
    expect(banner).toContain(`admin console: ${server.publicUrl}/console\n`);
    expect(shown('username')).toBe('admin');
    expect(shown('password')).toMatch(/^[\w-]{24}$/);
    expect(shown('client_id')).toBeTruthy();
  });

  it('lets that operator sign in through the console client and use the admin API', async () => {
    const callbackUrl = `${server.publicUrl}/console/callback`;
    const config = await discover(server.issuer('system'), 'console');
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: callbackUrl,
      scope: 'openid admin',
      resource: `${server.publicUrl}/admin`,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: 'first-start',
    });
    const { callback } = await signIn(new BrowserlessAgent([callbackUrl]), url, {
      username: shown('username')!,
      password: shown('password')!,
    });
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: 'first-start',
    });
    const tenants = await server.adminApi('GET', '/admin/tenants', undefined, tokens.access_token);
    expect(tenants.status).toBe(200);
    expect(tenants.body.items.map((t: { slug: string }) => t.slug)).toEqual(['system']);
  });

  it('refuses a wrong password for the generated operator like any other', async () => {
    const callbackUrl = `${server.publicUrl}/console/callback`;
    const config = await discover(server.issuer('system'), 'console');
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: callbackUrl,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    await expect(
      signIn(new BrowserlessAgent([callbackUrl]), url, { username: 'admin', password: 'not-the-password' }),
    ).rejects.toThrow(/did not come back to the client/);
  });
});
