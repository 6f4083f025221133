import { startTestServer, type TestServer } from '@app/testing';
import { createResourceServer, type ResourceServerOptions } from '@idp/resource-server';
import type { Server } from 'node:http';
import { clientCredentials, decodeJwt, introspect, revoke } from './oidc-flows.js';
import { type ApiTenant, callApi, provisionApiTenant, serviceToken, userTokens } from './resource-server-fixture.js';
import { expressApi, listen } from './resource-server-apis.js';

describe('@idp/resource-server in an Express API, against the real server', () => {
  let server: TestServer;
  let acme: ApiTenant;
  const apis: Server[] = [];

  /** An Express API for acme's resource, with `options` on top. */
  async function startApi(options: Partial<ResourceServerOptions> = {}) {
    const started = await listen(
      expressApi(createResourceServer({ issuer: acme.issuer, audience: acme.api, ...options })),
    );
    apis.push(started.server);
    return started.url;
  }

  beforeAll(async () => {
    server = await startTestServer();
    acme = await provisionApiTenant(server, 'acme');
  });
  afterAll(async () => {
    await Promise.all(apis.map((api) => new Promise((resolve) => api.close(resolve))));
    await server?.close();
  });

  describe('middlewares', () => {
    let url: string;
    beforeAll(async () => {
      url = await startApi();
    });

    it('requireAuth puts the caller on req.auth, and answers 401/400 per RFC 6750 otherwise', async () => {
      const token = await serviceToken(acme, acme.clerk);
      expect((await callApi(`${url}/me`, token)).body).toMatchObject({ sub: acme.clerk.clientId, tenant: 'acme' });
      const missing = await callApi(`${url}/me`);
      expect([missing.status, missing.challenge, missing.body.error]).toEqual([
        401,
        `Bearer realm="${acme.api}"`,
        'unauthorized',
      ]);
      const malformed = await callApi(`${url}/me`, undefined, { authorization: 'Bearer a b' });
      expect([malformed.status, malformed.body.error]).toEqual([400, 'invalid_request']);
      expect((await callApi(`${url}/public`)).status).toBe(200);
    });

    it('permission and role middlewares let the right callers through and name what is missing', async () => {
      const clerk = await serviceToken(acme, acme.clerk);
      const manager = await serviceToken(acme, acme.manager);
      const cases: [string, string, string, number, string?][] = [
        ['GET', '/orders', clerk, 200],
        ['POST', '/orders', clerk, 403, 'missing permission orders:write'],
        ['POST', '/orders', manager, 201],
        ['GET', '/reports', clerk, 403, 'requires one of the permissions reports:read, orders:write'],
        ['GET', '/reports', manager, 200],
        ['GET', '/managers', clerk, 403, 'missing role order-manager'],
        ['GET', '/managers', manager, 200],
        ['GET', '/staff', clerk, 200],
      ];
      for (const [method, path, token, status, message] of cases) {
        const answer = await callApi(`${url}${path}`, token, { method });
        expect({ method, path, status: answer.status }).toEqual({ method, path, status });
        if (message) {
          expect(answer.body).toEqual({ error: 'insufficient_scope', message });
          expect(answer.challenge).toContain(`error="insufficient_scope", error_description="${message}"`);
        }
      }
    });

    it('optionalAuth lets anonymous callers through but refuses a bad token', async () => {
      expect((await callApi(`${url}/feed`)).body).toEqual({ caller: null });
      const { accessToken } = await userTokens(acme);
      expect((await callApi(`${url}/feed`, accessToken)).body).toEqual({ caller: acme.user.id });
      expect((await callApi(`${url}/feed`, 'not-a-token')).status).toBe(401);
    });

    it('a permission middleware without requireAuth before it fails closed', async () => {
      const answer = await callApi(`${url}/forgotten`, await serviceToken(acme, acme.clerk));
      expect(answer.status).toBe(401);
      expect(answer.text).not.toContain('leaked');
    });

    it('checks iss even when the signature verifies (keys pointed at, issuer mistyped)', async () => {
      const misconfigured = await startApi({ issuer: server.issuer('elsewhere'), jwksUri: `${acme.issuer}/jwks` });
      const answer = await callApi(`${misconfigured}/me`, await serviceToken(acme, acme.clerk));
      expect([answer.status, answer.body.message]).toEqual([401, 'the token was issued by another issuer']);
    });
  });

  describe('opaque tokens through introspection (RFC 7662)', () => {
    it('an opaque client-credentials token introspected with the credentials it was issued to', async () => {
      const token = (await clientCredentials(acme.issuer, acme.opaque)).body.access_token as string;
      expect(token.split('.')).toHaveLength(1);
      const url = await startApi({ ...acme.opaque, acceptTokensWithoutAudience: true });
      const answer = await callApi(`${url}/me`, token);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        sub: acme.opaque.clientId,
        clientId: acme.opaque.clientId,
        subjectType: 'client',
        tokenType: 'opaque',
        tenant: 'acme',
        claims: { active: true, client_id: acme.opaque.clientId, iss: acme.issuer, token_type: 'Bearer' },
      });
      expect(`${answer.text}`).not.toContain(token);
    });

    it('refuses an opaque token without audience by default, and without introspection credentials', async () => {
      const token = (await clientCredentials(acme.issuer, acme.opaque)).body.access_token as string;
      const strictAboutAudience = await startApi({ ...acme.opaque });
      expect((await callApi(`${strictAboutAudience}/me`, token)).body.message).toBe(
        'the token is not meant for this API (it has no audience)',
      );
      const jwtOnly = await startApi();
      expect((await callApi(`${jwtOnly}/me`, token)).body.message).toBe(
        'this API accepts JWT access tokens only (no introspection configured)',
      );
    });

    it("refuses a refresh token, another tenant's opaque token, and a made-up one", async () => {
      const url = await startApi({ ...acme.web, acceptTokensWithoutAudience: true });
      const { refreshToken } = await userTokens(acme);
      expect((await introspect(acme.issuer, refreshToken!, acme.web)).body.active).toBe(true);
      expect((await callApi(`${url}/me`, refreshToken)).body.message).toBe('the token is not an access token');

      const globex = await provisionApiTenant(server, 'globex');
      const foreign = (await clientCredentials(globex.issuer, globex.opaque)).body.access_token as string;
      for (const token of [foreign, 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']) {
        const answer = await callApi(`${url}/me`, token);
        expect([answer.status, answer.body.message]).toEqual([
          401,
          'the token is not active (expired, revoked or unknown)',
        ]);
      }
    });
  });

  describe('revocation: strict mode versus the cache window', () => {
    it('a revoked JWT is refused at once in strict mode, and accepted until it expires otherwise', async () => {
      const strict = await startApi({ ...acme.clerk, strict: true });
      const lax = await startApi({ ...acme.clerk });
      const token = await serviceToken(acme, acme.clerk);
      expect((await callApi(`${strict}/me`, token)).status).toBe(200);
      expect((await callApi(`${lax}/me`, token)).status).toBe(200);

      expect((await revoke(acme.issuer, token, acme.clerk)).status).toBe(200);
      const refused = await callApi(`${strict}/me`, token);
      expect([refused.status, refused.body.message]).toEqual([
        401,
        'the token is not active (expired, revoked or unknown)',
      ]);
      // The documented trade-off: without strict, a JWT is checked locally only, until its exp.
      expect((await callApi(`${lax}/me`, token)).status).toBe(200);
      expect(decodeJwt(token).exp! * 1000).toBeGreaterThan(Date.now());
    });

    it('a revoked opaque token: refused at once in strict mode, accepted within the cache window otherwise', async () => {
      const options = { ...acme.opaque, acceptTokensWithoutAudience: true };
      const strict = await startApi({ ...options, strict: true });
      const lax = await startApi({ ...options, introspectionCache: { activeSeconds: 60 } });
      const token = (await clientCredentials(acme.issuer, acme.opaque)).body.access_token as string;
      expect((await callApi(`${strict}/me`, token)).status).toBe(200);
      expect((await callApi(`${lax}/me`, token)).status).toBe(200);

      expect((await revoke(acme.issuer, token, acme.opaque)).status).toBe(200);
      expect((await callApi(`${strict}/me`, token)).status).toBe(401);
      expect((await callApi(`${lax}/me`, token)).status).toBe(200);
    });

    it('strict mode with credentials of another client refuses every token (the server answers only the token’s own client)', async () => {
      const strangerApi = await startApi({ ...acme.plain, strict: true });
      const answer = await callApi(`${strangerApi}/me`, await serviceToken(acme, acme.clerk));
      expect(answer.status).toBe(401);
    });
  });
});
