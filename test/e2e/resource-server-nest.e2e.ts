import { startTestServer, type TestServer } from '@app/testing';
import { ResourceServerModule } from '@idp/resource-server/nest';
import { type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { base64url, exportSPKI, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { createHmac } from 'node:crypto';
import { clientCredentials, decodeJwt, decodeProtectedHeader } from './oidc-flows.js';
import {
  type ApiTenant,
  baseUrlOf,
  callApi,
  provisionApiTenant,
  serviceToken,
  userTokens,
} from './resource-server-fixture.js';
import { LedgerController, OrdersController } from './resource-server-apis.js';

const API_SETTINGS = Symbol('API_SETTINGS');

describe('@idp/resource-server in a NestJS API, against the real server', () => {
  let server: TestServer;
  let acme: ApiTenant;
  let api: INestApplication;
  let url: string;

  beforeAll(async () => {
    server = await startTestServer();
    acme = await provisionApiTenant(server, 'acme');
    @Module({
      providers: [{ provide: API_SETTINGS, useValue: { issuer: acme.issuer, audience: acme.api } }],
      exports: [API_SETTINGS],
    })
    class SettingsModule {}
    @Module({
      imports: [
        ResourceServerModule.forRootAsync({
          imports: [SettingsModule],
          inject: [API_SETTINGS],
          useFactory: (settings: { issuer: string; audience: string }) => settings,
        }),
      ],
      controllers: [OrdersController, LedgerController],
    })
    class ApiModule {}
    api = await NestFactory.create(ApiModule, { logger: false });
    await api.listen(0, '127.0.0.1');
    url = baseUrlOf(api.getHttpServer());
  });
  afterAll(async () => {
    await api?.close();
    await server?.close();
  });

  describe('who may call', () => {
    it('a @Public() route answers without a token and does not even look at a bad one', async () => {
      expect((await callApi(`${url}/health`)).status).toBe(200);
      expect((await callApi(`${url}/health`, 'garbage')).status).toBe(200);
    });

    it('rfc6750 §3.1: without a token, 401 with a bare Bearer challenge (no error attribute)', async () => {
      const answer = await callApi(`${url}/orders`);
      expect(answer.status).toBe(401);
      expect(answer.challenge).toBe(`Bearer realm="${acme.api}"`);
      expect(answer.body).toEqual({ error: 'unauthorized', message: 'a bearer token is required' });
      // Another scheme is not a bearer token either.
      expect((await callApi(`${url}/orders`, undefined, { authorization: 'Basic dXNlcjpwYXNz' })).status).toBe(401);
    });

    it('rfc6750 §3.1: a malformed Authorization header is 400 invalid_request', async () => {
      for (const authorization of ['Bearer', 'Bearer two tokens', 'Bearer bad"chars']) {
        const answer = await callApi(`${url}/orders`, undefined, { authorization });
        expect(answer.status).toBe(400);
        expect(answer.challenge).toContain('error="invalid_request"');
        expect(answer.body.error).toBe('invalid_request');
      }
    });

    it('a client-credentials token: the principal is the client, with its scopes, roles and permissions', async () => {
      const token = await serviceToken(acme, acme.clerk);
      const answer = await callApi(`${url}/me`, token);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        sub: acme.clerk.clientId,
        clientId: acme.clerk.clientId,
        subjectType: 'client',
        tenant: 'acme',
        tokenType: 'jwt',
        roles: ['order-clerk'],
        permissions: ['orders:read'],
        claims: { iss: acme.issuer, aud: acme.api, client_id: acme.clerk.clientId },
      });
      // `roles` is an OpenID scope: it adds the claims but is not one of the API's scopes.
      expect(answer.body.scopes).toEqual(['read']);
      expect(new Date(answer.body.expiresAt).getTime()).toBe(decodeJwt(token).exp! * 1000);
    });

    it("a user's token: the principal is the user, signed in through the web app", async () => {
      const { accessToken } = await userTokens(acme);
      const answer = await callApi(`${url}/me`, accessToken);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        sub: acme.user.id,
        clientId: acme.web.clientId,
        subjectType: 'user',
        tenant: 'acme',
        roles: ['order-clerk'],
        permissions: ['orders:read'],
      });
    });

    it('@OptionalAuth(): anonymous callers get through, a sent token must still be valid', async () => {
      expect((await callApi(`${url}/feed`)).body).toEqual({ caller: null });
      const token = await serviceToken(acme, acme.plain, 'read');
      expect((await callApi(`${url}/feed`, token)).body).toEqual({ caller: acme.plain.clientId });
      const forged = await callApi(`${url}/feed`, `${token.slice(0, -4)}AAAA`);
      expect(forged.status).toBe(401);
      expect(forged.challenge).toContain('error="invalid_token"');
    });
  });

  describe('what they may do', () => {
    it('403 insufficient_scope names the missing permission, in the challenge and the body', async () => {
      const clerk = await serviceToken(acme, acme.clerk);
      expect((await callApi(`${url}/orders`, clerk)).status).toBe(200);
      const refused = await callApi(`${url}/orders`, clerk, { method: 'POST' });
      expect(refused.status).toBe(403);
      expect(refused.challenge).toBe(
        `Bearer realm="${acme.api}", error="insufficient_scope", error_description="missing permission orders:write"`,
      );
      expect(refused.body).toEqual({ error: 'insufficient_scope', message: 'missing permission orders:write' });
      const manager = await serviceToken(acme, acme.manager);
      expect((await callApi(`${url}/orders`, manager, { method: 'POST' })).status).toBe(201);
    });

    it('a token without the roles scope carries no permissions, so permission routes refuse it', async () => {
      const token = await serviceToken(acme, acme.manager, 'read');
      const refused = await callApi(`${url}/orders`, token);
      expect(refused.status).toBe(403);
      expect(refused.body.message).toBe('missing permission orders:read');
    });

    it('@RequireAnyPermission and @RequireAnyRole need one of the listed', async () => {
      const clerk = await serviceToken(acme, acme.clerk);
      const manager = await serviceToken(acme, acme.manager);
      const refused = await callApi(`${url}/reports`, clerk);
      expect(refused.status).toBe(403);
      expect(refused.body.message).toBe('requires one of the permissions reports:read, orders:write');
      expect((await callApi(`${url}/reports`, manager)).status).toBe(200);
      expect((await callApi(`${url}/staff`, clerk)).status).toBe(200);
      const plain = await serviceToken(acme, acme.plain);
      expect((await callApi(`${url}/staff`, plain)).body.message).toBe(
        'requires one of the roles order-clerk, order-manager',
      );
    });

    it('stacked decorators and class-level requirements all apply', async () => {
      const clerk = await serviceToken(acme, acme.clerk);
      const manager = await serviceToken(acme, acme.manager);
      expect((await callApi(`${url}/stacked`, clerk)).body.message).toBe('missing permission orders:write');
      expect((await callApi(`${url}/stacked`, manager)).status).toBe(200);
      expect((await callApi(`${url}/ledger`, clerk)).body.message).toBe('missing role order-manager');
      expect((await callApi(`${url}/ledger`, manager)).status).toBe(200);
      expect((await callApi(`${url}/ledger/close`, manager)).body.message).toBe('missing permission ledger:close');
    });

    it('@RequireScope checks OAuth scopes and names them in the challenge', async () => {
      const reader = await serviceToken(acme, acme.plain, 'read');
      const refused = await callApi(`${url}/writes`, reader);
      expect(refused.status).toBe(403);
      expect(refused.challenge).toContain('scope="write"');
      expect((await callApi(`${url}/writes`, await serviceToken(acme, acme.plain, 'read write'))).status).toBe(200);
    });
  });

  describe('tokens it refuses (401 invalid_token, the token never echoed)', () => {
    async function refused(token: string, description: string) {
      const answer = await callApi(`${url}/me`, token);
      expect(answer.status).toBe(401);
      expect(answer.challenge).toBe(
        `Bearer realm="${acme.api}", error="invalid_token", error_description="${description}"`,
      );
      expect(answer.body).toEqual({ error: 'invalid_token', message: description });
      expect(`${answer.text}${answer.challenge}`).not.toContain(token);
    }

    it('an expired token', async () => {
      const token = await serviceToken(acme, acme.clerk);
      const exp = decodeJwt(token).exp!;
      // Only Date is faked: the API sees the token after its expiry (plus the 5 s skew), nothing else changes.
      jest.useFakeTimers({
        doNotFake: [
          'hrtime',
          'nextTick',
          'performance',
          'queueMicrotask',
          'setImmediate',
          'clearImmediate',
          'setInterval',
          'clearInterval',
          'setTimeout',
          'clearTimeout',
        ],
        now: (exp + 6) * 1000,
      });
      try {
        await refused(token, 'the token has expired');
      } finally {
        jest.useRealTimers();
      }
      expect((await callApi(`${url}/me`, token)).status).toBe(200);
    });

    it('a token for another API of the same tenant', async () => {
      const billing = 'https://billing.acme.example';
      await server.adminApi('POST', '/admin/tenants/acme/resources', {
        identifier: billing,
        name: 'Billing',
        scopes: ['read'],
      });
      const both = await server.adminApi('POST', '/admin/tenants/acme/clients', {
        name: 'two APIs',
        applicationType: 'service',
        resources: [acme.api, billing],
      });
      const token = (await clientCredentials(acme.issuer, both.body, { resource: billing, scope: 'read' })).body
        .access_token;
      expect(decodeJwt(token).aud).toBe(billing);
      await refused(token, 'the token is not meant for this API');
    });

    it("another tenant's token, even for an API of the same identifier: its key is not this issuer's", async () => {
      const globex = await provisionApiTenant(server, 'globex', acme.api);
      const foreign = await serviceToken(globex, globex.manager);
      expect(decodeJwt(foreign)).toMatchObject({ aud: acme.api, iss: globex.issuer });
      await refused(foreign, 'the token is signed by an unknown key');
      // The system tenant's admin token: same server, another issuer and audience.
      await refused(await server.adminToken(), 'the token is signed by an unknown key');
    });

    it('an ID token (typ JWT) presented as an access token', async () => {
      const { idToken } = await userTokens(acme);
      await refused(idToken, 'the token is not a JWT access token (typ at+jwt)');
    });

    it('forgeries: alg none, HS256 keyed with the public key, an unknown key, a tampered payload', async () => {
      const genuine = await serviceToken(acme, acme.clerk);
      const [header, payload, signature] = genuine.split('.');
      const claims = { ...decodeJwt(genuine), permissions: ['orders:read', 'orders:write'] };
      const elevated = base64url.encode(JSON.stringify(claims));

      const none = base64url.encode(JSON.stringify({ alg: 'none', typ: 'at+jwt' }));
      await refused(`${none}.${payload}.`, 'the token is not signed with RS256');

      const jwks = (await (await fetch(`${acme.issuer}/jwks`)).json()) as { keys: JWK[] };
      const publicPem = await exportSPKI((await importJWK(jwks.keys[0], 'RS256', { extractable: true })) as never);
      const hsHeader = base64url.encode(
        JSON.stringify({ alg: 'HS256', typ: 'at+jwt', kid: decodeProtectedHeader(genuine).kid }),
      );
      const mac = createHmac('sha256', publicPem).update(`${hsHeader}.${elevated}`).digest('base64url');
      await refused(`${hsHeader}.${elevated}.${mac}`, 'the token is not signed with RS256');

      const { privateKey } = await generateKeyPair('RS256');
      const strangers = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'not-ours' })
        .sign(privateKey);
      await refused(strangers, 'the token is signed by an unknown key');

      await refused(`${header}.${elevated}.${signature}`, 'the token signature is invalid');
    });
  });
});
