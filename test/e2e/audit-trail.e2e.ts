import { AuditService } from '@app/audit';
import { AuditRetentionJob } from '@app/operations';
import { MASTER_KEY } from '@app/platform';
import { startTestServer, type TestServer } from '@app/testing';
import pg from 'pg';
import { DataSource } from 'typeorm';
import {
  clientCredentials,
  provisionTenant,
  revoke,
  signInForTokens,
  type TenantFixture,
  tokenRequest,
} from './oidc-flows.js';

type AuditEvent = Record<string, any>;

/** Token events, queries, export, retention and concurrent writers of the audit trail. */
describe('audit trail: tokens, queries, export, retention', () => {
  let server: TestServer;
  let acme: TenantFixture;
  const api = (method: string, path: string, body?: unknown) => server.adminApi(method, path, body);
  const events = async (query: string) =>
    (await api('GET', `/admin/tenants/acme/audit-events?limit=200&${query}`)).body.items as AuditEvent[];
  /** Token events are batched (≤ 0.1 s); wait for the batch rather than assuming it. */
  async function eventually(query: string, predicate: (items: AuditEvent[]) => boolean): Promise<AuditEvent[]> {
    for (let attempt = 0; attempt < 40; attempt++) {
      const items = await events(query);
      if (predicate(items)) return items;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no audit events matching ${query}`);
  }
  const tenantId = async (slug: string) => (await api('GET', `/admin/tenants/${slug}`)).body.id as string;

  beforeAll(async () => {
    server = await startTestServer();
    acme = await provisionTenant(server, 'acme');
  });
  afterAll(() => server?.close());

  it('records tokens issued, refreshed and revoked, without the tokens', async () => {
    const issued = await clientCredentials(acme.issuer, acme.service, { scope: 'read' });
    const { tokens } = await signInForTokens(acme);
    const refreshed = await tokenRequest(
      acme.issuer,
      { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! },
      { id: acme.web.clientId, secret: acme.web.clientSecret },
    );
    expect(refreshed.status).toBe(200);
    expect((await revoke(acme.issuer, refreshed.body.refresh_token, acme.web)).status).toBe(200);

    const [machine] = await eventually(`type=token.issued&actor=${acme.service.clientId}`, (items) => items.length > 0);
    expect(machine).toMatchObject({
      outcome: 'success',
      actor: { type: 'client', id: acme.service.clientId },
      data: { grantType: 'client_credentials', scope: 'read' },
    });
    const [refresh] = await eventually('type=token.refreshed', (items) => items.length > 0);
    expect(refresh).toMatchObject({ actor: { type: 'user', id: acme.user.id }, clientId: acme.web.clientId });
    await eventually('type=token.revoked', (items) => items.some((e) => e.clientId === acme.web.clientId));

    const all = JSON.stringify(await events(''));
    for (const secret of [issued.body.access_token, tokens.refresh_token, refreshed.body.refresh_token])
      expect(all).not.toContain(secret);
  });

  it('a replayed refresh token is recorded before the error answer', async () => {
    const { tokens } = await signInForTokens(acme);
    const replay = (token: string) =>
      tokenRequest(
        acme.issuer,
        { grant_type: 'refresh_token', refresh_token: token },
        { id: acme.web.clientId, secret: acme.web.clientSecret },
      );
    expect((await replay(tokens.refresh_token!)).status).toBe(200);
    expect((await replay(tokens.refresh_token!)).body.error).toBe('invalid_grant');
    // No waiting: this one is written before the response.
    const [reuse] = await events('type=token.reuse_detected');
    expect(reuse).toMatchObject({
      outcome: 'failure',
      clientId: acme.web.clientId,
      actor: { type: 'user', id: acme.user.id },
      data: { grantType: 'refresh_token', grantRevoked: true },
    });
  });

  it('filters by actor, subject and time window', async () => {
    const before = new Date().toISOString();
    await api('PATCH', `/admin/tenants/acme/users/${acme.user.id}`, { email: 'alice@new.example' });
    const after = new Date().toISOString();

    const bySubject = await events(`subject=${acme.user.id}&type=admin.users.patch`);
    expect(bySubject).toHaveLength(1);
    const byActor = await events(`actor=${server.admin.clientId}&since=${before}&until=${after}`);
    expect(byActor.map((e) => e.type)).toEqual(['admin.users.patch']);
    expect(await events(`until=${before}&type=admin.users.patch`)).toEqual([]);

    const invalid = await api('GET', '/admin/tenants/acme/audit-events?until=yesterday');
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toBe('invalid_request');
  });

  it('exports the trail as NDJSON, oldest first, with the same filters', async () => {
    const response = await fetch(`${server.url}/admin/tenants/acme/audit-events/export?type=admin.clients.post`, {
      headers: { authorization: `Bearer ${await server.adminToken()}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const lines = (await response.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as AuditEvent);
    expect(lines.map((e) => e.id)).toEqual((await events('type=admin.clients.post')).map((e) => e.id).reverse());
    expect(lines.length).toBeGreaterThanOrEqual(4); // the fixture's clients
    expect(lines.every((e) => e.type === 'admin.clients.post')).toBe(true);
    const seqs = lines.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));

    const unauthenticated = await fetch(`${server.url}/admin/tenants/acme/audit-events/export`);
    expect(unauthenticated.status).toBe(401);
  });

  it('concurrent writers keep one valid chain', async () => {
    const audit = server.server.app.get(AuditService);
    const id = await tenantId('acme');
    const before = (await api('GET', '/admin/tenants/acme/audit-events/verify')).body.count;
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i % 2
          ? audit.record(id, { type: 'test.parallel', outcome: 'success', data: { i } })
          : Promise.resolve(audit.recordBatched(id, { type: 'test.parallel', outcome: 'success', data: { i } })),
      ),
    );
    await audit.flush();
    const verified = (await api('GET', '/admin/tenants/acme/audit-events/verify')).body;
    expect(verified.valid).toBe(true);
    expect(verified.count).toBeGreaterThanOrEqual(before + 40);
    expect(await events('type=test.parallel')).toHaveLength(40);
  });

  it('one flush of many tenants keeps each tenant its own valid chain, beside concurrent single writes', async () => {
    const audit = server.server.app.get(AuditService);
    const slugs = ['flush-a', 'flush-b', 'flush-c'];
    for (const slug of slugs) await provisionTenant(server, slug);
    const ids = await Promise.all(slugs.map(tenantId));
    const counts = async () =>
      Promise.all(slugs.map(async (slug) => (await api('GET', `/admin/tenants/${slug}/audit-events/verify`)).body));
    const before = await counts();
    // Interleaved across tenants, with durable single writes racing the batched ones.
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 30; i++) {
      const id = ids[i % 3];
      if (i % 5 === 0) writes.push(audit.record(id, { type: 'test.flush', outcome: 'success', data: { i } }));
      else audit.recordBatched(id, { type: 'test.flush', outcome: 'success', data: { i } });
    }
    await Promise.all([...writes, audit.flush()]);
    const after = await counts();
    after.forEach((verified, n) => {
      expect(verified.valid).toBe(true);
      expect(verified.count).toBe(before[n].count + 10);
    });
    for (const slug of slugs) {
      const items = (await api('GET', `/admin/tenants/${slug}/audit-events?type=test.flush&limit=50`)).body
        .items as AuditEvent[];
      expect(items).toHaveLength(10);
    }
  });

  it('two instances writing one chain (neither sees the other in memory) keep it valid and complete', async () => {
    const local = server.server.app.get(AuditService);
    // A second writer with its own memory of chain heads, as another server instance has.
    const other = new AuditService(server.server.app.get(DataSource), server.server.app.get(MASTER_KEY));
    await provisionTenant(server, 'twin');
    const id = await tenantId('twin');
    const before = (await api('GET', '/admin/tenants/twin/audit-events/verify')).body.count as number;
    const write = (writer: AuditService, i: number) =>
      writer.record(id, { type: 'test.twin', outcome: 'success', data: { i } });
    // Alternating: each write finds the head moved by the other since its own last write.
    for (let i = 0; i < 6; i++) await write(i % 2 ? other : local, i);
    // And racing, durable and batched alike.
    await Promise.all(Array.from({ length: 20 }, (_, i) => write(i % 2 ? other : local, 6 + i)));
    for (let i = 26; i < 30; i++)
      (i % 2 ? other : local).recordBatched(id, { type: 'test.twin', outcome: 'success', data: { i } });
    await Promise.all([local.flush(), other.flush()]);
    const verified = (await api('GET', '/admin/tenants/twin/audit-events/verify')).body;
    expect(verified).toMatchObject({ valid: true, count: before + 30 });
    const twin = (await api('GET', '/admin/tenants/twin/audit-events?type=test.twin&limit=50')).body
      .items as AuditEvent[];
    expect(twin.map((e) => e.data.i).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  it('an event that cannot be put in canonical form is refused alone; the rest of its flush is written', async () => {
    const audit = server.server.app.get(AuditService);
    const id = await tenantId('acme');
    const before = (await api('GET', '/admin/tenants/acme/audit-events/verify')).body.count as number;
    audit.recordBatched(id, { type: 'test.refusal', outcome: 'success', data: { n: 1 } });
    const bad = audit.record(id, { type: 'test.refusal', outcome: 'failure', subject: 'lone \uD800 surrogate' });
    const good = audit.record(id, { type: 'test.refusal', outcome: 'success', data: { n: 2 } });
    await expect(bad).rejects.toThrow(/surrogate/i);
    await expect(good).resolves.toBeUndefined();
    await audit.flush();
    const verified = (await api('GET', '/admin/tenants/acme/audit-events/verify')).body;
    expect(verified).toMatchObject({ valid: true, count: before + 2 });
    expect((await events('type=test.refusal')).map((e) => e.data.n).sort()).toEqual([1, 2]);
  });

  describe('retention', () => {
    beforeAll(async () => {
      await api('POST', '/admin/tenants', { slug: 'retained', displayName: 'Retained' });
      for (const name of ['one', 'two', 'three'])
        await api('POST', '/admin/tenants/retained/users', { username: name });
    });
    const verify = async () => (await api('GET', '/admin/tenants/retained/audit-events/verify')).body;
    const trail = async () =>
      (await api('GET', '/admin/tenants/retained/audit-events?limit=200')).body.items as AuditEvent[];

    it('removes events older than the cutoff and leaves a checkpoint the rest verifies from', async () => {
      const audit = server.server.app.get(AuditService);
      const id = await tenantId('retained');
      const old = await trail();
      await new Promise((resolve) => setTimeout(resolve, 20));
      const cutoff = new Date();
      await api('POST', '/admin/tenants/retained/users', { username: 'four' });

      expect(await audit.prune(id, cutoff)).toBe(old.length);
      const remaining = await trail();
      expect(remaining.map((e) => e.data.route)).toEqual(['/admin/tenants/:slug/users']);
      expect(await verify()).toEqual({ valid: true, count: 1, startsAfterSeq: old[0].seq });

      // The chain goes on from the checkpoint.
      await api('POST', '/admin/tenants/retained/users', { username: 'five' });
      expect(await verify()).toMatchObject({ valid: true, count: 2 });
    });

    it('the hourly job honours each tenant setting (0 = keep forever)', async () => {
      const job = server.server.app.get(AuditRetentionJob);
      const inTwoDays = new Date(Date.now() + 2 * 24 * 3600_000);
      await api('PATCH', '/admin/tenants/retained', { settings: { auditRetentionDays: 0 } });
      const kept = (await trail()).length;
      await job.runOnce(inTwoDays);
      expect((await trail()).length).toBeGreaterThanOrEqual(kept);

      await api('PATCH', '/admin/tenants/retained', { settings: { auditRetentionDays: 1 } });
      await job.runOnce(inTwoDays);
      expect(await trail()).toEqual([]);
      expect(await verify()).toMatchObject({ valid: true, count: 0 });
    });

    it('a forged checkpoint (written without the master key) breaks verification', async () => {
      const id = await tenantId('retained');
      const db = new pg.Client({ connectionString: server.databaseUrl });
      await db.connect();
      try {
        await db.query(
          `INSERT INTO audit_checkpoints (tenant_id, seq, hash, removed_count, signature)
           VALUES ($1, 100000, $2, 0, $3)`,
          [id, 'f'.repeat(64), '0'.repeat(64)],
        );
      } finally {
        await db.end();
      }
      expect(await verify()).toMatchObject({ valid: false, reason: 'checkpoint signature', firstBadSeq: 100000 });
    });
  });
});
