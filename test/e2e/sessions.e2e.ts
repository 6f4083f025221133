import { startTestServer, type TestServer } from '@app/testing';
import {
  introspect,
  provisionTenant,
  signInForTokens,
  startAuthorization,
  type TenantFixture,
  tokenRequest,
} from './oidc-flows.js';

describe('sign-in sessions (admin view)', () => {
  let server: TestServer;
  let acme: TenantFixture;
  const api = (method: string, path: string) => server.adminApi(method, path);
  const sessionsPath = () => `/admin/tenants/acme/users/${acme.user.id}/sessions`;

  beforeAll(async () => {
    server = await startTestServer();
    acme = await provisionTenant(server, 'acme');
  });
  afterAll(() => server?.close());

  /** A browser that signed in to the web client, and the tokens it got. */
  const signedInBrowser = () => signInForTokens(acme);

  const refresh = (token: string) =>
    tokenRequest(
      acme.issuer,
      { grant_type: 'refresh_token', refresh_token: token },
      { id: acme.web.clientId, secret: acme.web.clientSecret },
    );

  it('lists a signed-in session with its clients and device; ending it kills its tokens and the browser session', async () => {
    const { agent, config, tokens } = await signedInBrowser();
    const listed = await api('GET', sessionsPath());
    expect(listed.status).toBe(200);
    expect(listed.body.items).toHaveLength(1);
    const [session] = listed.body.items;
    expect(session).toMatchObject({ id: expect.any(String), clients: [acme.web.clientId], ip: expect.any(String) });
    expect(session.userAgent).toEqual(expect.any(String));

    expect((await api('DELETE', `${sessionsPath()}/${session.id}`)).status).toBe(204);
    expect((await api('GET', sessionsPath())).body.items).toEqual([]);
    expect((await refresh(tokens.refresh_token!)).body.error).toBe('invalid_grant');
    expect((await introspect(acme.issuer, tokens.access_token, acme.web)).body.active).toBe(false);
    const again = await agent.navigate((await startAuthorization(config)).url.href);
    expect(again.html).toContain('name="password"');
  });

  it('signs out everywhere', async () => {
    const first = await signedInBrowser();
    const second = await signedInBrowser();
    expect((await api('GET', sessionsPath())).body.items).toHaveLength(2);
    expect((await api('DELETE', sessionsPath())).status).toBe(204);
    expect((await api('GET', sessionsPath())).body.items).toEqual([]);
    for (const { tokens } of [first, second])
      expect((await refresh(tokens.refresh_token!)).body.error).toBe('invalid_grant');
  });

  it('answers 404 for an unknown session or user', async () => {
    expect((await api('DELETE', `${sessionsPath()}/no-such-session`)).status).toBe(404);
    expect((await api('GET', '/admin/tenants/acme/users/00000000-0000-0000-0000-000000000000/sessions')).status).toBe(
      404,
    );
  });
});
