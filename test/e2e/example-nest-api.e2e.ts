import { startTestServer, type TestServer } from '@app/testing';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../examples/nest-api/src/app.module.js';
import { clientCredentials } from './oidc-flows.js';
import { baseUrlOf, callApi } from './resource-server-fixture.js';

/**
 * The README's "Protect your API", step by step: the same admin API calls as its curl
 * commands, then examples/nest-api started in-process and called with a real token.
 */
describe('examples/nest-api (README: Protect your API)', () => {
  let server: TestServer;
  let api: INestApplication;
  let url: string;
  const AUDIENCE = 'https://orders.acme.example';
  let backend: { clientId: string; clientSecret: string };
  let outsider: { clientId: string; clientSecret: string };

  beforeAll(async () => {
    server = await startTestServer();
    const admin = async (method: string, path: string, body: unknown, expected: number) => {
      const response = await server.adminApi(method, path, body);
      if (response.status !== expected) throw new Error(`${method} ${path} → ${response.status}`);
      return response.body;
    };
    // 1. the API (its scope, and the permission its role grants), a role carrying the
    //    permission, and a client allowed the API that holds the role
    await admin('POST', '/admin/tenants', { slug: 'acme', displayName: 'Acme' }, 201);
    await admin(
      'POST',
      '/admin/tenants/acme/resources',
      { identifier: AUDIENCE, name: 'Orders API', scopes: ['read', 'orders:read'] },
      201,
    );
    await admin('POST', '/admin/tenants/acme/roles', { name: 'order-reader', permissions: ['orders:read'] }, 201);
    const client = { name: 'orders-backend', applicationType: 'service', resources: [AUDIENCE] };
    backend = await admin('POST', '/admin/tenants/acme/clients', client, 201);
    await admin('PUT', `/admin/tenants/acme/clients/${backend.clientId}/roles`, { roles: ['order-reader'] }, 200);
    outsider = await admin('POST', '/admin/tenants/acme/clients', { ...client, name: 'no role' }, 201);

    // 2. the example, pointed at the tenant's issuer and the API's identifier
    api = await NestFactory.create(AppModule.forRoot({ issuer: server.issuer('acme'), audience: AUDIENCE }), {
      logger: false,
    });
    await api.listen(0, '127.0.0.1');
    url = baseUrlOf(api.getHttpServer());
  });
  afterAll(async () => {
    await api?.close();
    await server?.close();
  });

  // 3. a token: client credentials with the API's scope and `roles` (which adds roles and permissions)
  const tokenOf = async (client: { clientId: string; clientSecret: string }) =>
    (await clientCredentials(server.issuer('acme'), client, { scope: 'read roles' })).body.access_token as string;

  it('serves the public route to anyone', async () => {
    expect(await callApi(`${url}/health`)).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('serves the protected route to a caller holding orders:read, and refuses the others', async () => {
    const token = await tokenOf(backend);
    expect(await callApi(`${url}/orders`, token)).toMatchObject({
      status: 200,
      body: { orders: [{ id: 1, item: 'coffee beans' }], readBy: backend.clientId },
    });
    expect(await callApi(`${url}/orders`)).toMatchObject({ status: 401, challenge: `Bearer realm="${AUDIENCE}"` });
    expect(await callApi(`${url}/orders`, await tokenOf(outsider))).toMatchObject({
      status: 403,
      body: { error: 'insufficient_scope', message: 'missing permission orders:read' },
    });
  });

  it('tells the caller who it is', async () => {
    expect((await callApi(`${url}/me`, await tokenOf(backend))).body).toEqual({
      sub: backend.clientId,
      clientId: backend.clientId,
      subjectType: 'client',
      tenant: 'acme',
      scopes: ['read'],
      roles: ['order-reader'],
      permissions: ['orders:read'],
    });
  });
});
