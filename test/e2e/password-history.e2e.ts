import {
  BrowserlessAgent,
  linkIn,
  MailCatcher,
  parseForm,
  SoftwareAuthenticator,
  startTestServer,
  type TestServer,
} from '@app/testing';
import pg from 'pg';
import {
  canSignIn,
  discover,
  oidc,
  PASSWORD,
  provisionTenant,
  REDIRECT_URI,
  signInForTokens,
  startAuthorization,
  type TenantFixture,
} from './oidc-flows.js';
import { account, pressPasskeyButton, registerThroughAccount } from './passkey-flows.js';

const [A, B, C, D] = [
  'first-new-passphrase-1',
  'second-new-passphrase-2',
  'third-new-passphrase-3',
  'fourth-pass-4',
].map((p) => `${p}-long`);

describe('password history and age (tenant password policy)', () => {
  let mail: MailCatcher;
  let server: TestServer;
  let db: pg.Client;
  let acme: TenantFixture;

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

  const policy = (passwordPolicy: Record<string, unknown>) =>
    server.adminApi('PATCH', '/admin/tenants/acme', { settings: { passwordPolicy } });
  const historyRows = async (userId: string) =>
    (await db.query(`SELECT count(*)::int AS n FROM password_history WHERE user_id = $1`, [userId])).rows[0]
      .n as number;

  async function change(username: string, current: string, next: string) {
    const token = (await signInForTokens(acme, { client: 'spa', scope: 'openid', username, password: current })).tokens
      .access_token;
    return account(acme.issuer, token, 'POST', '/password', { currentPassword: current, newPassword: next });
  }

  it('validates the new settings: historyCount 0–24, maxAgeDays 0–3650, integers', async () => {
    for (const bad of [
      { historyCount: 25 },
      { historyCount: -1 },
      { maxAgeDays: 3651 },
      { maxAgeDays: 'x' },
      { historyCount: 1.5 },
    ]) {
      const answer = await policy(bad);
      expect({ bad, status: answer.status, error: answer.body.error }).toEqual({
        bad,
        status: 400,
        error: 'invalid_request',
      });
    }
    const ok = await policy({ historyCount: 3, maxAgeDays: 0 });
    expect(ok.status).toBe(200);
    expect(ok.body.settings.passwordPolicy).toMatchObject({ historyCount: 3, maxAgeDays: 0, minLength: 12 });
    const docs = (await fetch(`${server.url}/admin/docs-json`).then((r) => r.json())) as any;
    expect(Object.keys(docs.components.schemas.PasswordPolicyDto.properties)).toEqual(
      expect.arrayContaining(['historyCount', 'maxAgeDays']),
    );
  });

  it('refuses the last 3 passwords (the current one included), and keeps only the 2 old hashes it needs', async () => {
    const user = acme.user.username;
    const same = await change(user, PASSWORD, PASSWORD);
    expect(same.status).toBe(400);
    expect(same.body.message).toBe('password must not be one of your last 3 passwords');
    expect((await change(user, PASSWORD, A)).status).toBe(204);
    expect((await change(user, A, B)).status).toBe(204);
    expect((await change(user, B, PASSWORD)).status).toBe(400);
    expect((await change(user, B, A)).status).toBe(400);
    expect((await change(user, B, C)).status).toBe(204);
    expect(await historyRows(acme.user.id)).toBe(2);
    // PASSWORD is now the fourth back: allowed again.
    expect((await change(user, C, PASSWORD)).status).toBe(204);
    expect(await historyRows(acme.user.id)).toBe(2);
    const stored = await db.query(`SELECT password_hash FROM password_history WHERE user_id = $1`, [acme.user.id]);
    for (const row of stored.rows) expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('an admin reset honours the history too', async () => {
    const path = `/admin/tenants/acme/users/${acme.user.id}/password`;
    expect((await server.adminApi('POST', path, { password: C })).status).toBe(400);
    expect((await server.adminApi('POST', path, { password: D })).status).toBe(204);
    expect(await canSignIn(acme, acme.user.username, D)).toBe(true);
  });

  it('a reset by email honours the history, and a refused choice does not use the link up', async () => {
    const agent = new BrowserlessAgent();
    const before = mail.to('alice@acme.example').length;
    const forgot = await agent.navigate(`${acme.issuer}/password/forgot`);
    const form = parseForm(forgot.html, forgot.url);
    await agent.navigate(form.action, { form: { ...form.fields, login: acme.user.username } });
    const link = linkIn(await mail.waitFor('alice@acme.example', before), `${acme.issuer}/password/reset?token=`);
    const submit = async (password: string) => {
      const page = await agent.navigate(link);
      const reset = parseForm(page.html, page.url);
      return agent.navigate(reset.action, { form: { ...reset.fields, password } });
    };
    for (const recent of [D, PASSWORD, C]) {
      const refused = await submit(recent);
      expect(refused.status).toBe(400);
      expect(refused.html).toContain('Password must not be one of your last 3 passwords.');
    }
    const done = await submit(B);
    expect(done.status).toBe(200);
    expect(done.html).toContain('Password changed');
    expect(await canSignIn(acme, acme.user.username, B)).toBe(true);
  });

  it('a smaller historyCount keeps fewer hashes from the next change on; 0 keeps none', async () => {
    await policy({ historyCount: 1 });
    expect((await change(acme.user.username, B, B)).body.message).toBe('password must differ from the current one');
    expect((await change(acme.user.username, B, C)).status).toBe(204);
    expect(await historyRows(acme.user.id)).toBe(0);
    await policy({ historyCount: 0 });
    expect((await change(acme.user.username, C, C)).status).toBe(204);
  });

  describe('maxAgeDays', () => {
    let config: oidc.Configuration;
    beforeAll(async () => {
      config = await discover(acme.issuer, acme.spa.clientId);
      expect((await policy({ maxAgeDays: 30, historyCount: 2 })).status).toBe(200);
    });

    const age = (userId: string, days: number) =>
      db.query(`UPDATE users SET password_changed_at = now() - make_interval(days => $2) WHERE id = $1`, [
        userId,
        days,
      ]);

    async function passwordStep(username: string, password: string, agent = new BrowserlessAgent([REDIRECT_URI])) {
      const start = await startAuthorization(config, { scope: 'openid' });
      const login = await agent.navigate(start.url.href);
      const form = parseForm(login.html, login.url);
      const page = await agent.navigate(form.action, { form: { ...form.fields, username, password } });
      const tokens = (stoppedAt: string) =>
        oidc.authorizationCodeGrant(config, new URL(stoppedAt), {
          pkceCodeVerifier: start.verifier,
          expectedState: start.state,
          expectedNonce: start.nonce,
        });
      return { agent, page, tokens };
    }

    const submit = (
      flow: { agent: BrowserlessAgent },
      page: { html: string; url: string },
      fields: Record<string, string>,
    ) => {
      const form = parseForm(page.html, page.url);
      return flow.agent.navigate(form.action, { form: { ...form.fields, ...fields } });
    };

    it('a password younger than the limit signs in as usual', async () => {
      await age(acme.user.id, 29);
      expect((await passwordStep(acme.user.username, C)).page.stoppedAt).toBeDefined();
    });

    it('an expired password: a new one is asked for before the sign-in goes on, under the policy and history', async () => {
      const earlier = await signInForTokens(acme, { client: 'web', password: C });
      await age(acme.user.id, 31);
      const flow = await passwordStep(acme.user.username, C);
      expect(flow.page.stoppedAt).toBeUndefined();
      expect(flow.page.html).toContain('Your password has expired');
      expect(flow.page.html).toContain('name="newPassword"');
      expect(flow.page.html).not.toContain('name="password"');
      const mismatch = await submit(flow, flow.page, { newPassword: D, confirmPassword: `${D}x` });
      expect(mismatch.status).toBe(400);
      expect(mismatch.html).toContain('The two passwords are not the same.');
      const sameAgain = await submit(flow, mismatch, { newPassword: C, confirmPassword: C });
      expect(sameAgain.status).toBe(400);
      const weak = await submit(flow, sameAgain, { newPassword: 'short', confirmPassword: 'short' });
      expect(weak.html).toContain('Password must be at least 12 characters');
      const done = await submit(flow, weak, { newPassword: D, confirmPassword: D });
      expect(done.stoppedAt).toBeDefined();
      expect((await flow.tokens(done.stoppedAt!)).claims()).toMatchObject({ sub: acme.user.id, amr: ['pwd'] });
      // The old password is gone, sessions from before ended; the new one signs in without asking again.
      expect(await canSignIn(acme, acme.user.username, C)).toBe(false);
      const refreshed = await fetch(`${acme.issuer}/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${acme.web.clientId}:${acme.web.clientSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: earlier.tokens.refresh_token! }),
      });
      expect(refreshed.status).toBe(400);
      expect((await passwordStep(acme.user.username, D)).page.stoppedAt).toBeDefined();
      const [event] = (await server.adminApi('GET', '/admin/tenants/acme/audit-events?type=password.changed')).body
        .items;
      expect(event.data).toMatchObject({ reason: 'expired' });
    });

    it('an account never changed since before ages from its creation', async () => {
      const created = await server.adminApi('POST', '/admin/tenants/acme/users', {
        username: 'legacy',
        password: PASSWORD,
      });
      await db.query(
        `UPDATE users SET password_changed_at = NULL, created_at = now() - interval '40 days' WHERE id = $1`,
        [created.body.id],
      );
      expect((await passwordStep('legacy', PASSWORD)).page.html).toContain('Your password has expired');
    });

    it('with a second factor the new password is asked for only after it; a passkey sign-in is not asked at all', async () => {
      const created = await server.adminApi('POST', '/admin/tenants/acme/users', {
        username: 'keyed',
        password: PASSWORD,
      });
      const token = (await signInForTokens(acme, { client: 'spa', scope: 'openid', username: 'keyed' })).tokens
        .access_token;
      const authenticator = new SoftwareAuthenticator();
      const origin = new URL(server.publicUrl).origin;
      expect((await registerThroughAccount(acme.issuer, token, authenticator, origin)).status).toBe(201);
      await age(created.body.id, 365);

      const flow = await passwordStep('keyed', PASSWORD);
      expect(flow.page.html).toContain('Two-step verification');
      const afterFactor = await pressPasskeyButton(flow.agent, flow.page, (o) =>
        authenticator.getAssertion(o, { origin }),
      );
      expect(afterFactor.html).toContain('Your password has expired');

      const start = await startAuthorization(config, { scope: 'openid' });
      const agent = new BrowserlessAgent([REDIRECT_URI]);
      const login = await agent.navigate(start.url.href);
      const passkeyOnly = await pressPasskeyButton(agent, login, (o) => authenticator.getAssertion(o, { origin }));
      expect(passkeyOnly.stoppedAt).toBeDefined();
    });
  });
});
