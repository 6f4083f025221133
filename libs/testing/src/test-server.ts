import { generateSecret, loadConfig } from '@app/platform';
import type { DestinationStream } from 'pino';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type StartedServer } from '../../../apps/auth-server/src/server.js';
import { createTestDatabase, testRedisPrefix } from './real-services.js';
import { TEST_LOG_LEVEL, TEST_REDIS_URL } from './test.config.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface TestServer {
  url: string;
  databaseUrl?: string;
  redisPrefix: string;
  masterKey: string;
  publicUrl: string;
  admin: { clientId: string; clientSecret: string };
  server: StartedServer;
  issuer(slug: string): string;
  adminToken(): Promise<string>;
  adminApi(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/**
 * The whole server on a free port. Default: the machine's real Postgres (a database of its
 * own) and Redis (a key prefix of its own). `embedded: true`: no DATABASE_URL and no
 * REDIS_URL, i.e. PGlite in a temp DATA_DIR and the in-process store.
 */
export async function startTestServer(
  options: {
    embedded?: boolean;
    env?: Record<string, string>;
    sharingStoresWith?: TestServer;
    /** Receives the server's log lines instead of stdout. */
    logDestination?: DestinationStream;
  } = {},
): Promise<TestServer> {
  const port = await freePort();
  const peer = options.sharingStoresWith;
  const admin = peer?.admin ?? { clientId: 'test-admin', clientSecret: generateSecret() };
  const ownDatabase = options.embedded || peer ? null : await createTestDatabase();
  const database = ownDatabase ?? (peer?.databaseUrl ? { url: peer.databaseUrl } : null);
  const dataDir = mkdtempSync(join(tmpdir(), 'idp-test-'));
  const redisPrefix = peer?.redisPrefix ?? testRedisPrefix();
  // Instances of one deployment share the master key (signing keys are sealed with it).
  const masterKeyHex = peer?.masterKey ?? randomBytes(32).toString('hex');
  const config = loadConfig({
    MASTER_KEY: masterKeyHex,
    // Behind one load balancer every instance has the same public URL.
    ...(peer ? { PUBLIC_URL: peer.publicUrl } : {}),
    PORT: String(port),
    DATA_DIR: dataDir,
    LOG_LEVEL: TEST_LOG_LEVEL,
    BOOTSTRAP_ADMIN_CLIENT_ID: admin.clientId,
    BOOTSTRAP_ADMIN_CLIENT_SECRET: admin.clientSecret,
    ...(database ? { DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: redisPrefix } : {}),
    ...options.env,
  });
  const server = await startServer(config, port, { logDestination: options.logDestination });
  const publicUrl = config.publicUrl;

  const { adminApi, adminToken } = adminClient(server.url, publicUrl, admin);

  return {
    url: server.url,
    databaseUrl: database?.url,
    redisPrefix,
    masterKey: masterKeyHex,
    publicUrl,
    admin,
    server,
    issuer: (slug) => `${publicUrl}/t/${slug}`,
    adminToken,
    adminApi,
    async close() {
      await server.close();
      await ownDatabase?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The admin API as the bootstrap admin client calls it: a cached client-credentials token. */
export function adminClient(baseUrl: string, publicUrl: string, admin: { clientId: string; clientSecret: string }) {
  const adminApi = async (method: string, path: string, body?: unknown, token?: string) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as any };
  };

  let cachedToken: string | undefined;
  const adminToken = async () => {
    if (cachedToken) return cachedToken;
    const response = await fetch(`${baseUrl}/t/system/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${admin.clientId}:${admin.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'admin', resource: `${publicUrl}/admin` }),
    });
    const json = (await response.json()) as { access_token?: string };
    if (!json.access_token) throw new Error(`admin token request failed: ${JSON.stringify(json)}`);
    return (cachedToken = json.access_token);
  };

  return {
    adminToken,
    adminApi: async (method: string, path: string, body?: unknown, token?: string) =>
      adminApi(method, path, body, token ?? (await adminToken())),
  };
}
