// Over 300 lines on purpose: one server and one tenant serve every self-service scenario (reset,
// verification, registration) in order, and the later ones build on the accounts the earlier
// made.
import { BrowserlessAgent, linkIn, MailCatcher, parseForm, startTestServer, type TestServer } from '@app/testing';
import pg from 'pg';
import {
  canSignIn,
  decodeJwt,
  discover,
  introspect,
  oidc,
  PASSWORD,
  provisionTenant,
  REDIRECT_URI,
  signInForTokens,
  startAuthorization,
  type TenantFixture,
} from './oidc-flows.js';

const NEW_PASSWORD = 'a-brand-new-passphrase-42';

/** The href of the link with this text on a page. */
function hrefOf(html: string, text: string, pageUrl: string): string | undefined {
  const match = new RegExp(`<a href="([^"]*)">${text}</a>`).exec(html);
  return match ? new URL(match[1].replace(/&amp;/g, '&'), pageUrl).href : undefined;
}

describe('self-registration, email verification and password reset by mail', () => {
  let mail: MailCatcher;
  let server: TestServer;
  let db: pg.Client;

  beforeAll(async () => {
    mail = await new MailCatcher().start();
    server = await startTestServer({ env: { SMTP_URL: mail.smtpUrl, MAIL_FROM: 'Identity <id@example.com>' } });
    db = new pg.Client({ connectionString: server.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await server?.close();
    await mail?.stop();
  });

  const enableRegistration = async (slug: string, on = true) =>
    expect(
      (await server.adminApi('PATCH', `/admin/tenants/${slug}`, { settings: { selfRegistration: on } })).status,
    ).toBe(200);

  /** The login page of a fresh authorization request by the tenant's first-party SPA. */
  async function loginPage(tenant: TenantFixture, agent = new BrowserlessAgent([REDIRECT_URI])) {
    const config = await discover(tenant.issuer, tenant.spa.clientId);
    const start = await startAuthorization(config);
    const page = await agent.navigate(start.url.href);
    expect(page.html).toContain('name="password"');
    return { agent, config, start, page };
  }

  async function register(tenant: TenantFixture, fields: { username: string; email: string; password: string }) {
    const login = await loginPage(tenant);
    const href = hrefOf(login.page.html, 'Create account', login.page.url);
    expect(href).toBe(`${login.page.url}/register`);
    const form = await login.agent.navigate(href!);
    expect(form.status).toBe(200);
    const { action, fields: hidden } = parseForm(form.html, form.url);
    const result = await login.agent.navigate(action, { form: { ...hidden, ...fields } });
    return { ...login, result };
  }

  async function submitForm(agent: BrowserlessAgent, url: string, fields: Record<string, string>) {
    const page = await agent.navigate(url);
    const form = parseForm(page.html, page.url);
    return agent.navigate(form.action, { form: { ...form.fields, ...fields } });
  }

  describe('self-registration', () => {
    let tenant: TenantFixture;
    beforeAll(async () => {
      tenant = await provisionTenant(server, 'signup');
    });

    it('is off by default: no "Create account" link and the page does not exist', async () => {
      const { agent, page } = await loginPage(tenant);
      expect(page.html).not.toContain('Create account');
      expect((await agent.request(`${page.url}/register`)).status).toBe(404);
      const form = parseForm(page.html, page.url);
      const post = await agent.request(`${page.url}/register`, {
        form: { ...form.fields, username: 'sneaky', email: 'sneaky@example.com', password: NEW_PASSWORD },
      });
      expect(post.status).toBe(404);
      expect((await server.adminApi('GET', `/admin/tenants/signup/users?search=sneaky`)).body.items).toEqual([]);
    });

    it('on: register, the sign-in continues, the mailed link verifies the email (email_verified at userinfo), once', async () => {
      await enableRegistration('signup');
      const { config, start, result } = await register(tenant, {
        username: 'Newbie',
        email: 'Newbie@Example.com',
        password: PASSWORD,
      });
      expect(result.stoppedAt).toBeDefined();
      const tokens = await oidc.authorizationCodeGrant(config, new URL(result.stoppedAt!), {
        pkceCodeVerifier: start.verifier,
        expectedState: start.state,
        expectedNonce: start.nonce,
      });
      expect(decodeJwt(tokens.id_token!).sub).toEqual(expect.any(String));
      expect(await oidc.fetchUserInfo(config, tokens.access_token, oidc.skipSubjectCheck)).toMatchObject({
        preferred_username: 'newbie',
        email: 'newbie@example.com',
        email_verified: false,
      });

      const message = await mail.waitFor('newbie@example.com');
      expect(message.from).toBe('id@example.com');
      expect(message.subject).toBe('Verify your email address for Tenant signup');
      const link = linkIn(message, `${tenant.issuer}/email/verify?token=`);
      expect(message.html).toContain(`href="${link}"`);

      // Opened in another browser (e.g. the phone's mail app): a button, then done.
      const other = new BrowserlessAgent();
      const verified = await submitForm(other, link, {});
      expect(verified.status).toBe(200);
      expect(verified.html).toContain('Email verified');

      const again = await signInForTokens(tenant, { client: 'spa', username: 'newbie', password: PASSWORD });
      const userinfo = await oidc.fetchUserInfo(again.config, again.tokens.access_token, oidc.skipSubjectCheck);
      expect(userinfo.email_verified).toBe(true);

      const reused = await submitForm(new BrowserlessAgent(), link, {});
      expect(reused.status).toBe(400);
      expect(reused.html).toContain('invalid, has expired or was already used');

      const audit = await server.adminApi('GET', '/admin/tenants/signup/audit-events?limit=50');
      const types = (audit.body.items as { type: string }[]).map((e) => e.type);
      expect(types).toEqual(expect.arrayContaining(['user.registered', 'email.verified', 'login.success']));
      const token = new URL(link).searchParams.get('token')!;
      expect(JSON.stringify(audit.body)).not.toContain(token);
      expect(JSON.stringify(audit.body)).not.toContain(PASSWORD);
    });

    it('an expired verification link is refused', async () => {
      await enableRegistration('signup');
      const { result } = await register(tenant, { username: 'late', email: 'late@example.com', password: PASSWORD });
      expect(result.stoppedAt).toBeDefined();
      const link = linkIn(await mail.waitFor('late@example.com'), `${tenant.issuer}/email/verify?token=`);
      await db.query(
        `UPDATE user_action_tokens SET expires_at = now() - interval '1 second'
         WHERE purpose = 'verify_email' AND email = 'late@example.com'`,
      );
      const expired = await submitForm(new BrowserlessAgent(), link, {});
      expect(expired.status).toBe(400);
      const user = (await server.adminApi('GET', '/admin/tenants/signup/users?search=late')).body.items[0];
      expect(user.emailVerified).toBe(false);
    });

    it('refusals re-render the form: weak password (policy message), taken username; a taken email gets a generic answer and its owner a mail', async () => {
      await enableRegistration('signup');
      const weak = await register(tenant, { username: 'weakling', email: 'weak@example.com', password: 'password' });
      expect(weak.result.status).toBe(400);
      expect(weak.result.html).toContain('Password must be at least 12 characters');
      expect(weak.result.html).toContain('value="weakling"');
      expect(weak.result.html).not.toContain('value="password"');

      const taken = await register(tenant, {
        username: tenant.user.username,
        email: 'x@example.com',
        password: PASSWORD,
      });
      expect(taken.result.status).toBe(409);
      expect(taken.result.html).toContain('That username is taken.');

      const before = mail.to('alice@signup.example').length;
      const reuse = await register(tenant, { username: 'copycat', email: 'ALICE@signup.example', password: PASSWORD });
      expect(reuse.result.status).toBe(400);
      expect(reuse.result.html).toContain('We could not create an account with these details');
      const notice = await mail.waitFor('alice@signup.example', before);
      expect(notice.subject).toContain('Sign-up attempt');
      expect(linkIn(notice, `${tenant.issuer}/password/forgot`)).toBeDefined();

      const users = (await server.adminApi('GET', '/admin/tenants/signup/users?limit=100')).body.items as {
        username: string;
      }[];
      expect(users.map((u) => u.username)).not.toEqual(expect.arrayContaining(['weakling']));
      expect(users.map((u) => u.username)).not.toContain('copycat');
    });

    it('a registration without the CSRF field is refused', async () => {
      await enableRegistration('signup');
      const { agent, page } = await loginPage(tenant);
      const response = await agent.request(`${page.url}/register`, {
        form: { username: 'forged', email: 'forged@example.com', password: PASSWORD },
      });
      expect(response.status).toBe(403);
      expect((await server.adminApi('GET', '/admin/tenants/signup/users?search=forged')).body.items).toEqual([]);
    });
  });

  describe('password reset', () => {
    let tenant: TenantFixture;
    const aliceMail = 'alice@reset.example';
    beforeAll(async () => {
      tenant = await provisionTenant(server, 'reset');
    });

    async function requestReset(agent: BrowserlessAgent, login: string) {
      return submitForm(agent, `${tenant.issuer}/password/forgot`, { login });
    }

    it('forgot → mail → link → new password: old one fails, earlier sessions end, lockout lifts, the link works once', async () => {
      const earlier = await signInForTokens(tenant, { client: 'web' });
      expect(earlier.tokens.refresh_token).toBeDefined();
      // Locked out by wrong passwords (tenant threshold 3): even the right one is refused now.
      await server.adminApi('PATCH', '/admin/tenants/reset', { settings: { lockout: { threshold: 3 } } });
      expect(await canSignIn(tenant, tenant.user.username, 'wrong-password')).toBe(false);
      expect(await canSignIn(tenant, tenant.user.username, PASSWORD)).toBe(false);

      // From the login page: "Forgot password?"
      const { agent, page } = await loginPage(tenant);
      const forgotHref = hrefOf(page.html, 'Forgot password\\?', page.url);
      expect(forgotHref).toBeDefined();
      const before = mail.to(aliceMail).length;
      const sent = await submitForm(agent, forgotHref!, { login: tenant.user.username });
      expect(sent.status).toBe(200);
      expect(sent.html).toContain('Check your email');
      expect(hrefOf(sent.html, 'Back to sign in', sent.url)).toBe(page.url);

      const message = await mail.waitFor(aliceMail, before);
      expect(message.subject).toBe('Reset your Tenant reset password');
      const link = linkIn(message, `${tenant.issuer}/password/reset?token=`);

      const weak = await submitForm(agent, link, { password: 'short' });
      expect(weak.status).toBe(400);
      expect(weak.html).toContain('Password must be at least 12 characters');
      const done = await submitForm(agent, link, { password: NEW_PASSWORD });
      expect(done.status).toBe(200);
      expect(done.html).toContain('Password changed');

      const introspection = await introspect(tenant.issuer, earlier.tokens.refresh_token!, tenant.web);
      expect(introspection.body.active).toBe(false);
      // (The new password first: a failed attempt re-submits and would lock the account again.)
      expect(await canSignIn(tenant, tenant.user.username, NEW_PASSWORD)).toBe(true);
      expect(await canSignIn(tenant, tenant.user.username, PASSWORD)).toBe(false);

      const reused = await new BrowserlessAgent().navigate(link);
      expect(reused.status).toBe(400);
      expect(reused.html).toContain('invalid, has expired or was already used');

      const audit = await server.adminApi('GET', '/admin/tenants/reset/audit-events?limit=50');
      const types = (audit.body.items as { type: string }[]).map((e) => e.type);
      expect(types).toEqual(expect.arrayContaining(['password.reset_requested', 'password.reset_completed']));
      expect(JSON.stringify(audit.body)).not.toContain(new URL(link).searchParams.get('token')!);
      expect(JSON.stringify(audit.body)).not.toContain(NEW_PASSWORD);
    });

    it('a new request makes the previous link useless', async () => {
      const agent = new BrowserlessAgent();
      const before = mail.to(aliceMail).length;
      await requestReset(agent, aliceMail);
      const first = linkIn(await mail.waitFor(aliceMail, before), `${tenant.issuer}/password/reset?token=`);
      await requestReset(agent, aliceMail);
      const second = linkIn(await mail.waitFor(aliceMail, before + 1), `${tenant.issuer}/password/reset?token=`);
      expect((await agent.navigate(first)).status).toBe(400);
      expect((await agent.navigate(second)).status).toBe(200);
    });

    it('an unknown user gets the very same page, and no mail is sent', async () => {
      const agent = new BrowserlessAgent();
      const unknown = await requestReset(agent, 'nobody-here');
      const total = mail.messages.length;
      const before = mail.to(aliceMail).length;
      const known = await requestReset(agent, tenant.user.username);
      expect(unknown.status).toBe(200);
      expect(unknown.html).toBe(known.html);
      await mail.waitFor(aliceMail, before);
      // Only the known user's mail arrived since (the unknown request was answered first).
      expect(mail.messages.length).toBe(total + 1);
    });

    it('forms without the CSRF field are refused', async () => {
      const agent = new BrowserlessAgent();
      const forgot = await agent.request(`${tenant.issuer}/password/forgot`, { form: { login: tenant.user.username } });
      expect(forgot.status).toBe(403);
      const reset = await agent.request(`${tenant.issuer}/password/reset`, {
        form: { token: 'x', password: NEW_PASSWORD },
      });
      expect(reset.status).toBe(403);
      const verify = await agent.request(`${tenant.issuer}/email/verify`, { form: { token: 'x' } });
      expect(verify.status).toBe(403);
      // A field minted for another browser (another cookie) does not count either.
      const page = await new BrowserlessAgent().navigate(`${tenant.issuer}/password/forgot`);
      const { action, fields } = parseForm(page.html, page.url);
      expect((await agent.request(action, { form: { ...fields, login: tenant.user.username } })).status).toBe(403);
    });

    it('too many reset requests for one account: 429 with Retry-After', async () => {
      const limited = await provisionTenant(server, 'reset-limits');
      const agent = new BrowserlessAgent();
      for (let i = 0; i < 3; i++) {
        expect((await submitForm(agent, `${limited.issuer}/password/forgot`, { login: 'someone' })).status).toBe(200);
      }
      const page = await agent.navigate(`${limited.issuer}/password/forgot`);
      const { action, fields } = parseForm(page.html, page.url);
      const blocked = await agent.request(action, { form: { ...fields, login: 'SomeOne' } });
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await blocked.text()).toContain('Too many requests');
    });
  });
});
