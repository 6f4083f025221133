import { generateSecret } from '@app/platform';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, testRedisPrefix } from './real-services.js';
import { adminClient, freePort } from './test-server.js';
import { TEST_REDIS_URL } from './test.config.js';

const ROOT = join(__dirname, '..', '..', '..');
const MAIN = join(ROOT, 'dist', 'apps', 'auth-server', 'src', 'main.js');

export interface BuiltServer {
  url: string;
  publicUrl: string;
  child: ChildProcess;
  issuer(slug: string): string;
  adminToken(): Promise<string>;
  adminApi(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: any }>;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  close(): Promise<void>;
}

/** Builds the server if a source is newer than the last build (what `npm start` does). */
export function ensureBuilt(): void {
  const build = spawnSync(process.execPath, [join(ROOT, 'tools', 'build-if-stale.mjs')], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (build.status !== 0) throw new Error(`build failed: ${build.stdout}${build.stderr}`);
}

/**
 * The built server (`node dist/…/main.js`, as `npm start` runs it) in a process of its own,
 * on the machine's Postgres (a database of its own) and Redis (a prefix of its own): for
 * what only a real process shows — start-up, signals, instrumentation loaded before modules.
 */
export async function startBuiltServer(options: { env?: Record<string, string> } = {}): Promise<BuiltServer> {
  ensureBuilt();
  const port = await freePort();
  const database = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'idp-built-'));
  const admin = { clientId: 'test-admin', clientSecret: generateSecret() };
  const publicUrl = `http://localhost:${port}`;
  let output = '';
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      DATA_DIR: dataDir,
      MASTER_KEY: randomBytes(32).toString('hex'),
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: testRedisPrefix(),
      BOOTSTRAP_ADMIN_CLIENT_ID: admin.clientId,
      BOOTSTRAP_ADMIN_CLIENT_SECRET: admin.clientSecret,
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('auth server listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before it was ready:\n${output}`));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    publicUrl,
    child,
    issuer: (slug) => `${publicUrl}/t/${slug}`,
    ...adminClient(url, publicUrl, admin),
    output: () => output,
    async close() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
