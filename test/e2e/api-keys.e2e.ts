import { startTestServer, type TestServer } from '@app/testing';
import { introspect, provisionTenant, revoke, type TenantFixture } from './oidc-flows.js';

const KEY_SHAPE = /^idpk_[0-9A-Za-z]{49}$/;

/** API keys of service clients: issued once, introspected like access tokens, regenerated, revoked. */
describe('API keys', () => {
  let server: TestServer;
  let acme: TenantFixture;
  let globex: TenantFixture;

  beforeAll(async () => {
    server = await startTestServer();
    acme = await provisionTenant(server, 'acme');
    globex = await provisionTenant(server, 'globex');
  });
  afterAll(() => server?.close());

  const keys = (clientId: string, slug = 'acme') => `/admin/tenants/${slug}/clients/${clientId}/api-keys`;
  async function issue(body: Record<string, unknown> = {}, clientId = acme.service.clientId) {
    const response = await server.adminApi('POST', keys(clientId), { name: 'integration', ...body });
    if (response.status !== 201) throw new Error(`issue → ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as { id: string; apiKey: string; [field: string]: unknown };
  }
  const asOwner = (key: string) => introspect(acme.issuer, key, acme.service);

  it('issues a key once, shaped for secret scanners, and lists it without the key', async () => {
    const issued = await issue({ name: 'nightly export', scopes: ['read'] });
    expect(issued).toEqual({
      id: expect.any(String),
      apiKey: expect.stringMatching(KEY_SHAPE),
      clientId: acme.service.clientId,
      name: 'nightly export',
      hint: issued.apiKey.slice(0, 9),
      resource: acme.apiIdentifier, // the client's default resource
      scopes: ['read'],
      expiresAt: null,
      expired: false,
      lastUsedAt: null,
      createdAt: expect.any(String),
      regeneratedAt: null,
    });
    const listed = await server.adminApi('GET', keys(acme.service.clientId));
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((k: { id: string }) => k.id)).toContain(issued.id);
    const one = await server.adminApi('GET', `${keys(acme.service.clientId)}/${issued.id}`);
    expect(one.body).toEqual({ ...issued, apiKey: undefined, id: issued.id });
    for (const answer of [listed, one]) expect(JSON.stringify(answer.body)).not.toContain(issued.apiKey);
  });

  it('rfc7662 the owner introspects a key like an access token', async () => {
    const expiresAt = new Date(Date.now() + 3600_000);
    const { apiKey } = await issue({ scopes: ['read', 'write'], expiresAt: expiresAt.toISOString() });
    const answer = await asOwner(apiKey);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      active: true,
      client_id: acme.service.clientId,
      sub: acme.service.clientId,
      scope: 'read write',
      aud: acme.apiIdentifier,
      iss: acme.issuer,
      iat: expect.any(Number),
      exp: Math.floor(expiresAt.getTime() / 1000),
      token_type: 'Bearer',
    });
    expect(Math.abs(answer.body.iat - Date.now() / 1000)).toBeLessThan(60);
    // Without an expiry there is no `exp` (RFC 7662: the key does not expire).
    expect((await asOwner((await issue()).apiKey)).body).not.toHaveProperty('exp');
  });

  it('rfc7662 another client, another tenant, a changed or made-up key: active false', async () => {
    const { apiKey } = await issue({ scopes: ['read'] });
    expect((await introspect(acme.issuer, apiKey, acme.opaqueService)).body).toEqual({ active: false });
    expect((await introspect(globex.issuer, apiKey, globex.service)).body).toEqual({ active: false });
    const typo = `${apiKey.slice(0, 20)}${apiKey[20] === 'A' ? 'B' : 'A'}${apiKey.slice(21)}`;
    expect((await asOwner(typo)).body).toEqual({ active: false });
    // Well formed, checksum and all, but no longer held.
    const gone = await issue();
    await server.adminApi('DELETE', `${keys(acme.service.clientId)}/${gone.id}`);
    expect((await asOwner(gone.apiKey)).body).toEqual({ active: false });
    expect((await introspect(acme.issuer, apiKey)).status).toBe(401);
  });

  it('is no user token: userinfo and the account API refuse it (401)', async () => {
    const { apiKey } = await issue({ scopes: ['read'] });
    for (const url of [`${acme.issuer}/me`, `${acme.issuer}/account`]) {
      const response = await fetch(url, { headers: { authorization: `Bearer ${apiKey}` } });
      expect({ url, status: response.status }).toEqual({ url, status: 401 });
    }
  });

  it('an expired key is inactive, and listed as expired', async () => {
    const issued = await issue({ expiresAt: new Date(Date.now() + 1500).toISOString() });
    expect((await asOwner(issued.apiKey)).body.active).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1700));
    expect((await asOwner(issued.apiKey)).body).toEqual({ active: false });
    const listed = await server.adminApi('GET', `${keys(acme.service.clientId)}/${issued.id}`);
    expect(listed.body.expired).toBe(true);
    // Regenerating it needs a new expiry: a new key that is dead on arrival helps nobody.
    const regenerate = (body?: unknown) =>
      server.adminApi('POST', `${keys(acme.service.clientId)}/${issued.id}/regenerate`, body);
    expect((await regenerate()).status).toBe(400);
    const revived = await regenerate({ expiresAt: null });
    expect([revived.status, revived.body.expiresAt, revived.body.expired]).toEqual([200, null, false]);
    expect((await asOwner(revived.body.apiKey)).body.active).toBe(true);
  });

  it('regenerate: the old key stops working at once, the new one carries the same grant', async () => {
    const issued = await issue({ name: 'partner', scopes: ['write'] });
    expect((await asOwner(issued.apiKey)).body.active).toBe(true);
    const renewed = await server.adminApi('POST', `${keys(acme.service.clientId)}/${issued.id}/regenerate`);
    expect(renewed.status).toBe(200);
    expect(renewed.body).toMatchObject({ id: issued.id, name: 'partner', scopes: ['write'], expiresAt: null });
    expect(renewed.body.apiKey).toMatch(KEY_SHAPE);
    expect(renewed.body.apiKey).not.toBe(issued.apiKey);
    expect(renewed.body.regeneratedAt).toEqual(expect.any(String));
    expect((await asOwner(issued.apiKey)).body).toEqual({ active: false });
    expect((await asOwner(renewed.body.apiKey)).body).toMatchObject({ active: true, scope: 'write' });

    // A new expiry can come with it.
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const again = await server.adminApi('POST', `${keys(acme.service.clientId)}/${issued.id}/regenerate`, {
      expiresAt,
    });
    expect(again.body.expiresAt).toBe(expiresAt);
    expect((await asOwner(renewed.body.apiKey)).body).toEqual({ active: false });
  });

  it('DELETE revokes a key at once', async () => {
    const issued = await issue();
    expect((await asOwner(issued.apiKey)).body.active).toBe(true);
    expect((await server.adminApi('DELETE', `${keys(acme.service.clientId)}/${issued.id}`)).status).toBe(204);
    expect((await asOwner(issued.apiKey)).body).toEqual({ active: false });
    expect((await server.adminApi('GET', `${keys(acme.service.clientId)}/${issued.id}`)).status).toBe(404);
    expect((await server.adminApi('DELETE', `${keys(acme.service.clientId)}/${issued.id}`)).status).toBe(404);
  });

  it('rfc7009 the owner revokes a key at the revocation endpoint; another client cannot', async () => {
    const issued = await issue({ name: 'leaked' });
    expect((await revoke(acme.issuer, issued.apiKey, acme.opaqueService)).status).toBe(200);
    expect((await asOwner(issued.apiKey)).body.active).toBe(true);
    expect((await revoke(globex.issuer, issued.apiKey, globex.service)).status).toBe(200);
    expect((await asOwner(issued.apiKey)).body.active).toBe(true);

    expect((await revoke(acme.issuer, issued.apiKey, acme.service)).status).toBe(200);
    expect((await asOwner(issued.apiKey)).body).toEqual({ active: false });
    expect((await server.adminApi('GET', `${keys(acme.service.clientId)}/${issued.id}`)).status).toBe(404);
    const events = await server.adminApi('GET', '/admin/tenants/acme/audit-events?type=api_key.revoked');
    expect(events.body.items).toEqual([
      expect.objectContaining({
        type: 'api_key.revoked',
        actor: { type: 'client', id: acme.service.clientId },
        data: expect.objectContaining({ keyId: issued.id, name: 'leaked', via: 'revocation_endpoint' }),
      }),
    ]);
    expect((await revoke(acme.issuer, issued.apiKey)).status).toBe(401);
  });

  it.each([
    ['a web client', () => acme.web.clientId, { name: 'x' }, 400, /service clients/],
    [
      'a resource the client is not allowed',
      () => acme.service.clientId,
      { resource: 'https://x.example' },
      400,
      /not allowed/,
    ],
    [
      'scopes the resource does not define',
      () => acme.service.clientId,
      { scopes: ['read', 'nuke', 'admin'] },
      400,
      /nuke, admin/,
    ],
    ['an API scope without a resource', () => acme.opaqueService.clientId, { scopes: ['read'] }, 400, /read/],
    ['an expiry in the past', () => acme.service.clientId, { expiresAt: '2001-01-01T00:00:00Z' }, 400, /future/],
    ['an expiry that is no date', () => acme.service.clientId, { expiresAt: 'tomorrow' }, 400, /expiresAt/],
    ['no name', () => acme.service.clientId, { name: '' }, 400, /name/],
    ['an unknown client', () => 'nope', { name: 'x' }, 404, /client/],
    ["another tenant's client", () => globex.service.clientId, { name: 'x' }, 404, /client/],
  ])('refuses %s', async (_case, clientOf, body, status, message) => {
    const response = await server.adminApi('POST', keys(clientOf()), { name: 'x', ...body });
    expect(response.status).toBe(status);
    expect(response.body).toEqual({ error: expect.any(String), message: expect.stringMatching(message) });
  });

  it('refuses unknown and foreign key ids (404), and a regenerate body that is no date (400)', async () => {
    const base = keys(acme.service.clientId);
    for (const id of ['00000000-0000-0000-0000-000000000000', 'not-a-uuid']) {
      expect((await server.adminApi('GET', `${base}/${id}`)).status).toBe(404);
      expect((await server.adminApi('POST', `${base}/${id}/regenerate`)).status).toBe(404);
    }
    const foreign = await server.adminApi('POST', keys(globex.service.clientId, 'globex'), { name: 'g' });
    expect(foreign.status).toBe(201);
    expect((await server.adminApi('GET', `${base}/${foreign.body.id}`)).status).toBe(404);
    expect((await server.adminApi('DELETE', `${base}/${foreign.body.id}`)).status).toBe(404);
    const issued = await issue();
    const bad = await server.adminApi('POST', `${base}/${issued.id}/regenerate`, { expiresAt: 'soon' });
    expect(bad.status).toBe(400);
  });

  it('a key goes with its client; the client may not lose a resource its keys use (409)', async () => {
    const client = await server.adminApi('POST', '/admin/tenants/acme/clients', {
      name: 'short-lived integration',
      applicationType: 'service',
      resources: [acme.apiIdentifier],
    });
    const owner = { clientId: client.body.clientId, clientSecret: client.body.clientSecret };
    const { apiKey } = await issue({ name: 'bound' }, owner.clientId);
    const patched = await server.adminApi('PATCH', `/admin/tenants/acme/clients/${owner.clientId}`, { resources: [] });
    expect(patched.status).toBe(409);
    expect(patched.body.message).toMatch(/bound/);
    expect((await introspect(acme.issuer, apiKey, owner)).body.active).toBe(true);
    expect((await server.adminApi('DELETE', `/admin/tenants/acme/clients/${owner.clientId}`)).status).toBe(204);
    expect((await asOwner(apiKey)).body).toEqual({ active: false });
    expect((await server.adminApi('GET', keys(owner.clientId))).status).toBe(404);
  });

  it('an API resource may not lose a scope a key holds (409)', async () => {
    const resource = await server.adminApi('POST', '/admin/tenants/acme/resources', {
      identifier: 'https://reports.acme.example',
      name: 'Reports',
      scopes: ['reports:read', 'reports:export'],
    });
    const client = await server.adminApi('POST', '/admin/tenants/acme/clients', {
      name: 'report puller',
      applicationType: 'service',
      resources: ['https://reports.acme.example'],
    });
    const issued = await issue({ name: 'exporter', scopes: ['reports:export'] }, client.body.clientId);
    const path = `/admin/tenants/acme/resources/${resource.body.id}`;
    const refused = await server.adminApi('PATCH', path, { scopes: ['reports:read'] });
    expect([refused.status, refused.body.message]).toEqual([409, expect.stringContaining('exporter')]);
    expect((await server.adminApi('DELETE', path)).status).toBe(409);
    await server.adminApi('DELETE', `${keys(client.body.clientId)}/${issued.id}`);
    expect((await server.adminApi('PATCH', path, { scopes: ['reports:read'] })).status).toBe(200);
  });

  it('lists in pages, oldest first, and holds at most 100 keys per client', async () => {
    const client = await server.adminApi('POST', '/admin/tenants/acme/clients', {
      name: 'busy integration',
      applicationType: 'service',
    });
    const clientId = client.body.clientId as string;
    const issued: string[] = [];
    for (let i = 0; i < 100; i++) issued.push((await issue({ name: `key ${i}` }, clientId)).id);
    const full = await server.adminApi('POST', keys(clientId), { name: 'one too many' });
    expect([full.status, full.body.error]).toEqual([409, 'conflict']);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const pageOf: { status: number; body: any } = await server.adminApi(
        'GET',
        `${keys(clientId)}?limit=30${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(pageOf.status).toBe(200);
      seen.push(...pageOf.body.items.map((k: { id: string }) => k.id));
      cursor = pageOf.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(issued);
    expect((await server.adminApi('GET', `${keys(clientId)}?cursor=garbage`)).status).toBe(400);
  });
});
