import { TenantProvisioningService } from '@app/provisioning';
import { startCuttableProxy, startTestServer, type TestServer } from '@app/testing';
import { createResourceServer, type IssuerUnavailableError, type ResourceServerOptions } from '@idp/resource-server';
import { generateKeyPair, SignJWT } from 'jose';
import type { Server } from 'node:http';
import { clientCredentials, decodeJwt, decodeProtectedHeader } from './oidc-flows.js';
import { expressApi, listen } from './resource-server-apis.js';
import { type ApiTenant, callApi, provisionApiTenant, serviceToken } from './resource-server-fixture.js';

/** The issuer's side of an API's life: its signing keys rotate, and it goes away for a while. */
describe('@idp/resource-server while the issuer rotates keys or is unreachable', () => {
  let server: TestServer;
  let acme: ApiTenant;
  const apis: Server[] = [];

  /** An API whose calls to the issuer go through `fetch`, counted per URL path. */
  async function startApi(options: Partial<ResourceServerOptions> = {}) {
    const calls: string[] = [];
    const counting: typeof fetch = (input, init) => {
      calls.push(new URL(String(input)).pathname);
      return fetch(input, init);
    };
    const resourceServer = createResourceServer({
      issuer: acme.issuer,
      audience: acme.api,
      fetch: counting,
      ...options,
    });
    const started = await listen(expressApi(resourceServer));
    apis.push(started.server);
    return { url: started.url, keySetFetches: () => calls.filter((path) => path.endsWith('/jwks')).length };
  }

  async function strangersToken(claims: Record<string, unknown>, kid: string) {
    const { privateKey } = await generateKeyPair('RS256');
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid }).sign(privateKey);
  }

  beforeAll(async () => {
    server = await startTestServer();
    acme = await provisionApiTenant(server, 'acme');
  });
  afterAll(async () => {
    await Promise.all(apis.map((api) => new Promise((resolve) => api.close(resolve))));
    await server?.close();
  });

  describe('key rotation while the API runs', () => {
    it('a token signed with the new key makes the API fetch the keys again; earlier tokens stay valid', async () => {
      const api = await startApi({ jwksCooldownSeconds: 1 });
      const before = await serviceToken(acme, acme.clerk);
      expect((await callApi(`${api.url}/me`, before)).status).toBe(200);
      expect(api.keySetFetches()).toBe(1);

      const newKid = await server.server.app.get(TenantProvisioningService).rotateKeys('acme');
      const after = await serviceToken(acme, acme.clerk);
      expect(decodeProtectedHeader(after).kid).toBe(newKid);
      // Past the (one second) cooldown since the last fetch, an unknown kid triggers a refetch.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await callApi(`${api.url}/me`, after)).status).toBe(200);
      expect(api.keySetFetches()).toBe(2);
      expect((await callApi(`${api.url}/me`, before)).status).toBe(200);
      expect(api.keySetFetches()).toBe(2);
    });

    it('within the cooldown, unknown kids do not reach the issuer — so forged kids cannot make the API hammer it', async () => {
      const api = await startApi();
      const token = await serviceToken(acme, acme.clerk);
      expect((await callApi(`${api.url}/me`, token)).status).toBe(200);
      for (const kid of ['forged-1', 'forged-2', 'forged-3']) {
        const answer = await callApi(`${api.url}/me`, await strangersToken(decodeJwt(token), kid));
        expect([answer.status, answer.body.message]).toEqual([401, 'the token is signed by an unknown key']);
      }
      expect(api.keySetFetches()).toBe(1);
      // The price of the cooldown (30 s by default): a key rotated in right after a fetch is
      // refused until the cooldown ends.
      await server.server.app.get(TenantProvisioningService).rotateKeys('acme');
      const rotated = await callApi(`${api.url}/me`, await serviceToken(acme, acme.clerk));
      expect([rotated.status, rotated.body.message]).toEqual([401, 'the token is signed by an unknown key']);
    });
  });

  describe('an unreachable issuer is a 503, never a 500 or a 401', () => {
    let proxy: Awaited<ReturnType<typeof startCuttableProxy>>;
    let throughProxy: string;

    beforeAll(async () => {
      proxy = await startCuttableProxy({ host: '127.0.0.1', port: Number(new URL(server.url).port) });
      // The API reaches the issuer through a proxy the test cuts: a real outage, not a mock.
      throughProxy = `http://127.0.0.1:${proxy.port}/t/acme`;
    });
    afterAll(() => proxy?.close());
    afterEach(() => proxy.restore());

    async function expectUnavailable(url: string, token: string) {
      const answer = await callApi(`${url}/me`, token);
      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).toBe('5');
      expect(answer.body).toEqual({ error: 'temporarily_unavailable', message: expect.any(String) });
      expect(answer.text).not.toContain(token);
    }

    it('keys already fetched keep JWTs working; a new kid during the outage is 503, and it heals', async () => {
      const reasons: IssuerUnavailableError[] = [];
      const api = await startApi({
        jwksUri: `${throughProxy}/jwks`,
        jwksCooldownSeconds: 0,
        onIssuerUnavailable: (error) => reasons.push(error),
      });
      const token = await serviceToken(acme, acme.clerk);
      expect((await callApi(`${api.url}/me`, token)).status).toBe(200);

      proxy.cut();
      expect((await callApi(`${api.url}/me`, token)).status).toBe(200);
      await expectUnavailable(api.url, await strangersToken(decodeJwt(token), 'rotated-in-during-outage'));
      expect(reasons.map((reason) => reason.message)).toEqual(["the token issuer's key set cannot be reached"]);
      expect(JSON.stringify(reasons.map((reason) => String(reason.cause)))).not.toContain(token);

      proxy.restore();
      expect((await callApi(`${api.url}/me`, token)).status).toBe(200);
    });

    it('a first request while the key set is unreachable is 503', async () => {
      const api = await startApi({ jwksUri: `${throughProxy}/jwks` });
      proxy.cut();
      await expectUnavailable(api.url, await serviceToken(acme, acme.clerk));
    });

    it('strict mode and opaque tokens need introspection: 503 while it is unreachable', async () => {
      const strict = await startApi({
        ...acme.clerk,
        strict: true,
        jwksUri: `${throughProxy}/jwks`,
        introspectionEndpoint: `${throughProxy}/token/introspection`,
      });
      const opaqueApi = await startApi({
        ...acme.opaque,
        acceptTokensWithoutAudience: true,
        introspectionEndpoint: `${throughProxy}/token/introspection`,
      });
      const jwt = await serviceToken(acme, acme.clerk);
      const opaque = (await clientCredentials(acme.issuer, acme.opaque)).body.access_token as string;
      expect((await callApi(`${strict.url}/me`, jwt)).status).toBe(200);

      proxy.cut();
      await expectUnavailable(strict.url, jwt);
      await expectUnavailable(opaqueApi.url, opaque);
      proxy.restore();
      expect((await callApi(`${strict.url}/me`, jwt)).status).toBe(200);
      expect((await callApi(`${opaqueApi.url}/me`, opaque)).status).toBe(200);
    });

    it('introspection refusing the API’s own credentials is the operator’s problem: 503, not 401', async () => {
      const reasons: IssuerUnavailableError[] = [];
      const api = await startApi({
        clientId: acme.opaque.clientId,
        clientSecret: 'not-the-secret',
        acceptTokensWithoutAudience: true,
        onIssuerUnavailable: (error) => reasons.push(error),
      });
      const opaque = (await clientCredentials(acme.issuer, acme.opaque)).body.access_token as string;
      await expectUnavailable(api.url, opaque);
      expect(String(reasons[0].cause)).toContain('introspection answered HTTP 401');
    });
  });
});
