import { BrowserlessAgent, parseForm, SoftwareAuthenticator, startTestServer, type TestServer } from '@app/testing';
import { Secret, TOTP } from 'otpauth';
import {
  discover,
  oidc,
  PASSWORD,
  provisionTenant,
  REDIRECT_URI,
  startAuthorization,
  type TenantFixture,
} from './oidc-flows.js';
import { account, passkeyButtons, pressPasskeyButton, registerThroughAccount } from './passkey-flows.js';

describe('creating a passkey during sign-in (the offer, and as the second factor to enrol)', () => {
  let server: TestServer;
  let acme: TenantFixture;
  let origin: string;

  beforeAll(async () => {
    server = await startTestServer();
    acme = await provisionTenant(server, 'acme');
    origin = new URL(server.publicUrl).origin;
  });
  afterAll(() => server?.close());

  const settings = (changes: Record<string, unknown>) =>
    server.adminApi('PATCH', '/admin/tenants/acme', { settings: changes });
  const newUser = async (username: string) =>
    (await server.adminApi('POST', '/admin/tenants/acme/users', { username, password: PASSWORD })).body.id as string;

  /** The password step in a browser (agent); returns the page after it. */
  async function passwordStep(username: string, agent = new BrowserlessAgent([REDIRECT_URI]), params = {}) {
    const config = await discover(acme.issuer, acme.spa.clientId);
    const start = await startAuthorization(config, { scope: 'openid', ...params });
    const login = await agent.navigate(start.url.href);
    const form = parseForm(login.html, login.url);
    const page = await agent.navigate(form.action, { form: { ...form.fields, username, password: PASSWORD } });
    const tokens = (stoppedAt: string) =>
      oidc.authorizationCodeGrant(config, new URL(stoppedAt), {
        pkceCodeVerifier: start.verifier,
        expectedState: start.state,
        expectedNonce: start.nonce,
      });
    return { agent, page, tokens };
  }

  it('is off by default: a password sign-in goes straight back to the client', async () => {
    await newUser('plain');
    expect((await passwordStep('plain')).page.stoppedAt).toBeDefined();
  });

  it('offered after a password sign-in: the created passkey then signs in alone', async () => {
    expect((await settings({ offerPasskeys: true })).status).toBe(200);
    const id = await newUser('carol');
    const authenticator = new SoftwareAuthenticator();
    const flow = await passwordStep('carol');
    expect(flow.page.html).toContain('Sign in faster next time');
    expect(flow.page.html.match(/<form /g)).toHaveLength(1);
    // The page's current step survives a reload.
    const reloaded = await flow.agent.navigate(flow.page.url.replace(/\/login$/, ''));
    expect(reloaded.html).toContain('Sign in faster next time');
    const done = await pressPasskeyButton(
      flow.agent,
      reloaded,
      (options) => {
        expect(options.user.name).toBe('carol');
        return authenticator.createCredential(options, { origin });
      },
      'register',
    );
    expect(done.stoppedAt).toBeDefined();
    const tokens = await flow.tokens(done.stoppedAt!);
    expect(tokens.claims()).toMatchObject({ sub: id, amr: ['pwd'], acr: 'urn:idp:acr:pwd' });
    const listed = await account(acme.issuer, tokens.access_token, 'GET', '/passkeys');
    expect(listed.body.items).toHaveLength(1);
    const [registered] = (await server.adminApi('GET', '/admin/tenants/acme/audit-events?type=passkey.registered')).body
      .items;
    expect(registered.data).toMatchObject({ during: 'offer' });

    // Next time: the passkey alone, and no offer.
    const config = await discover(acme.issuer, acme.spa.clientId);
    const start = await startAuthorization(config, { scope: 'openid' });
    const agent = new BrowserlessAgent([REDIRECT_URI]);
    const login = await agent.navigate(start.url.href);
    const signedIn = await pressPasskeyButton(agent, login, (o) => authenticator.getAssertion(o, { origin }));
    expect(signedIn.stoppedAt).toBeDefined();
  });

  it('"Not now" goes on to the client; "Don’t ask again here" is remembered by this browser only', async () => {
    await newUser('dave');
    const flow = await passwordStep('dave');
    const offer = parseForm(flow.page.html, flow.page.url);
    const later = await flow.agent.navigate(offer.action, { form: { ...offer.fields, decision: 'later' } });
    expect(later.stoppedAt).toBeDefined();
    expect((await passwordStep('dave', flow.agent, { prompt: 'login' })).page.stoppedAt).toBeDefined();

    const other = await passwordStep('dave');
    const never = parseForm(other.page.html, other.page.url);
    expect(
      (await other.agent.navigate(never.action, { form: { ...never.fields, decision: 'never' } })).stoppedAt,
    ).toBeDefined();
    expect((await passwordStep('dave', other.agent, { prompt: 'login' })).page.stoppedAt).toBeDefined();
    // A new browser is asked again.
    expect((await passwordStep('dave')).page.html).toContain('Sign in faster next time');
  });

  it('the offer cannot be answered out of turn: registration options need the offer step', async () => {
    const flow = await passwordStep('plain');
    expect(flow.page.html).toContain('Sign in faster next time');
    const [button] = passkeyButtons(flow.page);
    const csrf = parseForm(flow.page.html, flow.page.url).fields.csrf;
    const stranger = new BrowserlessAgent([REDIRECT_URI]);
    expect((await stranger.request(button.options, { json: { csrf } })).status).toBe(400);
  });

  it('a tenant requiring a second factor: a passkey can be enrolled instead of an authenticator app', async () => {
    expect((await settings({ offerPasskeys: false, mfaRequired: true })).status).toBe(200);
    const id = await newUser('erin');
    const authenticator = new SoftwareAuthenticator({ backupEligible: true });
    const flow = await passwordStep('erin');
    expect(flow.page.html).toContain('Set up two-step verification');
    expect(flow.page.html).toContain('name="code"');
    const done = await pressPasskeyButton(
      flow.agent,
      flow.page,
      (o) => authenticator.createCredential(o, { origin }),
      'register',
    );
    expect(done.stoppedAt).toBeDefined();
    expect((await flow.tokens(done.stoppedAt!)).claims()).toMatchObject({
      sub: id,
      amr: ['pwd', 'swk', 'mfa'],
      acr: 'urn:idp:acr:mfa',
    });
    const [enrolled] = (await server.adminApi('GET', '/admin/tenants/acme/audit-events?type=mfa.enrolled')).body.items;
    expect(enrolled.data).toEqual({ factor: 'passkey', during: 'sign-in' });

    // From now on the password is followed by the passkey.
    const next = await passwordStep('erin');
    expect(next.page.html).toContain('Two-step verification');
    const second = await pressPasskeyButton(next.agent, next.page, (o) => authenticator.getAssertion(o, { origin }));
    expect((await next.tokens(second.stoppedAt!)).claims()!.amr).toEqual(['pwd', 'swk', 'mfa']);
  });

  it('a user with an authenticator app and a passkey sees the code field first and the passkey beside it', async () => {
    expect((await settings({ mfaRequired: false })).status).toBe(200);
    await newUser('frank');
    const first = await passwordStep('frank');
    const token = (await first.tokens(first.page.stoppedAt!)).access_token;
    const totp = await account(acme.issuer, token, 'POST', '/mfa/totp');
    const secret = Secret.fromBase32(totp.body.secret);
    expect(
      (await account(acme.issuer, token, 'POST', '/mfa/totp/verify', { code: new TOTP({ secret }).generate() })).status,
    ).toBe(200);
    const authenticator = new SoftwareAuthenticator();
    expect((await registerThroughAccount(acme.issuer, token, authenticator, origin)).status).toBe(201);

    const flow = await passwordStep('frank');
    const html = flow.page.html;
    expect(html.indexOf('name="code"')).toBeGreaterThan(0);
    expect(html.indexOf('name="code"')).toBeLessThan(html.indexOf('data-passkey="authenticate"'));
    expect(parseForm(html, flow.page.url).action).toMatch(/\/mfa$/);
    const done = await pressPasskeyButton(flow.agent, flow.page, (o) => authenticator.getAssertion(o, { origin }));
    expect((await flow.tokens(done.stoppedAt!)).claims()!.amr).toEqual(['pwd', 'hwk', 'mfa']);
  });
});
