import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres.js';

describe('embedded Postgres (PGlite over the wire protocol)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'idp-pglite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps data across restarts and isolates concurrent transactions', async () => {
    let embedded = await startEmbeddedPostgres({ dataDir: dir });
    let pool = new pg.Pool({ connectionString: embedded.url, max: embedded.poolMax });
    await pool.query(`CREATE TABLE t (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), v jsonb NOT NULL, n int)`);
    await pool.query(`CREATE UNIQUE INDEX uq_t_n ON t (n)`);

    const rollingBack = await pool.connect();
    await rollingBack.query('BEGIN');
    await rollingBack.query(`INSERT INTO t (v, n) VALUES ('{"a":1}', 1)`);
    // Another connection commits while the first transaction is open...
    const committed = pool.query(`INSERT INTO t (v, n) VALUES ('{"b":2}', 2) ON CONFLICT (n) DO NOTHING`);
    await rollingBack.query('ROLLBACK');
    rollingBack.release();
    await committed;
    // ...and the rollback takes only its own row with it.
    expect((await pool.query('SELECT n FROM t ORDER BY n')).rows).toEqual([{ n: 2 }]);

    await pool.end();
    await embedded.stop();

    embedded = await startEmbeddedPostgres({ dataDir: dir });
    pool = new pg.Pool({ connectionString: embedded.url, max: embedded.poolMax });
    expect((await pool.query(`SELECT v FROM t`)).rows).toEqual([{ v: { b: 2 } }]);
    await pool.end();
    await embedded.stop();
  });

  it('runs in memory without touching the disk', async () => {
    const embedded = await startEmbeddedPostgres({ dataDir: ':memory:' });
    const client = new pg.Client({ connectionString: embedded.url });
    await client.connect();
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    // Not PGlite's 160 MB of WebAssembly memory, which would never be given back.
    expect((await client.query('SHOW shared_buffers')).rows).toEqual([{ shared_buffers: '32MB' }]);
    await client.end();
    await embedded.stop();
  });
});
