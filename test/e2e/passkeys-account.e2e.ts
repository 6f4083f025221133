import { SoftwareAuthenticator, startTestServer, type TestServer } from '@app/testing';
import pg from 'pg';
import { provisionTenant, signInForTokens, type TenantFixture } from './oidc-flows.js';
import { account, registerThroughAccount } from './passkey-flows.js';

describe('passkeys in the account and admin APIs', () => {
  let server: TestServer;
  let acme: TenantFixture;
  let globex: TenantFixture;
  let origin: string;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer();
    acme = await provisionTenant(server, 'acme');
    globex = await provisionTenant(server, 'globex');
    origin = new URL(server.publicUrl).origin;
    token = (await signInForTokens(acme, { client: 'spa', scope: 'openid' })).tokens.access_token;
  });
  afterAll(() => server?.close());

  const events = async (type: string) =>
    (await server.adminApi('GET', `/admin/tenants/acme/audit-events?type=${type}&limit=100`)).body.items as any[];

  it('registers a passkey in two steps and lists it with its device type, never its key', async () => {
    const options = await account(acme.issuer, token, 'POST', '/passkeys/registration-options');
    expect(options.status).toBe(200);
    expect(options.body).toMatchObject({
      rp: { id: 'localhost', name: 'Tenant acme' },
      user: { name: acme.user.username },
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      attestation: 'none',
    });
    const response = new SoftwareAuthenticator().createCredential(options.body, { origin });
    const created = await account(acme.issuer, token, 'POST', '/passkeys', { name: 'Work laptop', response });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      name: 'Work laptop',
      createdAt: expect.any(String),
      lastUsedAt: null,
      deviceType: 'singleDevice',
      backedUp: false,
      transports: ['internal'],
      aaguid: '00000000-0000-0000-0000-000000000000',
    });
    const listed = await account(acme.issuer, token, 'GET', '/passkeys');
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({ items: [created.body], nextCursor: null });
    const [event] = await events('passkey.registered');
    expect(event).toMatchObject({ subject: created.body.id, outcome: 'success', data: { name: 'Work laptop' } });
    expect(JSON.stringify(await events('passkey.registered'))).not.toContain(response.response.attestationObject);
  });

  it('names a passkey after the browser when no name is given; a synced one is multiDevice', async () => {
    const options = await account(acme.issuer, token, 'POST', '/passkeys/registration-options');
    const response = new SoftwareAuthenticator({ backupEligible: true }).createCredential(options.body, { origin });
    const created = await fetch(`${acme.issuer}/account/passkeys`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'user-agent':
          'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 Chrome/131.0.0.0 Safari/537.36',
      },
      body: JSON.stringify({ response }),
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({
      name: 'Chrome 131 on macOS Catalina',
      deviceType: 'multiDevice',
      backedUp: true,
    });
  });

  it('refuses a registration from another origin, for another relying party, or replayed (400, audited)', async () => {
    const authenticator = new SoftwareAuthenticator();
    const evil = await registerThroughAccount(acme.issuer, token, authenticator, 'https://evil.example');
    expect(evil.status).toBe(400);
    expect(evil.body).toEqual({ error: 'passkey_rejected', message: expect.stringContaining('could not be verified') });
    const options = await account(acme.issuer, token, 'POST', '/passkeys/registration-options');
    const otherRp = authenticator.createCredential(options.body, { origin, rpId: 'evil.example' });
    expect((await account(acme.issuer, token, 'POST', '/passkeys', { response: otherRp })).status).toBe(400);
    const fresh = await account(acme.issuer, token, 'POST', '/passkeys/registration-options');
    const good = authenticator.createCredential(fresh.body, { origin });
    expect((await account(acme.issuer, token, 'POST', '/passkeys', { response: good })).status).toBe(201);
    expect((await account(acme.issuer, token, 'POST', '/passkeys', { response: good })).status).toBe(400);
    const reasons = (await events('passkey.failure')).map((e) => e.data.reason);
    expect(reasons).toEqual(expect.arrayContaining(['origin', 'rp_id', 'challenge']));
  });

  it('validates names and bodies: 400 with { error, message }, never 500', async () => {
    const [passkey] = (await account(acme.issuer, token, 'GET', '/passkeys')).body.items;
    for (const body of [{ name: '' }, { name: 'x'.repeat(65) }, { name: 'tab\there' }, { name: 42 }, {}]) {
      const answer = await account(acme.issuer, token, 'PATCH', `/passkeys/${passkey.id}`, body);
      expect({ body, status: answer.status, error: answer.body.error }).toEqual({
        body,
        status: 400,
        error: 'invalid_request',
      });
    }
    for (const body of [{}, { response: 'text' }, { response: { type: 'public-key' } }, { name: 'x', response: [] }]) {
      const answer = await account(acme.issuer, token, 'POST', '/passkeys', body);
      expect({ body, status: answer.status }).toEqual({ body, status: 400 });
    }
  });

  it('renames and deletes its own passkeys only (another user’s or tenant’s id is 404)', async () => {
    const [passkey] = (await account(acme.issuer, token, 'GET', '/passkeys')).body.items;
    const renamed = await account(acme.issuer, token, 'PATCH', `/passkeys/${passkey.id}`, { name: 'Old laptop' });
    expect(renamed).toMatchObject({ status: 200, body: { id: passkey.id, name: 'Old laptop' } });
    expect((await events('passkey.renamed'))[0].data).toEqual({ before: 'Work laptop', after: 'Old laptop' });
    const foreign = (await signInForTokens(globex, { client: 'spa', scope: 'openid' })).tokens.access_token;
    expect((await account(globex.issuer, foreign, 'PATCH', `/passkeys/${passkey.id}`, { name: 'mine' })).status).toBe(
      404,
    );
    expect((await account(globex.issuer, foreign, 'DELETE', `/passkeys/${passkey.id}`)).status).toBe(404);
    expect((await account(acme.issuer, token, 'DELETE', '/passkeys/not-an-id')).status).toBe(404);
    expect((await account(acme.issuer, token, 'DELETE', `/passkeys/${passkey.id}`)).status).toBe(204);
    expect((await account(acme.issuer, token, 'DELETE', `/passkeys/${passkey.id}`)).status).toBe(404);
    expect((await events('passkey.deleted'))[0]).toMatchObject({ subject: passkey.id, data: { by: 'user' } });
  });

  it('admins list and delete a user’s passkeys; the last way in of a passwordless user stays (409)', async () => {
    const base = `/admin/tenants/acme/users/${acme.user.id}/passkeys`;
    const listed = await server.adminApi('GET', base);
    expect(listed.status).toBe(200);
    expect(listed.body.nextCursor).toBeNull();
    const keep = listed.body.items[0];
    const doomed = listed.body.items[1];
    expect(listed.body.items.every((p: Record<string, unknown>) => !('publicKey' in p))).toBe(true);
    expect((await server.adminApi('DELETE', `${base}/${doomed.id}`)).status).toBe(204);
    expect((await server.adminApi('GET', base)).body.items.map((p: { id: string }) => p.id)).not.toContain(doomed.id);
    const [adminEvent] = await events('admin.users.delete');
    expect(adminEvent).toMatchObject({ subject: `${acme.user.id}/${doomed.id}`, outcome: 'success' });
    expect(adminEvent.data.changes.name).toEqual({ before: doomed.name, after: null });
    expect((await events('passkey.deleted'))[0]).toMatchObject({ subject: doomed.id, data: { by: 'admin' } });

    // The same user without a password (as an account made by an identity provider would be).
    const db = new pg.Client({ connectionString: server.databaseUrl });
    await db.connect();
    await db.query(`UPDATE users SET password_hash = NULL WHERE id = $1`, [acme.user.id]);
    await db.end();
    const refused = await server.adminApi('DELETE', `${base}/${keep.id}`);
    expect(refused).toMatchObject({ status: 409, body: { error: 'conflict' } });
    const own = await account(acme.issuer, token, 'DELETE', `/passkeys/${keep.id}`);
    expect(own.status).toBe(409);
    expect(own.body.message).toMatch(/only way left to sign in/);
    expect((await server.adminApi('GET', base)).body.items).toHaveLength(1);
  });

  it('the admin passkey routes are in the OpenAPI document', async () => {
    const docs = (await fetch(`${server.url}/admin/docs-json`).then((r) => r.json())) as any;
    expect(docs.paths['/admin/tenants/{slug}/users/{id}/passkeys'].get).toBeDefined();
    expect(docs.paths['/admin/tenants/{slug}/users/{id}/passkeys/{pid}'].delete.responses).toHaveProperty('409');
    expect(Object.keys(docs.components.schemas.PasskeyDto.properties)).toEqual(
      expect.arrayContaining(['id', 'name', 'createdAt', 'lastUsedAt', 'deviceType']),
    );
  });

  it('admin passkey routes: an unknown user, tenant or passkey id is 404', async () => {
    expect(
      (await server.adminApi('GET', `/admin/tenants/acme/users/00000000-0000-0000-0000-000000000000/passkeys`)).status,
    ).toBe(404);
    expect((await server.adminApi('GET', `/admin/tenants/nope/users/${acme.user.id}/passkeys`)).status).toBe(404);
    expect((await server.adminApi('GET', `/admin/tenants/globex/users/${acme.user.id}/passkeys`)).status).toBe(404);
    expect(
      (await server.adminApi('DELETE', `/admin/tenants/acme/users/${acme.user.id}/passkeys/not-a-uuid`)).status,
    ).toBe(404);
  });
});
