import { BrowserlessAgent, parseForm, startTestServer, type TestServer } from '@app/testing';
import {
  discover,
  oidc,
  PASSWORD,
  provisionTenant,
  REDIRECT_URI,
  signIn,
  startAuthorization,
  type TenantFixture,
} from './oidc-flows.js';

/** Every request of a sign-in from the authorization request to the callback, as paths. */
async function walkSignIn(agent: BrowserlessAgent, authorizationUrl: URL, username: string) {
  const visited: string[] = [];
  let url = authorizationUrl.href;
  let form: Record<string, string> | undefined;
  for (let hop = 0; hop < 12; hop++) {
    const response = await agent.request(url, form ? { form } : {});
    visited.push(`${form ? 'POST' : 'GET'} ${new URL(url).pathname}`);
    form = undefined;
    if (response.status >= 300 && response.status < 400) {
      await response.arrayBuffer();
      const location = new URL(response.headers.get('location')!, url).href;
      if (location.startsWith(REDIRECT_URI)) return { visited, callback: new URL(location) };
      url = location;
      continue;
    }
    const html = await response.text();
    if (response.status !== 200 || !/name="password"/.test(html)) throw new Error(`unexpected page ${response.status}`);
    const page = parseForm(html, url);
    form = { ...page.fields, username, password: PASSWORD };
    url = page.action;
  }
  throw new Error(`no callback after ${visited.join(', ')}`);
}

describe('consent implied for first-party clients', () => {
  let server: TestServer;
  let acme: TenantFixture;

  beforeAll(async () => {
    server = await startTestServer();
    acme = await provisionTenant(server, 'acme');
  });
  afterAll(() => server?.close());

  async function auditEvents(type: string) {
    const answer = await server.adminApi('GET', `/admin/tenants/acme/audit-events?type=${type}&limit=20`);
    return answer.body.items as { clientId: string; actor: { id: string }; data: Record<string, unknown> }[];
  }

  it('goes from the login form straight back to the client, in as many requests as the bare engine', async () => {
    const config = await discover(acme.issuer, acme.spa.clientId);
    const start = await startAuthorization(config, { scope: 'openid profile' });
    const { visited, callback } = await walkSignIn(new BrowserlessAgent(), start.url, acme.user.username);
    // Authorization request, login page, login form, resume → callback: no consent interaction.
    expect(visited).toEqual([
      'GET /t/acme/auth',
      expect.stringMatching(/^GET \/t\/acme\/interaction\/[\w-]+$/),
      expect.stringMatching(/^POST \/t\/acme\/interaction\/[\w-]+\/login$/),
      expect.stringMatching(/^GET \/t\/acme\/auth\/[\w-]+$/),
    ]);
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: start.verifier,
      expectedState: start.state,
      expectedNonce: start.nonce,
    });
    expect(tokens.scope?.split(' ').sort()).toEqual(['openid', 'profile']);
    expect(tokens.claims()!.sub).toBe(acme.user.id);
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, acme.user.id);
    expect(userinfo.preferred_username).toBe(acme.user.username);
  });

  it('records the implied consent with what it granted', async () => {
    const config = await discover(acme.issuer, acme.spa.clientId);
    const start = await startAuthorization(config, { scope: 'openid email' });
    await walkSignIn(new BrowserlessAgent(), start.url, acme.user.username);
    // Written in a batch, off the response path: wait for it (bounded).
    let implied: Awaited<ReturnType<typeof auditEvents>> = [];
    for (
      let attempt = 0;
      attempt < 50 && !implied.some((e) => (e.data.scopes as string[]).includes('email'));
      attempt++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      implied = (await auditEvents('consent.granted')).filter((e) => e.data.implied === true);
    }
    expect(implied.find((e) => (e.data.scopes as string[]).includes('email'))).toMatchObject({
      clientId: acme.spa.clientId,
      actor: { id: acme.user.id },
      data: { scopes: expect.arrayContaining(['openid', 'email']), implied: true },
    });
  });

  it('a later request for more scopes in the same session is granted without a page either', async () => {
    const config = await discover(acme.issuer, acme.spa.clientId);
    const agent = new BrowserlessAgent();
    await walkSignIn(agent, (await startAuthorization(config, { scope: 'openid' })).url, acme.user.username);
    const more = await startAuthorization(config, { scope: 'openid profile email' });
    const { visited, callback } = await walkSignIn(agent, more.url, acme.user.username);
    expect(visited).toEqual(['GET /t/acme/auth']);
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: more.verifier,
      expectedState: more.state,
      expectedNonce: more.nonce,
    });
    expect(tokens.scope?.split(' ').sort()).toEqual(['email', 'openid', 'profile']);
  });

  it('a third-party client still asks the user, and a refusal grants nothing', async () => {
    const config = await discover(acme.issuer, acme.web.clientId, acme.web.clientSecret);
    const start = await startAuthorization(config, { scope: 'openid profile' });
    const agent = new BrowserlessAgent([REDIRECT_URI]);
    const denied = await signIn(agent, start.url, { username: acme.user.username, password: PASSWORD }, 'deny');
    expect(denied.sawConsent).toBe(true);
    expect(denied.callback.searchParams.get('error')).toBe('access_denied');
    // The same browser session, asking again: the consent page again, not an implied grant.
    const again = await signIn(agent, (await startAuthorization(config, { scope: 'openid' })).url, {
      username: acme.user.username,
      password: PASSWORD,
    });
    expect(again.sawConsent).toBe(true);
    expect((await auditEvents('consent.granted')).filter((e) => e.clientId === acme.web.clientId)).toEqual([
      expect.objectContaining({ data: expect.not.objectContaining({ implied: true }) }),
    ]);
  });
});
