import { BrowserlessAgent, parseForm, SoftwareAuthenticator, startTestServer, type TestServer } from '@app/testing';
import {
  discover,
  oidc,
  PASSWORD,
  provisionTenant,
  REDIRECT_URI,
  signInForTokens,
  startAuthorization,
  type TenantFixture,
} from './oidc-flows.js';
import { passkeyButtons, postPasskeyAnswer, pressPasskeyButton, registerThroughAccount } from './passkey-flows.js';

describe('signing in with a passkey (through the pages, a software authenticator)', () => {
  let server: TestServer;
  let acme: TenantFixture;
  let globex: TenantFixture;
  let origin: string;
  /** Alice's access token from before she had a passkey (then her password alone no longer signs in). */
  let aliceToken: string;
  const device = new SoftwareAuthenticator();

  beforeAll(async () => {
    server = await startTestServer();
    acme = await provisionTenant(server, 'acme');
    globex = await provisionTenant(server, 'globex');
    origin = new URL(server.publicUrl).origin;
    aliceToken = (await signInForTokens(acme, { client: 'spa', scope: 'openid' })).tokens.access_token;
    expect((await registerThroughAccount(acme.issuer, aliceToken, device, origin, 'Laptop')).status).toBe(201);
  });
  afterAll(() => server?.close());

  const events = async (type: string) =>
    (await server.adminApi('GET', `/admin/tenants/acme/audit-events?type=${type}&limit=100`)).body.items as any[];

  async function loginPage(tenant: TenantFixture = acme) {
    const config = await discover(tenant.issuer, tenant.spa.clientId);
    const start = await startAuthorization(config, { scope: 'openid' });
    const agent = new BrowserlessAgent([REDIRECT_URI]);
    return { config, start, agent, page: await agent.navigate(start.url.href) };
  }

  async function tokensOf(flow: Awaited<ReturnType<typeof loginPage>>, stoppedAt: string) {
    return oidc.authorizationCodeGrant(flow.config, new URL(stoppedAt), {
      pkceCodeVerifier: flow.start.verifier,
      expectedState: flow.start.state,
      expectedNonce: flow.start.nonce,
    });
  }

  it('the login page keeps its password form and adds a hidden passkey button in it', async () => {
    const { page } = await loginPage();
    expect(page.html.match(/<form /g)).toHaveLength(1);
    expect(parseForm(page.html, page.url).action).toMatch(/\/login$/);
    expect(passkeyButtons(page)).toEqual([
      {
        kind: 'authenticate',
        options: expect.stringMatching(/\/interaction\/[^/]+\/passkey\/options$/),
        action: expect.stringMatching(/\/interaction\/[^/]+\/passkey$/),
      },
    ]);
    expect(page.html).toContain('<div class="actions" data-passkey-box hidden>');
    for (const asset of ['webauthn.js', 'passkeys.js']) {
      const script = await fetch(`${server.url}/assets/${asset}`);
      expect(script.status).toBe(200);
      expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    }
  });

  it('signs in with the passkey alone: amr hwk + mfa, acr at the MFA level', async () => {
    const flow = await loginPage();
    const done = await pressPasskeyButton(flow.agent, flow.page, (options) => {
      expect(options).toMatchObject({ rpId: 'localhost', userVerification: 'required', allowCredentials: [] });
      return device.getAssertion(options, { origin });
    });
    expect(done.stoppedAt).toBeDefined();
    const claims = (await tokensOf(flow, done.stoppedAt!)).claims()!;
    expect(claims).toMatchObject({ sub: acme.user.id, amr: ['hwk', 'mfa'], acr: 'urn:idp:acr:mfa' });
    const [used] = await events('passkey.used');
    expect(used).toMatchObject({
      actor: { type: 'user', id: acme.user.id },
      data: { method: 'hwk', during: 'sign-in' },
    });
    const [login] = await events('login.success');
    expect(login.data.amr).toEqual(['hwk', 'mfa']);
  });

  it('a synced passkey counts as swk', async () => {
    const phone = new SoftwareAuthenticator({ backupEligible: true, counts: false });
    expect((await registerThroughAccount(acme.issuer, aliceToken, phone, origin, 'Phone')).status).toBe(201);
    const flow = await loginPage();
    const done = await pressPasskeyButton(flow.agent, flow.page, (options) => phone.getAssertion(options, { origin }));
    expect((await tokensOf(flow, done.stoppedAt!)).claims()!.amr).toEqual(['swk', 'mfa']);
  });

  it('refuses a replayed answer: the challenge works once (401, audited)', async () => {
    const flow = await loginPage();
    const first = await pressPasskeyButton(flow.agent, flow.page, (o) => device.getAssertion(o, { origin }));
    expect(first.stoppedAt).toBeDefined();
    // The same signed answer again, in a new sign-in of the same browser.
    const again = await loginPage();
    const [button] = passkeyButtons(again.page);
    const replay = await postPasskeyAnswer(again.agent, again.page, button.action, first.answered);
    expect(replay.status).toBe(401);
    expect(replay.stoppedAt).toBeUndefined();
    expect(replay.html).toContain('That passkey did not work');
    expect((await events('passkey.failure'))[0].data).toEqual({ reason: 'challenge', during: 'sign-in' });
  });

  it.each([
    ['wrong origin', { origin: 'https://evil.example' }, 'origin'],
    ['wrong relying-party id', { rpId: 'evil.example' }, 'rp_id'],
    ['no user verification', { userVerified: false }, 'user_verification'],
  ])('refuses an answer with a %s (401, audited with the reason)', async (_what, lie, reason) => {
    const flow = await loginPage();
    const refused = await pressPasskeyButton(flow.agent, flow.page, (o) => device.getAssertion(o, { origin, ...lie }));
    expect(refused.status).toBe(401);
    expect(refused.stoppedAt).toBeUndefined();
    expect((await events('passkey.failure'))[0]).toMatchObject({
      actor: { type: 'user', id: acme.user.id },
      data: { reason, during: 'sign-in' },
    });
  });

  it('another tenant’s credential is unknown here (same relying party, separate lists)', async () => {
    const token = (await signInForTokens(globex, { client: 'spa', scope: 'openid' })).tokens.access_token;
    const globexKey = new SoftwareAuthenticator();
    expect((await registerThroughAccount(globex.issuer, token, globexKey, origin)).status).toBe(201);
    const atAcme = await loginPage(acme);
    const refused = await pressPasskeyButton(atAcme.agent, atAcme.page, (o) => globexKey.getAssertion(o, { origin }));
    expect(refused.status).toBe(401);
    expect((await events('passkey.failure'))[0]).toMatchObject({
      actor: { type: 'anonymous' },
      data: { reason: 'unknown_credential' },
    });
    const atGlobex = await loginPage(globex);
    const accepted = await pressPasskeyButton(atGlobex.agent, atGlobex.page, (o) =>
      globexKey.getAssertion(o, { origin }),
    );
    expect(accepted.stoppedAt).toBeDefined();
  });

  it('a cloned authenticator whose counter goes backwards is refused and audited; the original still works', async () => {
    const clone = device.clone();
    const original = await loginPage();
    expect(
      (await pressPasskeyButton(original.agent, original.page, (o) => device.getAssertion(o, { origin }))).stoppedAt,
    ).toBeDefined();
    const cloned = await loginPage();
    const behind = device.credentials[0].counter - 1;
    const refused = await pressPasskeyButton(cloned.agent, cloned.page, (o) =>
      clone.getAssertion(o, { origin, counter: behind }),
    );
    expect(refused.status).toBe(401);
    const [failure] = await events('passkey.failure');
    expect(failure).toMatchObject({ actor: { id: acme.user.id }, data: { reason: 'sign_counter_regression' } });
    const again = await loginPage();
    expect(
      (await pressPasskeyButton(again.agent, again.page, (o) => device.getAssertion(o, { origin }))).stoppedAt,
    ).toBeDefined();
  });

  it('options need the form’s CSRF field, and refuse a finished sign-in step', async () => {
    const { agent, page } = await loginPage();
    const [button] = passkeyButtons(page);
    const forged = await agent.request(button.options, { json: { csrf: 'forged' } });
    expect(forged.status).toBe(403);
    expect(await forged.json()).toEqual({ error: 'forbidden', message: expect.any(String) });
    const noInteraction = await new BrowserlessAgent().request(button.options, { json: {} });
    expect(noInteraction.status).toBe(400);
    const garbage = await agent.navigate(button.action, {
      form: { csrf: parseForm(page.html, page.url).fields.csrf, response: '{not json' },
    });
    expect(garbage.status).toBe(401);
  });

  it('as the second factor of a password user: the verification page offers the passkey, amr pwd + hwk + mfa', async () => {
    const flow = await loginPage();
    const form = parseForm(flow.page.html, flow.page.url);
    const verification = await flow.agent.navigate(form.action, {
      form: { ...form.fields, username: acme.user.username, password: PASSWORD },
    });
    expect(verification.html).toContain('Two-step verification');
    expect(verification.html).not.toContain('name="code"');
    const done = await pressPasskeyButton(flow.agent, verification, (options) => {
      expect(options.allowCredentials.length).toBeGreaterThanOrEqual(2);
      expect(options.userVerification).toBe('preferred');
      return device.getAssertion(options, { origin });
    });
    const claims = (await tokensOf(flow, done.stoppedAt!)).claims()!;
    expect(claims).toMatchObject({ sub: acme.user.id, amr: ['pwd', 'hwk', 'mfa'], acr: 'urn:idp:acr:mfa' });
    expect((await events('passkey.used'))[0].data.during).toBe('second-factor');
  });

  it('as the second factor, another user’s passkey is refused', async () => {
    const created = await server.adminApi('POST', '/admin/tenants/acme/users', { username: 'bob', password: PASSWORD });
    const bobToken = (await signInForTokens(acme, { client: 'spa', scope: 'openid', username: 'bob' })).tokens
      .access_token;
    expect((await registerThroughAccount(acme.issuer, bobToken, new SoftwareAuthenticator(), origin)).status).toBe(201);
    const flow = await loginPage();
    const form = parseForm(flow.page.html, flow.page.url);
    const verification = await flow.agent.navigate(form.action, {
      form: { ...form.fields, username: 'bob', password: PASSWORD },
    });
    // Alice's authenticator answers for Bob's sign-in.
    const refused = await pressPasskeyButton(flow.agent, verification, (options) =>
      device.getAssertion({ ...options, allowCredentials: [] }, { origin }),
    );
    expect(refused.status).toBe(401);
    expect(refused.html).toContain('Two-step verification');
    expect((await events('passkey.failure'))[0]).toMatchObject({
      actor: { id: created.body.id },
      data: { reason: 'unknown_credential', during: 'second-factor' },
    });
  });
});
