import { startTestServer, type TestServer } from '@app/testing';
import { decodeJwt, provisionTenant, signInForTokens, type TenantFixture, tokenRequest } from './oidc-flows.js';

/** Tenant settings that shape tokens: refresh reuse grace window, roles in ID tokens. */
describe('token settings of a tenant', () => {
  let server: TestServer;
  let acme: TenantFixture;
  const api = (method: string, path: string, body?: unknown) => server.adminApi(method, path, body);
  const refresh = (refreshToken: string) =>
    tokenRequest(
      acme.issuer,
      { grant_type: 'refresh_token', refresh_token: refreshToken },
      { id: acme.web.clientId, secret: acme.web.clientSecret },
    );
  const settings = async (changes: Record<string, unknown>) =>
    expect((await api('PATCH', '/admin/tenants/acme', { settings: changes })).status).toBe(200);

  beforeAll(async () => {
    server = await startTestServer();
    acme = await provisionTenant(server, 'acme');
  });
  afterAll(() => server?.close());

  describe('refresh token reuse grace window (RFC 9700 §4.14.2)', () => {
    afterEach(() => settings({ refreshTokenReuseGraceSeconds: 0 }));

    it('defaults to 0 s', async () => {
      expect((await api('GET', '/admin/tenants/acme')).body.settings.refreshTokenReuseGraceSeconds).toBe(0);
    });

    it('within the window a rotated token is honoured once more and the grant survives', async () => {
      await settings({ refreshTokenReuseGraceSeconds: 30 });
      const { tokens } = await signInForTokens(acme);
      const second = await refresh(tokens.refresh_token!);
      expect(second.status).toBe(200);

      // The first response was "lost": the client retries with the token it still has.
      const retry = await refresh(tokens.refresh_token!);
      expect(retry.status).toBe(200);
      expect(retry.body.refresh_token).not.toBe(second.body.refresh_token);
      expect((await refresh(second.body.refresh_token)).status).toBe(200);
      expect((await refresh(retry.body.refresh_token)).status).toBe(200);
    });

    it('after the window, reuse revokes the whole grant as without one', async () => {
      await settings({ refreshTokenReuseGraceSeconds: 1 });
      const { tokens } = await signInForTokens(acme);
      const second = await refresh(tokens.refresh_token!);
      expect(second.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 2_100));

      const replay = await refresh(tokens.refresh_token!);
      expect(replay.status).toBe(400);
      expect(replay.body.error).toBe('invalid_grant');
      expect((await refresh(second.body.refresh_token)).body.error).toBe('invalid_grant');
    });

    it('retries within the window cannot stretch it: it counts from the first use', async () => {
      await settings({ refreshTokenReuseGraceSeconds: 2 });
      const { tokens } = await signInForTokens(acme);
      expect((await refresh(tokens.refresh_token!)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      expect((await refresh(tokens.refresh_token!)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect((await refresh(tokens.refresh_token!)).body.error).toBe('invalid_grant');
    });

    it.each([[-1], [301], ['5']])('refuses a window of %p', async (value) => {
      const response = await api('PATCH', '/admin/tenants/acme', {
        settings: { refreshTokenReuseGraceSeconds: value },
      });
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('invalid_request');
    });
  });

  describe('roles in the ID token', () => {
    beforeAll(async () => {
      expect((await api('PUT', `/admin/tenants/acme/users/${acme.user.id}/roles`, { roles: ['viewer'] })).status).toBe(
        200,
      );
    });

    it('by default roles reach userinfo with the roles scope, not the ID token', async () => {
      const { tokens } = await signInForTokens(acme, { client: 'spa', scope: 'openid roles' });
      const claims = decodeJwt(tokens.id_token!);
      expect(claims.roles).toBeUndefined();
      expect(claims.permissions).toBeUndefined();
    });

    it('when the tenant turns it on, the ID token carries roles and permissions for the roles scope only', async () => {
      await settings({ rolesInIdToken: true });
      const withRoles = decodeJwt(
        (await signInForTokens(acme, { client: 'spa', scope: 'openid roles' })).tokens.id_token!,
      );
      expect(withRoles.roles).toEqual(expect.arrayContaining(['viewer', 'guest']));
      expect(withRoles.permissions).toEqual(expect.any(Array));

      const withoutScope = decodeJwt(
        (await signInForTokens(acme, { client: 'spa', scope: 'openid' })).tokens.id_token!,
      );
      expect(withoutScope.roles).toBeUndefined();
      expect(withoutScope.permissions).toBeUndefined();
    });
  });
});
