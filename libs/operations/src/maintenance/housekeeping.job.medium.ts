import { createDataSource, loadConfig, Metrics, runMigrations } from '@app/platform';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { HOUSEKEEPING_LOCK_ID, HousekeepingJob } from './housekeeping.job.js';
import { HousekeepingRepository } from './housekeeping.repository.js';

const DAY = 24 * 3600_000;

describe('housekeeping jobs (real Postgres)', () => {
  let database: TestDatabase;
  let db: DataSource;
  let metrics: Metrics;
  let job: HousekeepingJob;
  const now = new Date();
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const later = (ms: number) => new Date(now.getTime() + ms);
  let tenants: string[];
  let users: string[];
  let endpoints: string[];

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDataSource({ url: database.url, entities: [] });
    await db.initialize();
    await runMigrations(db);
    metrics = new Metrics();
    job = new HousekeepingJob(
      loadConfig({ WEBHOOK_DELIVERY_LOG_RETENTION_DAYS: '30' }),
      new HousekeepingRepository(db),
      metrics,
    );
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  beforeEach(async () => {
    await db.query(`DELETE FROM tenants`);
    tenants = [];
    users = [];
    endpoints = [];
    for (const slug of ['acme', 'globex']) {
      const [{ id }] = await db.query(`INSERT INTO tenants (slug, display_name) VALUES ($1, $1) RETURNING id`, [slug]);
      const [user] = await db.query(`INSERT INTO users (tenant_id, username) VALUES ($1, 'alice') RETURNING id`, [id]);
      const endpoint = randomUUID();
      await db.query(
        `INSERT INTO webhook_endpoints (id, tenant_id, url, secret_sealed) VALUES ($1, $2, 'https://hooks.example/x', 'sealed')`,
        [endpoint, id],
      );
      tenants.push(id);
      users.push(user.id);
      endpoints.push(endpoint);
    }
  });

  const session = (tenant: number, uid: string, expiresAt: Date) =>
    db.query(
      `INSERT INTO sessions (tenant_id, uid, account_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $4, $5)`,
      [tenants[tenant], uid, users[tenant], ago(DAY), expiresAt],
    );
  const token = (tenant: number, hash: string, expiresAt: Date, usedAt: Date | null) =>
    db.query(
      `INSERT INTO user_action_tokens (tenant_id, user_id, purpose, token_hash, email, expires_at, used_at)
       VALUES ($1, $2, 'reset_password', $3, 'a@example.com', $4, $5)`,
      [tenants[tenant], users[tenant], hash, expiresAt, usedAt],
    );
  const delivery = (tenant: number, eventId: string, deliveredAt: Date) =>
    db.query(
      `INSERT INTO webhook_deliveries (tenant_id, endpoint_id, event_id, event_type, attempt, status, duration_ms, delivered_at)
       VALUES ($1, $2, $3, 'login.success', 1, 'succeeded', 5, $4)`,
      [tenants[tenant], endpoints[tenant], eventId, deliveredAt],
    );
  const remaining = async (sql: string) => ((await db.query(sql)) as { key: string }[]).map((row) => row.key).sort();
  const pruned = async (jobName: string) =>
    (await metrics.housekeepingPruned.get()).values.find((value) => value.labels.job === jobName)?.value ?? 0;

  it('expired sessions: removes the index rows of expired sessions only, in every tenant', async () => {
    await session(0, 'expired-acme', ago(1000));
    await session(1, 'expired-globex', ago(DAY));
    await session(0, 'live-acme', later(3600_000));
    await session(1, 'live-globex', later(1000));
    const before = await pruned('expired-sessions');
    expect(await job.runOnce(now)).toMatchObject({ 'expired-sessions': 2 });
    expect(await remaining(`SELECT uid AS key FROM sessions`)).toEqual(['live-acme', 'live-globex']);
    expect((await pruned('expired-sessions')) - before).toBe(2);
  });

  it('user action tokens: removes used and expired ones, keeps those still usable', async () => {
    await token(0, 'used', later(3600_000), ago(1000));
    await token(0, 'expired', ago(1000), null);
    await token(1, 'used-and-expired', ago(DAY), ago(2 * DAY));
    await token(0, 'usable', later(3600_000), null);
    await token(1, 'usable-globex', later(60_000), null);
    expect(await job.runOnce(now)).toMatchObject({ 'user-action-tokens': 3 });
    expect(await remaining(`SELECT token_hash AS key FROM user_action_tokens`)).toEqual(['usable', 'usable-globex']);
  });

  it('webhook delivery log: removes rows older than the retention (30 days) only; endpoints stay', async () => {
    await delivery(0, 'old', ago(31 * DAY));
    await delivery(1, 'old-globex', ago(400 * DAY));
    await delivery(0, 'recent', ago(29 * DAY));
    await delivery(1, 'today', ago(1000));
    expect(await job.runOnce(now)).toMatchObject({ 'webhook-deliveries': 2 });
    expect(await remaining(`SELECT event_id AS key FROM webhook_deliveries`)).toEqual(['recent', 'today']);
    expect(await remaining(`SELECT id::text AS key FROM webhook_endpoints`)).toEqual([...endpoints].sort());
  });

  it('a backlog goes in batches of 1,000 until none is left', async () => {
    await db.query(
      `INSERT INTO sessions (tenant_id, uid, account_id, created_at, last_seen_at, expires_at)
       SELECT $1, 'old-' || n, $2, $3, $3, $3 FROM generate_series(1, 2500) AS n`,
      [tenants[0], users[0], ago(DAY)],
    );
    await session(0, 'live', later(3600_000));
    const batches = jest.spyOn(HousekeepingRepository.prototype, 'pruneBatch');
    expect(await job.runOnce(now)).toMatchObject({ 'expired-sessions': 2500 });
    const sessionBatches = batches.mock.calls.filter(([name]) => name === 'expired-sessions');
    expect(sessionBatches).toHaveLength(3);
    expect(await Promise.all(batches.mock.results.slice(0, 3).map((result) => result.value))).toEqual([
      1000, 1000, 500,
    ]);
    batches.mockRestore();
    expect(await remaining(`SELECT uid AS key FROM sessions`)).toEqual(['live']);
    expect(await job.runOnce(now)).toEqual({ 'expired-sessions': 0, 'user-action-tokens': 0, 'webhook-deliveries': 0 });
  });

  it('one instance at a time: while another holds the advisory lock, a run deletes nothing', async () => {
    await session(0, 'expired', ago(1000));
    const other = db.createQueryRunner();
    await other.connect();
    try {
      await other.query('SELECT pg_advisory_lock($1)', [HOUSEKEEPING_LOCK_ID]);
      expect(await job.runOnce(now)).toBeNull();
      expect(await remaining(`SELECT uid AS key FROM sessions`)).toEqual(['expired']);
    } finally {
      await other.query('SELECT pg_advisory_unlock($1)', [HOUSEKEEPING_LOCK_ID]);
      await other.release();
    }
    expect(await job.runOnce(now)).toMatchObject({ 'expired-sessions': 1 });
  });
});
