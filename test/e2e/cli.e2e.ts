import { APP_CONFIG, type AppConfig } from '@app/platform';
import { startTestServer, type TestServer } from '@app/testing';
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
});
