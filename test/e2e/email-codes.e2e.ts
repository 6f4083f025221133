import { BrowserlessAgent, MailCatcher, parseForm, startTestServer, type TestServer } from '@app/testing';
import { Secret, TOTP } from 'otpauth';
import pg from 'pg';
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
import { account } from './passkey-flows.js';

type Page = Awaited<ReturnType<BrowserlessAgent['navigate']>>;

describe('one-time codes by email as a second factor (in-process SMTP server)', () => {
  let mail: MailCatcher;
  let server: TestServer;
  let db: pg.Client;
  let acme: TenantFixture;
  const address = 'alice@acme.example';

  beforeAll(async () => {
    mail = await new MailCatcher().start();
    server = await startTestServer({ env: { SMTP_URL: mail.smtpUrl } });
    db = new pg.Client({ connectionString: server.databaseUrl });
    await db.connect();
    acme = await provisionTenant(server, 'acme');
  });
  afterAll(async () => {
    await db?.end();
    await server?.close();
    await mail?.stop();
  });

  /** The code in the next mail to `to`. */
  async function nextCode(to: string, already: number): Promise<string> {
    const message = await mail.waitFor(to, already);
    expect(message.subject).not.toMatch(/\d{6}/);
    return /^(\d{6})$/m.exec(message.text)![1];
  }

  const unlock = (userId: string) => server.adminApi('DELETE', `/admin/tenants/acme/users/${userId}/lockout`);
  const events = async (type: string) =>
    (await server.adminApi('GET', `/admin/tenants/acme/audit-events?type=${type}&limit=50`)).body.items as any[];

  async function passwordStep(username: string) {
    const config = await discover(acme.issuer, acme.spa.clientId);
    const start = await startAuthorization(config, { scope: 'openid' });
    const agent = new BrowserlessAgent([REDIRECT_URI]);
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

  async function submit(agent: BrowserlessAgent, page: Page, fields: Record<string, string>, formaction?: string) {
    const form = parseForm(page.html, page.url);
    return agent.navigate(formaction ?? form.action, { form: { ...form.fields, ...fields } });
  }

  /** The URL a button of the page's form posts to (its formaction). */
  function buttonAction(page: Page, label: string): string {
    const button = new RegExp(`<button[^>]*formaction="([^"]*)"[^>]*>${label}</button>`).exec(page.html);
    if (!button) throw new Error(`no button "${label}" on:\n${page.html.slice(0, 600)}`);
    return new URL(button[1].replace(/&amp;/g, '&'), page.url).href;
  }

  let token: string;

  it('enrols in the account API: a code to the verified address, then that code back', async () => {
    token = (await signInForTokens(acme, { client: 'spa', scope: 'openid' })).tokens.access_token;
    expect((await account(acme.issuer, token, 'GET', '/mfa')).body).toEqual({
      totp: { active: false },
      email: { active: false, to: 'al•••@acme.example' },
      passkeys: { count: 0 },
    });
    const before = mail.to(address).length;
    const started = await account(acme.issuer, token, 'POST', '/mfa/email');
    expect(started).toEqual({
      status: 202,
      body: { channel: 'email', to: 'al•••@acme.example', expiresInSeconds: 600 },
    });
    const code = await nextCode(address, before);
    const wrong = code === '000000' ? '111111' : '000000';
    expect((await account(acme.issuer, token, 'POST', '/mfa/email/verify', { code: wrong })).status).toBe(400);
    // Only an HMAC of the code is stored.
    const rows = await db.query(`SELECT * FROM mfa_one_time_codes`);
    expect(JSON.stringify(rows.rows)).not.toContain(code);
    const verified = await account(acme.issuer, token, 'POST', '/mfa/email/verify', { code });
    expect(verified).toEqual({ status: 200, body: { factor: 'email', active: true } });
    expect((await account(acme.issuer, token, 'GET', '/mfa')).body.email.active).toBe(true);
    expect((await events('mfa.enrolled'))[0].data).toEqual({ factor: 'email' });
  });

  it('refuses enrolment without a verified address', async () => {
    await server.adminApi('POST', '/admin/tenants/acme/users', {
      username: 'unverified',
      email: 'unverified@acme.example',
      password: PASSWORD,
    });
    const other = (await signInForTokens(acme, { client: 'spa', scope: 'openid', username: 'unverified' })).tokens;
    const refused = await account(acme.issuer, other.access_token, 'POST', '/mfa/email');
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/verified email/);
    expect(mail.to('unverified@acme.example')).toHaveLength(0);
  });

  it('after the password the code is mailed at once; the page asks for it; it signs in once', async () => {
    await unlock(acme.user.id);
    const before = mail.to(address).length;
    const flow = await passwordStep(acme.user.username);
    expect(flow.page.html).toContain('We sent a code to al•••@acme.example');
    expect(flow.page.html).toContain('<input type="hidden" name="factor" value="email">');
    expect(flow.page.html).toMatch(/name="code"/);
    const code = await nextCode(address, before);
    const wrong = await submit(flow.agent, flow.page, { code: code === '999999' ? '888888' : '999999' });
    expect(wrong.status).toBe(401);
    const done = await submit(flow.agent, wrong, { code });
    expect(done.stoppedAt).toBeDefined();
    expect((await flow.tokens(done.stoppedAt!)).claims()).toMatchObject({
      amr: ['pwd', 'otp'],
      acr: 'urn:idp:acr:mfa',
    });

    // The same code in another sign-in: used up (and replaced by that sign-in's own code).
    await unlock(acme.user.id);
    const again = await passwordStep(acme.user.username);
    expect((await submit(again.agent, again.page, { code })).status).toBe(401);
  });

  it('resending is limited: "Send a new code" at once is refused with 429 and Retry-After', async () => {
    await unlock(acme.user.id);
    const flow = await passwordStep(acme.user.username);
    const resend = await flow.agent.request(buttonAction(flow.page, 'Send a new code'), {
      form: parseForm(flow.page.html, flow.page.url).fields,
    });
    expect(resend.status).toBe(429);
    expect(Number(resend.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await resend.text()).toContain('A code was sent a moment ago');
  });

  it('five wrong codes, then 429: even the right code no longer works, a new one does', async () => {
    await unlock(acme.user.id);
    const before = mail.to(address).length;
    const flow = await passwordStep(acme.user.username);
    const code = await nextCode(address, before);
    const wrong = code === '123123' ? '321321' : '123123';
    let page = flow.page;
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      page = await submit(flow.agent, page, { code: wrong });
      statuses.push(page.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const blocked = await submit(flow.agent, page, { code });
    expect(blocked.status).toBe(429);
    expect((await events('mfa.failure'))[0].data).toMatchObject({ factor: 'email' });
    // Lifting the account's lock does not bring the tried-out code back.
    await unlock(acme.user.id);
    const exhausted = await submit(flow.agent, blocked, { code });
    expect(exhausted.status).toBe(429);
    expect(exhausted.html).toContain('Ask for a new code');
    const resent = await flow.agent.navigate(buttonAction(exhausted, 'Send a new code'), {
      form: parseForm(exhausted.html, exhausted.url).fields,
    });
    const fresh = await nextCode(address, before + 1);
    const done = await submit(flow.agent, resent, { code: fresh });
    expect(done.stoppedAt).toBeDefined();
  });

  it('a code expires after 10 minutes', async () => {
    await unlock(acme.user.id);
    const before = mail.to(address).length;
    const flow = await passwordStep(acme.user.username);
    const code = await nextCode(address, before);
    await db.query(`UPDATE mfa_one_time_codes SET expires_at = now() - interval '1 second'`);
    expect((await submit(flow.agent, flow.page, { code })).status).toBe(401);
  });

  it('with an authenticator app too, the app’s code field comes first and "Email me a code instead" is a choice', async () => {
    await unlock(acme.user.id);
    const totp = await account(acme.issuer, token, 'POST', '/mfa/totp');
    const secret = Secret.fromBase32(totp.body.secret);
    expect(
      (await account(acme.issuer, token, 'POST', '/mfa/totp/verify', { code: new TOTP({ secret }).generate() })).status,
    ).toBe(200);
    const before = mail.to(address).length;
    const flow = await passwordStep(acme.user.username);
    expect(flow.page.html).toContain('Code from your authenticator app');
    expect(flow.page.html).not.toContain('name="factor"');
    expect(mail.to(address)).toHaveLength(before);
    const emailed = await flow.agent.navigate(buttonAction(flow.page, 'Email me a code instead'), {
      form: parseForm(flow.page.html, flow.page.url).fields,
    });
    expect(emailed.html).toContain('We sent a code to al•••@acme.example');
    expect(emailed.html).toContain('Use my authenticator app instead');
    const done = await submit(flow.agent, emailed, { code: await nextCode(address, before) });
    expect((await flow.tokens(done.stoppedAt!)).claims()!.amr).toEqual(['pwd', 'otp']);
  });

  it('turning email codes off needs a code it delivered; an admin reset removes them too', async () => {
    await unlock(acme.user.id);
    const before = mail.to(address).length;
    expect((await account(acme.issuer, token, 'DELETE', '/mfa/email', { code: '000000' })).status).toBe(400);
    expect((await account(acme.issuer, token, 'POST', '/mfa/email/code')).status).toBe(202);
    const code = await nextCode(address, before);
    expect((await account(acme.issuer, token, 'DELETE', '/mfa/email', { code })).status).toBe(204);
    expect((await account(acme.issuer, token, 'GET', '/mfa')).body.email.active).toBe(false);

    await unlock(acme.user.id);
    await account(acme.issuer, token, 'POST', '/mfa/email');
    await account(acme.issuer, token, 'POST', '/mfa/email/verify', { code: await nextCode(address, before + 1) });
    expect((await server.adminApi('DELETE', `/admin/tenants/acme/users/${acme.user.id}/mfa`)).status).toBe(204);
    expect((await account(acme.issuer, token, 'GET', '/mfa')).body).toMatchObject({
      totp: { active: false },
      email: { active: false },
    });
  });

  it('a tenant requiring a second factor: email codes can be chosen instead of an app (verified address only)', async () => {
    expect((await server.adminApi('PATCH', '/admin/tenants/acme', { settings: { mfaRequired: true } })).status).toBe(
      200,
    );
    await unlock(acme.user.id);
    const unverified = await passwordStep('unverified');
    expect(unverified.page.html).toContain('Set up two-step verification');
    expect(unverified.page.html).not.toContain('Send codes to');

    const before = mail.to(address).length;
    const flow = await passwordStep(acme.user.username);
    expect(flow.page.html).toContain('Set up two-step verification');
    const emailed = await flow.agent.navigate(buttonAction(flow.page, 'Send codes to al•••@acme.example instead'), {
      form: parseForm(flow.page.html, flow.page.url).fields,
    });
    expect(emailed.html).toContain('We sent a code to al•••@acme.example');
    const done = await submit(flow.agent, emailed, { code: await nextCode(address, before) });
    expect(done.stoppedAt).toBeDefined();
    expect((await flow.tokens(done.stoppedAt!)).claims()).toMatchObject({
      amr: ['pwd', 'otp'],
      acr: 'urn:idp:acr:mfa',
    });
    expect((await events('mfa.enrolled'))[0].data).toEqual({ factor: 'email', during: 'sign-in' });
    expect((await account(acme.issuer, token, 'GET', '/mfa')).body.email.active).toBe(true);
  });
});
