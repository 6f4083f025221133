import { startTestServer, type TestServer } from '@app/testing';
import {
  clientCredentials,
  PASSWORD,
  provisionTenant,
  signInForTokens,
  type TenantFixture,
  tokenRequest,
} from './oidc-flows.js';

describe('account API ({issuer}/account)', () => {
  let server: TestServer;
  let acme: TenantFixture;
  let globex: TenantFixture;

  beforeAll(async () => {
    server = await startTestServer();
    acme = await provisionTenant(server, 'acme');
    globex = await provisionTenant(server, 'globex');
  });
  afterAll(() => server?.close());

  const signedIn = async (tenant: TenantFixture, password = PASSWORD) =>
    (await signInForTokens(tenant, { password })).tokens;

  const account = async (
    tenant: TenantFixture,
    path: string,
    token?: string,
    init: { method?: string; body?: unknown } = {},
  ) => {
    const response = await fetch(`${tenant.issuer}/account${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(init.body ? { 'content-type': 'application/json' } : {}),
      },
      body: init.body ? JSON.stringify(init.body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

  const refreshes = async (tenant: TenantFixture, refreshToken: string) =>
    (
      await tokenRequest(
        tenant.issuer,
        { grant_type: 'refresh_token', refresh_token: refreshToken },
        { id: tenant.web.clientId, secret: tenant.web.clientSecret },
      )
    ).status === 200;

  it('shows the signed-in user their profile', async () => {
    const tokens = await signedIn(acme);
    const profile = await account(acme, '', tokens.access_token);
    expect(profile.status).toBe(200);
    expect(profile.body).toEqual({
      id: acme.user.id,
      username: acme.user.username,
      email: 'alice@acme.example',
      emailVerified: true,
      name: null,
      given_name: null,
      family_name: null,
      locale: null,
      picture: null,
    });
  });

  it('refuses no token, a service token and another tenant’s user token (401)', async () => {
    expect((await account(acme, '')).status).toBe(401);
    const service = (await clientCredentials(acme.issuer, acme.opaqueService)).body.access_token;
    expect((await account(acme, '', service)).status).toBe(401);
    const foreign = await signedIn(globex);
    expect((await account(acme, '', foreign.access_token)).status).toBe(401);
    expect((await account(globex, '', foreign.access_token)).status).toBe(200);
  });

  it('lists own sessions with the current one marked, and ends another', async () => {
    const here = await signedIn(acme);
    const elsewhere = await signedIn(acme);
    const listed = await account(acme, '/sessions', here.access_token);
    expect(listed.status).toBe(200);
    const current = listed.body.items.filter((s: { current: boolean }) => s.current);
    expect(current).toHaveLength(1);

    expect(listed.body.items.length).toBeGreaterThanOrEqual(2);
    // The other session belongs to `elsewhere`: ending it kills that device's refresh token only.
    const otherSession = (await account(acme, '/sessions', elsewhere.access_token)).body.items.find(
      (s: { current: boolean }) => s.current,
    );
    expect((await account(acme, `/sessions/${otherSession.id}`, here.access_token, { method: 'DELETE' })).status).toBe(
      204,
    );
    expect(await refreshes(acme, elsewhere.refresh_token!)).toBe(false);
    expect(await refreshes(acme, here.refresh_token!)).toBe(true);
    expect((await account(acme, '/sessions/not-mine', here.access_token, { method: 'DELETE' })).status).toBe(404);
  });

  it('changes the password: the current one is checked, the policy applies, other sessions end', async () => {
    const here = await signedIn(acme);
    const elsewhere = await signedIn(acme);
    const wrong = await account(acme, '/password', here.access_token, {
      method: 'POST',
      body: { currentPassword: 'not-it', newPassword: 'a-new-long-passphrase' },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toEqual({ error: 'invalid_request', message: 'the current password is not correct' });
    const weak = await account(acme, '/password', here.access_token, {
      method: 'POST',
      body: { currentPassword: PASSWORD, newPassword: 'short' },
    });
    expect(weak.status).toBe(400);

    const changed = await account(acme, '/password', here.access_token, {
      method: 'POST',
      body: { currentPassword: PASSWORD, newPassword: 'a-new-long-passphrase' },
    });
    expect(changed.status).toBe(204);
    expect(await refreshes(acme, elsewhere.refresh_token!)).toBe(false);
    expect(await refreshes(acme, here.refresh_token!)).toBe(true);
    await expect(signedIn(acme, PASSWORD)).rejects.toThrow();
    await expect(signedIn(acme, 'a-new-long-passphrase')).resolves.toBeDefined();
  });
});
