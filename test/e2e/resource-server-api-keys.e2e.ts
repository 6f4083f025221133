import { startTestServer, type TestServer } from '@app/testing';
import { createResourceServer, type ResourceServerOptions } from '@idp/resource-server';
import type { Server } from 'node:http';
import { introspect } from './oidc-flows.js';
import { expressApi, listen } from './resource-server-apis.js';
import {
  type ApiTenant,
  callApi,
  type Client,
  provisionApiTenant,
  serviceToken,
  userTokens,
} from './resource-server-fixture.js';

/**
 * An API protected by @idp/resource-server with a client of its own, named by its resource as
 * its resource server (`introspectionClients`): it introspects API keys and other clients'
 * tokens for its audience — and nothing else.
 */
describe('@idp/resource-server with its own resource-server client: API keys and introspection', () => {
  let server: TestServer;
  let acme: ApiTenant;
  let resourceServer: Client;
  const apis: Server[] = [];

  async function created(path: string, body: unknown) {
    const response = await server.adminApi('POST', path, body);
    if (response.status !== 201) throw new Error(`POST ${path} → ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }
  async function startApi(credentials: Client, options: Partial<ResourceServerOptions> = {}) {
    const api = createResourceServer({ issuer: acme.issuer, audience: acme.api, ...credentials, ...options });
    const started = await listen(expressApi(api));
    apis.push(started.server);
    return started.url;
  }
  const keys = (clientId: string) => `/admin/tenants/acme/clients/${clientId}/api-keys`;

  beforeAll(async () => {
    server = await startTestServer();
    acme = await provisionApiTenant(server, 'acme');
    resourceServer = await created('/admin/tenants/acme/clients', { name: 'orders API', applicationType: 'service' });
    const resources = (await server.adminApi('GET', '/admin/tenants/acme/resources')).body.items;
    const orders = resources.find((r: { identifier: string }) => r.identifier === acme.api);
    const named = await server.adminApi('PATCH', `/admin/tenants/acme/resources/${orders.id}`, {
      introspectionClients: [resourceServer.clientId],
    });
    expect(named.body.introspectionClients).toEqual([resourceServer.clientId]);
  });
  afterAll(async () => {
    await Promise.all(apis.map((api) => new Promise((resolve) => api.close(resolve))));
    await server?.close();
  });

  it("accepts a clerk's API key through introspection (strict), with its client's permissions, and refuses it once deleted", async () => {
    const url = await startApi(resourceServer, { strict: true });
    const issued = await created(keys(acme.clerk.clientId), { name: 'legacy importer', scopes: ['read', 'roles'] });

    const me = await callApi(`${url}/me`, issued.apiKey);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      sub: acme.clerk.clientId,
      clientId: acme.clerk.clientId,
      subjectType: 'client',
      tenant: 'acme',
      tokenType: 'opaque',
      scopes: ['read', 'roles'],
      roles: ['order-clerk'],
      permissions: ['orders:read'],
      claims: { aud: acme.api, iss: acme.issuer, token_type: 'Bearer' },
    });
    expect((await callApi(`${url}/orders`, issued.apiKey)).status).toBe(200);
    expect(await callApi(`${url}/orders`, issued.apiKey, { method: 'POST' })).toMatchObject({
      status: 403,
      body: { error: 'insufficient_scope', message: 'missing permission orders:write' },
    });

    expect((await server.adminApi('DELETE', `${keys(acme.clerk.clientId)}/${issued.id}`)).status).toBe(204);
    const refused = await callApi(`${url}/orders`, issued.apiKey);
    expect([refused.status, refused.body.error]).toEqual([401, 'invalid_token']);
    expect(refused.challenge).toContain('error="invalid_token"');
  });

  it('a regenerated key works at once and the old one is refused at once (strict)', async () => {
    const url = await startApi(resourceServer, { strict: true });
    const issued = await created(keys(acme.manager.clientId), { name: 'partner', scopes: ['roles'] });
    expect((await callApi(`${url}/orders`, issued.apiKey, { method: 'POST' })).status).toBe(201);
    const renewed = await server.adminApi('POST', `${keys(acme.manager.clientId)}/${issued.id}/regenerate`);
    expect((await callApi(`${url}/orders`, issued.apiKey)).status).toBe(401);
    expect((await callApi(`${url}/orders`, renewed.body.apiKey, { method: 'POST' })).status).toBe(201);
  });

  it("introspects other clients' JWT access tokens for its audience too, so strict mode works for every caller", async () => {
    const url = await startApi(resourceServer, { strict: true });
    expect((await callApi(`${url}/orders`, await serviceToken(acme, acme.clerk))).status).toBe(200);
    const { accessToken } = await userTokens(acme);
    expect((await callApi(`${url}/me`, accessToken)).body).toMatchObject({ sub: acme.user.id, tokenType: 'jwt' });
    const answer = await introspect(acme.issuer, accessToken, resourceServer);
    expect(answer.body).toMatchObject({ active: true, sub: acme.user.id, aud: acme.api, client_id: acme.web.clientId });
  });

  it('a client the resource does not name learns nothing (active false) and its API refuses everything', async () => {
    const issued = await created(keys(acme.clerk.clientId), { name: 'for a stranger', scopes: ['read'] });
    const token = await serviceToken(acme, acme.clerk);
    for (const presented of [issued.apiKey, token]) {
      expect((await introspect(acme.issuer, presented, acme.plain)).body).toEqual({ active: false });
    }
    const url = await startApi(acme.plain, { strict: true });
    expect((await callApi(`${url}/orders`, issued.apiKey)).status).toBe(401);
    expect((await callApi(`${url}/orders`, token)).status).toBe(401);
  });

  it("another API's resource server cannot introspect this API's tokens or keys", async () => {
    const billingServer = await created('/admin/tenants/acme/clients', {
      name: 'billing API',
      applicationType: 'service',
    });
    await created('/admin/tenants/acme/resources', {
      identifier: 'https://billing.acme.example',
      name: 'Billing',
      scopes: ['invoices:read'],
      introspectionClients: [billingServer.clientId],
    });
    const issued = await created(keys(acme.clerk.clientId), { name: 'orders only', scopes: ['read'] });
    expect((await introspect(acme.issuer, issued.apiKey, billingServer)).body).toEqual({ active: false });
    const token = await serviceToken(acme, acme.clerk);
    expect((await introspect(acme.issuer, token, billingServer)).body).toEqual({ active: false });
    // The owner still does, and the named resource server of its audience.
    expect((await introspect(acme.issuer, issued.apiKey, acme.clerk)).body.active).toBe(true);
    expect((await introspect(acme.issuer, issued.apiKey, resourceServer)).body.active).toBe(true);
  });

  it('only confidential clients of the tenant may be named, and a deleted client is dropped from the list', async () => {
    const resources = (await server.adminApi('GET', '/admin/tenants/acme/resources')).body.items;
    const orders = resources.find((r: { identifier: string }) => r.identifier === acme.api);
    const spa = await created('/admin/tenants/acme/clients', {
      name: 'browser app',
      applicationType: 'spa',
      redirectUris: ['http://127.0.0.1:9/cb'],
    });
    for (const clientId of [spa.clientId, 'no-such-client']) {
      const refused = await server.adminApi('PATCH', `/admin/tenants/acme/resources/${orders.id}`, {
        introspectionClients: [resourceServer.clientId, clientId],
      });
      expect([refused.status, refused.body.message]).toEqual([400, expect.stringContaining(clientId)]);
    }
    const temporary = await created('/admin/tenants/acme/clients', {
      name: 'temporary',
      applicationType: 'web',
      redirectUris: ['http://127.0.0.1:9/cb'],
    });
    await server.adminApi('PATCH', `/admin/tenants/acme/resources/${orders.id}`, {
      introspectionClients: [resourceServer.clientId, temporary.clientId],
    });
    await server.adminApi('DELETE', `/admin/tenants/acme/clients/${temporary.clientId}`);
    const after = await server.adminApi('GET', `/admin/tenants/acme/resources/${orders.id}`);
    expect(after.body.introspectionClients).toEqual([resourceServer.clientId]);
  });
});
