// Over 300 lines on purpose: the admin API contract table, route by route, against one server;
// each part is short and they share the tenants they create.
import { TenantProvisioningService } from '@app/provisioning';
import { startTestServer, type TestServer } from '@app/testing';
import {
  clientCredentials,
  decodeProtectedHeader,
  introspect,
  provisionTenant,
  revoke,
  verifyAccessTokenJwt,
} from './oidc-flows.js';

describe('admin API', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  const api = (method: string, path: string, body?: unknown, token?: string) =>
    server.adminApi(method, path, body, token);

  describe('authentication and rights', () => {
    it('refuses a request without a token (401)', async () => {
      const response = await fetch(`${server.publicUrl}/admin/tenants`);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: 'unauthorized', message: expect.any(String) });
    });

    it('refuses a forged, foreign or non-admin token (401)', async () => {
      for (const token of ['not-a-jwt', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.']) {
        expect((await api('GET', '/admin/tenants', undefined, token)).status).toBe(401);
      }
      // A valid access token of ours, but for another audience.
      const acme = await provisionTenant(server, 'rights-acme');
      const apiToken = (await clientCredentials(acme.issuer, acme.service)).body.access_token;
      expect((await api('GET', '/admin/tenants', undefined, apiToken)).status).toBe(401);
    });

    it('refuses a token whose client holds no admin permission (403)', async () => {
      const created = await api('POST', '/admin/tenants/system/clients', {
        name: 'no rights',
        applicationType: 'service',
        resources: [`${server.publicUrl}/admin`],
      });
      expect(created.status).toBe(201);
      const token = (
        await clientCredentials(server.issuer('system'), created.body, {
          scope: 'admin',
          resource: `${server.publicUrl}/admin`,
        })
      ).body.access_token;
      const response = await api('GET', '/admin/tenants', undefined, token);
      expect(response.status).toBe(403);
      expect(response.body.error).toBe('forbidden');
    });

    it('refuses an admin token once it is revoked', async () => {
      const token = (
        await clientCredentials(server.issuer('system'), server.admin, {
          scope: 'admin',
          resource: `${server.publicUrl}/admin`,
        })
      ).body.access_token;
      expect((await api('GET', '/admin/tenants', undefined, token)).status).toBe(200);
      expect((await revoke(server.issuer('system'), token, server.admin)).status).toBe(200);
      expect((await api('GET', '/admin/tenants', undefined, token)).status).toBe(401);
    });
  });

  describe('tenants', () => {
    it('creates, lists with a cursor, reads, renames and deletes a tenant', async () => {
      const created = await api('POST', '/admin/tenants', { slug: 'crud-one', displayName: 'One' });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        slug: 'crud-one',
        displayName: 'One',
        issuer: `${server.publicUrl}/t/crud-one`,
        settings: {
          accessTokenTtlSeconds: 900,
          idTokenTtlSeconds: 900,
          refreshTokenTtlSeconds: 604800,
          corsOrigins: [],
          mfaRequired: false,
          selfRegistration: false,
          offerPasskeys: false,
          lockout: { threshold: 10, durationSeconds: 900 },
          passwordPolicy: expect.objectContaining({ minLength: 12, maxLength: 128, historyCount: 0, maxAgeDays: 0 }),
          refreshTokenReuseGraceSeconds: 0,
          rolesInIdToken: false,
          auditRetentionDays: 365,
          rateLimits: { clientRequestsPerMinute: 0, apiRequestsPerMinute: 0 },
          sessions: {
            maxPerUser: 0,
            whenLimitReached: 'end-oldest',
            idleTimeoutSeconds: 86400,
            absoluteTimeoutSeconds: 604800,
          },
        },
        createdAt: expect.any(String),
      });
      await api('POST', '/admin/tenants', { slug: 'crud-two', displayName: 'Two' });
      const discovery = await fetch(`${created.body.issuer}/.well-known/openid-configuration`);
      expect(((await discovery.json()) as { issuer: string }).issuer).toBe(created.body.issuer);

      const firstPage = await api('GET', '/admin/tenants?limit=1');
      expect(firstPage.body.items).toHaveLength(1);
      expect(firstPage.body.nextCursor).toEqual(expect.any(String));
      const secondPage = await api('GET', `/admin/tenants?limit=1&cursor=${firstPage.body.nextCursor}`);
      expect(secondPage.body.items[0].slug).not.toBe(firstPage.body.items[0].slug);

      const renamed = await api('PATCH', '/admin/tenants/crud-one', { displayName: 'Renamed' });
      expect(renamed.body.displayName).toBe('Renamed');
      expect((await api('GET', '/admin/tenants/crud-one')).body.displayName).toBe('Renamed');

      expect((await api('DELETE', '/admin/tenants/crud-one')).status).toBe(204);
      expect((await api('GET', '/admin/tenants/crud-one')).status).toBe(404);
      const gone = await fetch(`${created.body.issuer}/.well-known/openid-configuration`);
      expect(gone.status).toBe(404);
    });

    it('answers 409 for a duplicate slug, 404 for an unknown one, 400 for the system tenant', async () => {
      await api('POST', '/admin/tenants', { slug: 'dup-tenant', displayName: 'x' });
      const duplicate = await api('POST', '/admin/tenants', { slug: 'dup-tenant', displayName: 'x' });
      expect(duplicate.status).toBe(409);
      expect(duplicate.body).toEqual({ error: 'conflict', message: expect.any(String) });
      expect((await api('GET', '/admin/tenants/no-such-tenant')).status).toBe(404);
      expect((await api('DELETE', '/admin/tenants/system')).status).toBe(400);
    });

    it.each([
      ['a missing field', { slug: 'ok-slug' }],
      ['an invalid slug', { slug: 'Not Valid!', displayName: 'x' }],
      ['a one-letter slug', { slug: 'a', displayName: 'x' }],
      ['a wrong type', { slug: 42, displayName: 'x' }],
      ['a 10 kB string', { slug: 'big-name', displayName: 'x'.repeat(10_000) }],
      ['an unknown field', { slug: 'extra-field', displayName: 'x', admin: true }],
    ])('answers 400 {error, message} to %s', async (_case, body) => {
      const response = await api('POST', '/admin/tenants', body);
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ error: 'invalid_request', message: expect.any(String) });
    });

    it('answers 400 to invalid JSON', async () => {
      const response = await api('POST', '/admin/tenants', '{"slug": ');
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ error: 'invalid_request', message: expect.any(String) });
    });
  });

  describe('clients, resources and users', () => {
    beforeAll(async () => {
      await api('POST', '/admin/tenants', { slug: 'apps', displayName: 'Apps' });
    });

    it('shows a client secret once; rotation makes the old secret stop working at once', async () => {
      const created = await api('POST', '/admin/tenants/apps/clients', { name: 'svc', applicationType: 'service' });
      expect(created.status).toBe(201);
      expect(created.body.clientSecret.length).toBeGreaterThanOrEqual(43);
      const read = await api('GET', `/admin/tenants/apps/clients/${created.body.clientId}`);
      expect(read.body.clientSecret).toBeUndefined();
      expect(JSON.stringify(read.body)).not.toContain(created.body.clientSecret);

      const issuer = server.issuer('apps');
      expect((await clientCredentials(issuer, created.body)).status).toBe(200);
      const rotated = await api('POST', `/admin/tenants/apps/clients/${created.body.clientId}/secret`);
      expect(rotated.status).toBe(200);
      expect(rotated.body.clientSecret).not.toBe(created.body.clientSecret);
      expect((await clientCredentials(issuer, created.body)).status).toBe(401);
      expect(
        (await clientCredentials(issuer, { ...created.body, clientSecret: rotated.body.clientSecret })).status,
      ).toBe(200);
    });

    it('maps application types: spa and native are public, web and service confidential', async () => {
      const spa = await api('POST', '/admin/tenants/apps/clients', {
        name: 'spa',
        applicationType: 'spa',
        redirectUris: ['https://app.example/cb'],
      });
      expect(spa.status).toBe(201);
      expect(spa.body.clientSecret).toBeUndefined();
      const web = await api('POST', '/admin/tenants/apps/clients', {
        name: 'web',
        applicationType: 'web',
        redirectUris: ['https://web.example/cb'],
      });
      expect(web.body.clientSecret).toEqual(expect.any(String));
    });

    it.each([
      ['an unknown application type', { name: 'x', applicationType: 'desktop' }],
      ['a web client without redirect URIs', { name: 'x', applicationType: 'web' }],
      ['a non-https redirect URI', { name: 'x', applicationType: 'web', redirectUris: ['http://app.example/cb'] }],
      ['a relative redirect URI', { name: 'x', applicationType: 'spa', redirectUris: ['/cb'] }],
      ['an unknown resource', { name: 'x', applicationType: 'service', resources: ['https://nope.example'] }],
    ])('answers 400 to %s', async (_case, body) => {
      const response = await api('POST', '/admin/tenants/apps/clients', body);
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ error: 'invalid_request', message: expect.any(String) });
    });

    it('accepts native clients with a custom scheme or loopback redirect, and they can start a sign-in', async () => {
      const native = await api('POST', '/admin/tenants/apps/clients', {
        name: 'mobile',
        applicationType: 'native',
        redirectUris: ['com.example.app:/callback', 'http://127.0.0.1/callback'],
      });
      expect(native.status).toBe(201);
      const url = new URL(`${server.issuer('apps')}/auth`);
      url.search = new URLSearchParams({
        client_id: native.body.clientId,
        response_type: 'code',
        scope: 'openid',
        redirect_uri: 'com.example.app:/callback',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
      }).toString();
      const response = await fetch(url, { redirect: 'manual' });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toContain('/interaction/');
    });

    it('refuses a client the protocol engine could not load (400, nothing stored)', async () => {
      const before = (await api('GET', '/admin/tenants/apps/clients?limit=100')).body.items.length;
      const response = await api('POST', '/admin/tenants/apps/clients', {
        name: 'bad native',
        applicationType: 'native',
        redirectUris: ['http://app.example/callback'],
      });
      expect(response.status).toBe(400);
      expect((await api('GET', '/admin/tenants/apps/clients?limit=100')).body.items.length).toBe(before);
    });

    it('answers 404 for an unknown client, in this tenant or through another', async () => {
      const created = await api('POST', '/admin/tenants/apps/clients', { name: 'svc2', applicationType: 'service' });
      expect((await api('GET', '/admin/tenants/apps/clients/unknown-client')).status).toBe(404);
      expect((await api('GET', `/admin/tenants/system/clients/${created.body.clientId}`)).status).toBe(404);
    });

    it('creates API resources (409 on duplicates)', async () => {
      const body = { identifier: 'https://api.apps.example', name: 'API', scopes: ['read'] };
      expect((await api('POST', '/admin/tenants/apps/resources', body)).status).toBe(201);
      expect((await api('POST', '/admin/tenants/apps/resources', body)).status).toBe(409);
    });

    it('creates users, never returns a password hash, finds them by search; 409 on duplicates', async () => {
      const created = await api('POST', '/admin/tenants/apps/users', {
        username: 'Bob',
        email: 'bob@apps.example',
        password: 'a-long-enough-password',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ id: expect.any(String), username: 'bob', email: 'bob@apps.example' });
      expect(JSON.stringify(created.body)).not.toMatch(/argon|password/i);
      expect((await api('POST', '/admin/tenants/apps/users', { username: 'bob' })).status).toBe(409);
      const found = await api('GET', '/admin/tenants/apps/users?search=apps.example');
      expect(found.body.items.map((u: { username: string }) => u.username)).toEqual(['bob']);
      expect((await api('GET', `/admin/tenants/apps/users/${created.body.id}`)).body.username).toBe('bob');
      expect((await api('GET', '/admin/tenants/apps/users/not-a-uuid')).status).toBe(404);
      expect((await api('GET', `/admin/tenants/system/users/${created.body.id}`)).status).toBe(404);
    });
  });

  describe('signing keys', () => {
    it('rotation publishes the new key, signs with it, and keeps earlier tokens valid', async () => {
      const acme = await provisionTenant(server, 'rotating');
      const before = (await clientCredentials(acme.issuer, acme.service)).body.access_token;
      const oldKid = decodeProtectedHeader(before).kid;

      const newKid = await server.server.app.get(TenantProvisioningService).rotateKeys('rotating');
      const jwks = (await (await fetch(`${acme.issuer}/jwks`)).json()) as { keys: { kid: string }[] };
      expect(jwks.keys.map((k) => k.kid)).toEqual([newKid, oldKid]);

      const after = (await clientCredentials(acme.issuer, acme.service)).body.access_token;
      expect(decodeProtectedHeader(after).kid).toBe(newKid);
      await expect(verifyAccessTokenJwt(acme.issuer, before, acme.apiIdentifier)).resolves.toBeDefined();
      expect((await introspect(acme.issuer, before, acme.service)).body.active).toBe(true);
    });
  });

  describe('operations', () => {
    it('serves health, and the OpenAPI document at /admin/docs', async () => {
      expect((await fetch(`${server.publicUrl}/health/live`)).status).toBe(200);
      const ready = await fetch(`${server.publicUrl}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({
        dependencies: { database: { status: 'healthy' }, store: { status: 'healthy', kind: 'redis' } },
      });
      const openApi = (await (await fetch(`${server.publicUrl}/admin/docs-json`)).json()) as { paths: object };
      expect(Object.keys(openApi.paths)).toEqual(
        expect.arrayContaining(['/admin/tenants', '/admin/tenants/{slug}/clients', '/admin/tenants/{slug}/users']),
      );
      expect((await fetch(`${server.publicUrl}/admin/docs`)).status).toBe(200);
    });

    it('documents every admin operation with bearer auth, its body and its answer', async () => {
      type Operation = {
        security?: unknown[];
        requestBody?: unknown;
        responses: Record<string, { content?: unknown }>;
      };
      const document = (await (await fetch(`${server.publicUrl}/admin/docs-json`)).json()) as {
        paths: Record<string, Record<string, Operation>>;
      };
      const problems: string[] = [];
      for (const [path, operations] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          const label = `${method.toUpperCase()} ${path}`;
          if (!operation.security?.length) problems.push(`${label}: no bearer auth`);
          // Actions without input: rotate a secret, send a test event.
          if (['post', 'put', 'patch'].includes(method) && !operation.requestBody && !/\/(secret|test)$/.test(path)) {
            problems.push(`${label}: no request body schema`);
          }
          const success = Object.entries(operation.responses).find(([status]) => status.startsWith('2'));
          if (!success) problems.push(`${label}: no success response`);
          else if (success[0] !== '204' && !success[1].content) problems.push(`${label}: no response schema`);
        }
      }
      expect(problems).toEqual([]);
    });

    it('exposes Prometheus metrics without tenant or route cardinality', async () => {
      await clientCredentials(server.issuer('system'), server.admin, {
        scope: 'admin',
        resource: `${server.publicUrl}/admin`,
      });
      await api('GET', '/admin/tenants');
      const response = await fetch(`${server.publicUrl}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/plain');
      const text = await response.text();
      expect(text).toMatch(/^idp_tokens_issued_total\{grant_type="client_credentials"\} [1-9]\d*$/m);
      expect(text).toMatch(
        /^idp_http_request_duration_seconds_count\{area="admin",method="GET",status="2xx"\} [1-9]\d*$/m,
      );
      expect(text).toContain('idp_process_resident_memory_bytes');
      expect(text).not.toContain('/t/');
    });

    it("answers the provider's own endpoints with the same security headers, request id and metrics as every route", async () => {
      const jwks = await fetch(`${server.issuer('system')}/jwks`, { headers: { 'x-request-id': 'jwks-trace-1' } });
      expect(jwks.status).toBe(200);
      expect(jwks.headers.get('x-request-id')).toBe('jwks-trace-1');
      expect(jwks.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(jwks.headers.get('x-content-type-options')).toBe('nosniff');
      expect(jwks.headers.get('x-powered-by')).toBeNull();
      const discovery = await fetch(`${server.issuer('system')}/.well-known/openid-configuration`);
      expect(((await discovery.json()) as { issuer: string }).issuer).toBe(server.issuer('system'));
      const unknown = await fetch(`${server.publicUrl}/t/no-such-tenant/jwks`);
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toEqual({ error: 'not_found', message: 'tenant not found' });
      const metrics = await (await fetch(`${server.publicUrl}/metrics`)).text();
      expect(metrics).toMatch(
        /^idp_http_request_duration_seconds_count\{area="jwks",method="GET",status="2xx"\} [1-9]\d*$/m,
      );
    });

    it('echoes a request id', async () => {
      const response = await fetch(`${server.publicUrl}/health/live`, { headers: { 'x-request-id': 'trace-123' } });
      expect(response.headers.get('x-request-id')).toBe('trace-123');
    });
  });
});
