import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';

export interface EmbeddedPostgres {
  url: string;
  poolMax: number;
  stop(): Promise<void>;
}

/**
 * The socket server runs one statement at a time on PGlite's single session, but once a
 * connection opens a transaction it only serves that connection until the transaction
 * ends, so transactions stay isolated. A small pool keeps queueing short.
 */
const CONNECTIONS = 4;

/**
 * PGlite's own default is shared_buffers=160MB, WebAssembly memory that never shrinks once
 * touched; the embedded database serves one small instance, for which 32 MB of buffer cache
 * is plenty. Idle RSS of the whole server started on an existing data directory: 392 →
 * 281–317 MB (docs/performance.md).
 */
const START_PARAMS = ['-c', 'shared_buffers=32MB'];

/**
 * PGlite served over the Postgres wire protocol on a loopback port, so the server keeps
 * using TypeORM's ordinary `postgres` driver, the same entities and the same migrations.
 * (typeorm-pglite shares one session between connections: transactions would interleave.)
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  logger?: { info(message: string): void };
}): Promise<EmbeddedPostgres> {
  let dataDir: string | undefined;
  if (options.dataDir !== ':memory:') {
    mkdirSync(options.dataDir, { recursive: true });
    dataDir = resolve(options.dataDir, 'pglite');
  }
  // Loaded here, not at the top: a server on DATABASE_URL never needs PGlite.
  const [{ PGlite }, { PGLiteSocketServer }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite-socket'),
  ]);
  const startParams = [...PGlite.defaultStartParams, ...START_PARAMS];
  if (dataDir && !existsSync(join(dataDir, 'PG_VERSION'))) await createClusterOnWorker(dataDir, startParams);
  const db = await PGlite.create({ dataDir, startParams });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: CONNECTIONS + 1 });
  await server.start();
  const conn = server.getServerConn();
  options.logger?.info(`embedded database ${dataDir ?? '(in memory)'} on ${conn}`);
  return {
    url: `postgres://postgres@${conn}/postgres`,
    poolMax: CONNECTIONS,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

/**
 * Creates the database cluster of a new data directory (initdb) on a worker thread. A PGlite
 * instance can keep initdb's WebAssembly memory (~500 MB) referenced for as long as it lives:
 * a server whose own instance ran initdb idled at ~800 MB in two of three first starts. A
 * worker's memory is all returned when it ends.
 */
function createClusterOnWorker(dataDir: string, startParams: string[]): Promise<void> {
  const pglite = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads');
     require(workerData.pglite).PGlite.create(workerData.options).then((db) => db.close());`,
    { eval: true, workerData: { pglite, options: { dataDir, startParams } } },
  );
  return new Promise((done, fail) => {
    worker.once('error', fail);
    worker.once('exit', (code) => (code === 0 ? done() : fail(new Error(`initdb worker exited with code ${code}`))));
  });
}
