import { APP_CONFIG, type AppConfig, loadConfig } from '@app/platform';
import { createTestDatabase, startTestServer, type TestServer } from '@app/testing';
import pg from 'pg';
import { runCommand, UsageError } from '../../apps/cli/src/commands.js';

/** The operator CLI against the same database and Redis as a running server. */
describe('cli', () => {
  let server: TestServer;
  let config: AppConfig;
  const cli = async (...args: string[]) => {
    const lines: string[] = [];
    const code = await runCommand(args, config, (line) => lines.push(line));
    return { code, output: lines.join('\n') };
  };

  beforeAll(async () => {
    server = await startTestServer();
    config = server.server.app.get(APP_CONFIG);
    await server.adminApi('POST', '/admin/tenants', { slug: 'acme', displayName: 'Acme' });
    for (const username of ['ann', 'bob', 'cy'])
      await server.adminApi('POST', '/admin/tenants/acme/users', { username });
  });
  afterAll(() => server?.close());

  it('audit-verify reports a valid chain with its length', async () => {
    expect(await cli('audit-verify', '--tenant', 'acme')).toEqual({
      code: 0,
      output: 'audit chain of acme is valid: 3 events',
    });
  });

  it('audit-verify exits 1 and names the first bad link after tampering', async () => {
    const db = new pg.Client({ connectionString: server.databaseUrl });
    await db.connect();
    try {
      await db.query(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only`);
      await db.query(
        `UPDATE audit_events SET data = '{"route":"forged"}'
          WHERE seq = 2 AND tenant_id = (SELECT id FROM tenants WHERE slug = 'acme')`,
      );
      await db.query(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only`);
    } finally {
      await db.end();
    }
    expect(await cli('audit-verify', '--tenant', 'acme')).toEqual({
      code: 1,
      output: 'audit chain of acme is BROKEN at seq 2 (altered event); 1 events before it are valid',
    });
  });

  it('refuses a missing option or an unknown command as usage errors', async () => {
    await expect(cli('audit-verify')).rejects.toThrow(UsageError);
    await expect(cli('explode')).rejects.toThrow(/unknown command/);
  });

  it('rotate-keys and create-tenant work against the live database', async () => {
    expect((await cli('create-tenant', '--slug', 'globex', '--name', 'Globex')).output).toBe(
      `created tenant globex: issuer ${server.issuer('globex')}`,
    );
    expect((await cli('rotate-keys', '--tenant', 'globex')).output).toMatch(/^rotated: new current key \S+$/);
    const discovery = await fetch(`${server.issuer('globex')}/.well-known/openid-configuration`);
    expect(discovery.status).toBe(200);
  });

  it('migrate:revert undoes the last migration with its down(); every down() reverses its up()', async () => {
    const database = await createTestDatabase();
    const own = loadConfig({ DATABASE_URL: database.url });
    const run = async (...args: string[]) => {
      const lines: string[] = [];
      await runCommand(args, own, (line) => lines.push(line));
      return lines.join('\n');
    };
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    const tables = async () =>
      (await db.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`)).rows.map(
        (row: { tablename: string }) => row.tablename as string,
      );
    try {
      const applied = (await run('migrate')).replace(/^applied: /, '').split(', ');
      expect(applied.length).toBeGreaterThan(10);
      const schema = await tables();

      expect(await run('migrate:revert')).toBe(`reverted: ${applied.at(-1)}`);
      expect(await run('migrate')).toBe(`applied: ${applied.at(-1)}`);

      // All the way down, newest first, then up again: the same schema as before.
      for (const name of [...applied].reverse()) expect(await run('migrate:revert')).toBe(`reverted: ${name}`);
      expect(await tables()).toEqual(['schema_migrations']);
      expect(await run('migrate:revert')).toBe('no migration to revert');
      expect(await run('migrate')).toBe(`applied: ${applied.join(', ')}`);
      expect(await tables()).toEqual(schema);
    } finally {
      await db.end();
      await database.drop();
    }
  });
});
