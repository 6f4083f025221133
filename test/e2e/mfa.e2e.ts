import { BrowserlessAgent, parseForm, startTestServer, type TestServer } from '@app/testing';
import { Secret, TOTP } from 'otpauth';
import {
  decodeJwt,
  discover,
  oidc,
  PASSWORD,
  provisionTenant,
  REDIRECT_URI,
  startAuthorization,
  type TenantFixture,
} from './oidc-flows.js';

describe('TOTP second factor', () => {
  let server: TestServer;
  let acme: TenantFixture;
  let config: oidc.Configuration;

  beforeAll(async () => {
    server = await startTestServer();
    acme = await provisionTenant(server, 'acme');
    config = await discover(acme.issuer, acme.spa.clientId);
  });
  afterAll(() => server?.close());

  /** Password step; returns the page that follows (the code form when the user has TOTP) and the flow. */
  async function passwordStep() {
    const start = await startAuthorization(config, { scope: 'openid' });
    const agent = new BrowserlessAgent([REDIRECT_URI]);
    const login = await agent.navigate(start.url.href);
    const form = parseForm(login.html, login.url);
    const next = await agent.navigate(form.action, {
      form: { ...form.fields, username: acme.user.username, password: PASSWORD },
    });
    return { agent, start, page: next };
  }

  async function submitCode(flow: Awaited<ReturnType<typeof passwordStep>>, code: string) {
    const form = parseForm(flow.page.html, flow.page.url);
    flow.page = await flow.agent.navigate(form.action, { form: { ...form.fields, code } });
    return flow.page;
  }

  async function tokensFrom(flow: Awaited<ReturnType<typeof passwordStep>>) {
    return oidc.authorizationCodeGrant(config, new URL(flow.page.stoppedAt!), {
      pkceCodeVerifier: flow.start.verifier,
      expectedState: flow.start.state,
      expectedNonce: flow.start.nonce,
    });
  }

  const account = async (path: string, token: string, method = 'POST', body?: unknown) => {
    const response = await fetch(`${acme.issuer}/account${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

  const codeAt = (secret: string, offsetSeconds = 0) =>
    new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: Date.now() + offsetSeconds * 1000 });

  let secret: string;
  let recoveryCodes: string[];

  it('enrolls: secret, otpauth URI and QR code first; active only after a valid code', async () => {
    const flow = await passwordStep();
    const token = (await tokensFrom(flow)).access_token;
    const enrollment = await account('/mfa/totp', token);
    expect(enrollment.status).toBe(201);
    expect(enrollment.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/.+secret=[A-Z2-7]+/);
    expect(enrollment.body.qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);
    secret = enrollment.body.secret;

    // Not active yet: the password alone still signs in.
    expect((await passwordStep()).page.stoppedAt).toBeDefined();

    expect((await account('/mfa/totp/verify', token, 'POST', { code: '000000' })).status).toBe(400);
    const verified = await account('/mfa/totp/verify', token, 'POST', { code: codeAt(secret) });
    expect(verified.status).toBe(200);
    recoveryCodes = verified.body.recoveryCodes;
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
  });

  it('asks for the code after the password; a wrong code re-renders with a message', async () => {
    const flow = await passwordStep();
    expect(flow.page.stoppedAt).toBeUndefined();
    expect(flow.page.html).toContain('name="code"');
    const wrong = await submitCode(flow, '123456');
    expect(wrong.status).toBe(401);
    expect(wrong.html).toContain('That code did not work');
    // The next time step (within the accepted window) signs in; amr says what was done.
    await submitCode(flow, codeAt(secret, 30));
    const tokens = await tokensFrom(flow);
    expect(tokens.claims()!.amr).toEqual(['pwd', 'otp']);
    expect(tokens.claims()!.acr).toBe('urn:idp:acr:mfa');
  });

  it('refuses a replayed code', async () => {
    const flow = await passwordStep();
    const replay = await submitCode(flow, codeAt(secret, 30));
    expect(replay.status).toBe(401);
    expect(replay.stoppedAt).toBeUndefined();
  });

  it('accepts a recovery code exactly once', async () => {
    const first = await passwordStep();
    await submitCode(first, recoveryCodes[0]);
    expect(first.page.stoppedAt).toBeDefined();
    expect(decodeJwt((await tokensFrom(first)).id_token!).amr).toContain('otp');
    const again = await passwordStep();
    expect((await submitCode(again, recoveryCodes[0])).status).toBe(401);
  });

  it('limits wrong codes: 429 with Retry-After, and then even a right code is refused', async () => {
    const flow = await passwordStep();
    // Earlier tests already spent some of the five allowed failures in this window.
    const statuses: number[] = [];
    for (let i = 0; i < 5 && statuses.at(-1) !== 429; i++) statuses.push((await submitCode(flow, '000000')).status);
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    const form = parseForm(flow.page.html, flow.page.url);
    const blocked = await flow.agent.request(form.action, { form: { ...form.fields, code: recoveryCodes[1] } });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('an admin reset removes the factor', async () => {
    expect((await server.adminApi('DELETE', `/admin/tenants/acme/users/${acme.user.id}/mfa`)).status).toBe(204);
    expect((await passwordStep()).page.stoppedAt).toBeDefined();
  });
});

describe('second factor required at sign-in', () => {
  let server: TestServer;
  let tenant: TenantFixture;

  beforeAll(async () => {
    server = await startTestServer();
    tenant = await provisionTenant(server, 'strict');
  });
  afterAll(() => server?.close());

  async function signInExpectingEnrollment(params: Record<string, string> = {}) {
    const config = await discover(tenant.issuer, tenant.spa.clientId);
    const start = await startAuthorization(config, { scope: 'openid', ...params });
    const agent = new BrowserlessAgent([REDIRECT_URI]);
    const login = await agent.navigate(start.url.href);
    const form = parseForm(login.html, login.url);
    const page = await agent.navigate(form.action, {
      form: { ...form.fields, username: tenant.user.username, password: PASSWORD },
    });
    return { config, start, agent, page };
  }

  it('a client asking acr_values=urn:idp:acr:mfa makes a user without a factor enroll before tokens are issued', async () => {
    const flow = await signInExpectingEnrollment({ acr_values: 'urn:idp:acr:mfa' });
    expect(flow.page.stoppedAt).toBeUndefined();
    expect(flow.page.html).toContain('Set up two-step verification');
    expect(flow.page.html).toMatch(/<img class="qr" src="data:image\/png;base64,/);
    const secret = /<code>([A-Z2-7]+)<\/code>/.exec(flow.page.html)![1];

    const wrongForm = parseForm(flow.page.html, flow.page.url);
    const wrong = await flow.agent.navigate(wrongForm.action, { form: { ...wrongForm.fields, code: '000000' } });
    expect(wrong.status).toBe(401);
    const freshSecret = /<code>([A-Z2-7]+)<\/code>/.exec(wrong.html)![1];
    expect(freshSecret).not.toBe(secret);

    const codeForm = parseForm(wrong.html, wrong.url);
    const code = new TOTP({ secret: Secret.fromBase32(freshSecret) }).generate();
    const codesPage = await flow.agent.navigate(codeForm.action, { form: { ...codeForm.fields, code } });
    expect(codesPage.html).toContain('Save your recovery codes');
    expect(codesPage.html.match(/<li><code>/g)).toHaveLength(10);

    const doneForm = parseForm(codesPage.html, codesPage.url);
    const done = await flow.agent.navigate(doneForm.action, { form: doneForm.fields });
    expect(done.stoppedAt).toBeDefined();
    const tokens = await oidc.authorizationCodeGrant(flow.config, new URL(done.stoppedAt!), {
      pkceCodeVerifier: flow.start.verifier,
      expectedState: flow.start.state,
      expectedNonce: flow.start.nonce,
    });
    expect(tokens.claims()!.amr).toEqual(['pwd', 'otp']);
    expect(tokens.claims()!.acr).toBe('urn:idp:acr:mfa');
  });

  it('the tenant setting makes every user without a factor enroll', async () => {
    const created = await server.adminApi('POST', '/admin/tenants/strict/users', {
      username: 'harry',
      password: PASSWORD,
    });
    expect(created.status).toBe(201);
    expect((await server.adminApi('PATCH', '/admin/tenants/strict', { settings: { mfaRequired: true } })).status).toBe(
      200,
    );
    const config = await discover(tenant.issuer, tenant.spa.clientId);
    const start = await startAuthorization(config, { scope: 'openid' });
    const agent = new BrowserlessAgent([REDIRECT_URI]);
    const login = await agent.navigate(start.url.href);
    const form = parseForm(login.html, login.url);
    const page = await agent.navigate(form.action, { form: { ...form.fields, username: 'harry', password: PASSWORD } });
    expect(page.stoppedAt).toBeUndefined();
    expect(page.html).toContain('Set up two-step verification');
  });
});
