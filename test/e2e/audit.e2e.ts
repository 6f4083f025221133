import { BrowserlessAgent, startTestServer, type TestServer } from '@app/testing';
import pg from 'pg';
import {
  discover,
  PASSWORD,
  provisionTenant,
  REDIRECT_URI,
  signIn,
  startAuthorization,
  type TenantFixture,
} from './oidc-flows.js';

describe('audit trail', () => {
  let server: TestServer;
  let acme: TenantFixture;
  const api = (method: string, path: string, body?: unknown) => server.adminApi(method, path, body);

  beforeAll(async () => {
    server = await startTestServer();
    acme = await provisionTenant(server, 'acme');
  });
  afterAll(() => server?.close());

  async function attemptSignIn(password: string) {
    const config = await discover(acme.issuer, acme.spa.clientId);
    const start = await startAuthorization(config, { scope: 'openid' });
    await signIn(new BrowserlessAgent([REDIRECT_URI]), start.url, { username: acme.user.username, password }).catch(
      () => undefined,
    );
  }

  it('records sign-ins and admin changes, newest first, without secrets', async () => {
    await attemptSignIn('wrong-password');
    await attemptSignIn(PASSWORD);
    await api('POST', '/admin/tenants/acme/users', { username: 'gina', password: 'a-very-secret-passphrase' });

    const events = await api('GET', '/admin/tenants/acme/audit-events?limit=50');
    expect(events.status).toBe(200);
    const types = events.body.items.map((e: { type: string }) => e.type);
    expect(types[0]).toBe('admin.users.post');
    expect(types).toEqual(
      expect.arrayContaining(['login.success', 'login.failure', 'admin.clients.post', 'admin.users.post']),
    );
    const failure = events.body.items.find((e: { type: string }) => e.type === 'login.failure');
    expect(failure).toMatchObject({
      outcome: 'failure',
      subject: acme.user.username,
      data: { reason: 'invalid_credentials' },
    });
    expect(failure.ip).toEqual(expect.any(String));
    const seqs = events.body.items.map((e: { seq: number }) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a: number, b: number) => b - a));
    expect(JSON.stringify(events.body)).not.toMatch(/a-very-secret-passphrase|wrong-password|correct-horse/);

    const filtered = await api('GET', '/admin/tenants/acme/audit-events?type=login.success');
    expect(filtered.body.items.every((e: { type: string }) => e.type === 'login.success')).toBe(true);
    expect(filtered.body.items.length).toBeGreaterThan(0);
    const future = await api(
      'GET',
      `/admin/tenants/acme/audit-events?since=${new Date(Date.now() + 60_000).toISOString()}`,
    );
    expect(future.body.items).toEqual([]);
  });

  it('records consent granted and denied, with what was asked', async () => {
    const config = await discover(acme.issuer, acme.web.clientId, acme.web.clientSecret);
    const credentials = { username: acme.user.username, password: PASSWORD };
    const denied = await startAuthorization(config, { scope: 'openid email' });
    await signIn(new BrowserlessAgent([REDIRECT_URI]), denied.url, credentials, 'deny');
    const granted = await startAuthorization(config, { scope: 'openid profile' });
    await signIn(new BrowserlessAgent([REDIRECT_URI]), granted.url, credentials, 'approve');

    const events = (await api('GET', '/admin/tenants/acme/audit-events?limit=20')).body.items;
    const consent = (type: string) => events.find((e: { type: string }) => e.type === type);
    expect(consent('consent.denied')).toMatchObject({
      outcome: 'failure',
      clientId: acme.web.clientId,
      actor: { type: 'user', id: acme.user.id },
      data: { requested: 'openid email' },
    });
    expect(consent('consent.granted')).toMatchObject({
      outcome: 'success',
      clientId: acme.web.clientId,
      data: { scopes: expect.arrayContaining(['openid', 'profile']) },
    });
  });

  it('admin changes record what changed, before and after, and credentials only as "changed"', async () => {
    const latest = async (type: string) =>
      (await api('GET', `/admin/tenants/acme/audit-events?type=${type}&limit=1`)).body.items[0];

    await api('PATCH', '/admin/tenants/acme', { displayName: 'Acme Corp', settings: { mfaRequired: true } });
    const tenantChange = await latest('admin.tenants.patch');
    expect(tenantChange.data.changes.displayName).toEqual({ before: 'Tenant acme', after: 'Acme Corp' });
    expect(tenantChange.data.changes.settings.after).toMatchObject({ mfaRequired: true });
    expect(tenantChange.data.changes.slug).toBeUndefined();
    await api('PATCH', '/admin/tenants/acme', { settings: { mfaRequired: false } });

    const rotated = await api('POST', `/admin/tenants/acme/clients/${acme.service.clientId}/secret`);
    expect(rotated.status).toBe(200);
    const rotation = await latest('admin.clients.post');
    expect(rotation.data.changes).toBeUndefined();
    expect(rotation.data.credentialsChanged).toEqual(['secret']);

    const created = await api('POST', '/admin/tenants/acme/clients', { name: 'Reporting', applicationType: 'service' });
    const creation = await latest('admin.clients.post');
    expect(creation.data.changes.name).toEqual({ before: null, after: 'Reporting' });
    expect(creation.data.changes.clientSecret).toBeUndefined();
    expect(creation.data.credentialsChanged).toEqual(['clientSecret']);

    await api('PUT', `/admin/tenants/acme/users/${acme.user.id}/roles`, { roles: ['viewer'] });
    const assignment = await latest('admin.roles.put');
    expect(assignment.data.changes.roles).toEqual({ before: [], after: ['viewer'] });

    await api('POST', `/admin/tenants/acme/users/${acme.user.id}/password`, { password: 'another-long-passphrase-42' });
    const reset = await latest('admin.users.post');
    expect(reset.data.credentialsChanged).toEqual(['password']);

    const everything = JSON.stringify((await api('GET', '/admin/tenants/acme/audit-events?limit=100')).body);
    expect(everything).not.toContain(rotated.body.clientSecret);
    expect(everything).not.toContain(created.body.clientSecret);
    expect(everything).not.toMatch(/another-long-passphrase|\$argon2/);
  });

  it('pages with a cursor', async () => {
    const first = await api('GET', '/admin/tenants/acme/audit-events?limit=2');
    expect(first.body.items).toHaveLength(2);
    const second = await api('GET', `/admin/tenants/acme/audit-events?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items[0].seq).toBeLessThan(first.body.items[1].seq);
  });

  it('the chain verifies; the database refuses edits and deletes', async () => {
    const verified = await api('GET', '/admin/tenants/acme/audit-events/verify');
    expect(verified.status).toBe(200);
    expect(verified.body.valid).toBe(true);
    expect(verified.body.count).toBeGreaterThanOrEqual(5);

    const db = new pg.Client({ connectionString: server.databaseUrl });
    await db.connect();
    try {
      await expect(
        db.query(`UPDATE audit_events SET outcome = 'success' WHERE type = 'login.failure'`),
      ).rejects.toThrow(/append-only/);
      await expect(db.query(`DELETE FROM audit_events`)).rejects.toThrow(/append-only/);
    } finally {
      await db.end();
    }
  });

  it('detects tampering that bypasses the trigger, at the altered event', async () => {
    let tamperedSeq: number;
    const db = new pg.Client({ connectionString: server.databaseUrl });
    await db.connect();
    try {
      // An attacker with superuser rights disables the trigger and rewrites history.
      await db.query(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only`);
      const { rows } = await db.query(
        `UPDATE audit_events SET outcome = 'success'
          WHERE seq = (SELECT min(seq) FROM audit_events e JOIN tenants t ON t.id = e.tenant_id
                        WHERE t.slug = 'acme' AND e.type = 'login.failure')
            AND tenant_id = (SELECT id FROM tenants WHERE slug = 'acme')
          RETURNING seq`,
      );
      tamperedSeq = Number(rows[0].seq);
      await db.query(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only`);
    } finally {
      await db.end();
    }
    const verified = await api('GET', '/admin/tenants/acme/audit-events/verify');
    expect(verified.body).toEqual({
      valid: false,
      count: tamperedSeq - 1,
      firstBadSeq: tamperedSeq,
      reason: 'altered event',
    });
  });

  it('needs audit:read', async () => {
    const response = await fetch(`${server.publicUrl}/admin/tenants/acme/audit-events`);
    expect(response.status).toBe(401);
  });
});
