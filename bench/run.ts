/**
 * Over 300 lines on purpose: the benchmark's one script, workload table and report together, so
 * a run reads top to bottom; its helpers are in bench/lib/.
 *
 * `npm run bench [-- --quick] [-- --profile] [-- --only=a,b]`: our server side by side with bare
 * oidc-provider (bench/reference-server.ts), both on real Redis, ours on a fresh Postgres
 * database. Reports throughput, latency, errors and peak RSS per workload, the ratio
 * ours / reference, start-to-ready time and the 10,000-tenant figures; writes JSON and
 * markdown under bench/results/. Exits non-zero when any request failed.
 */
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { LoadSpec, RequestSpec, WorkerMessage } from './load-worker.js';
import type { ReferenceOptions } from './reference-server.js';
import { basicAuth, FORM, type LoginTarget, postForm, send } from './lib/http.js';
import {
  cpuMs,
  freePort,
  peakRssMb,
  resetPeakRss,
  rssMb,
  type ServerProcess,
  startServer,
  stopServer,
} from './lib/processes.js';
import {
  type Check,
  checksTable,
  combine,
  ratio,
  type ServerSample,
  THROUGHPUT_TARGET,
  type WorkloadResult,
  workloadTable,
} from './lib/stats.js';
import { createTenantsDirectly } from './lib/tenants.js';

const ROOT = resolve(import.meta.dirname, '../..');
const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const PROFILE = args.includes('--profile');
/** `--only=jwks,logins` runs the workloads whose names start so; add `tenants` for the 10,000-tenant phase. */
const ONLY = args
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
/** `--ours-env=LOG_LEVEL=warn` (repeatable): try a setting on our server without editing the harness. */
const OURS_ENV = Object.fromEntries(
  args.filter((a) => a.startsWith('--ours-env=')).map((a) => a.slice('--ours-env='.length).split(/=(.*)/s, 2)),
);
const POSTGRES_URL =
  process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const MODE = QUICK
  ? { warmupSec: 1, durationSec: 2, rounds: 1, revocations: 400, tenants: 10_000, sample: 200 }
  : { warmupSec: 3, durationSec: 10, rounds: 2, revocations: 3000, tenants: 10_000, sample: 200 };
const CONCURRENCY = { requests: 16, flows: 8 };
/** What `npm start` and the Docker image set for the process; both servers get it alike. */
const RUNTIME_ENV = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' };
const REDIRECT_URI = 'http://127.0.0.1:9/callback';
const PASSWORD = 'correct-horse-battery-staple';
const RSS_TARGET_MB = 250;
const READY_TARGET_MS = 3000;
const TENANT_P99_TARGET = 1.2;

interface Target {
  name: 'reference' | 'ours';
  server: ServerProcess;
  issuer: string;
  jwksUri: string;
  api: string;
  jwtService: { clientId: string; clientSecret: string };
  opaqueService: { clientId: string; clientSecret: string };
  web: { clientId: string; clientSecret: string };
  usernames: string[];
}

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

async function json(response: Promise<{ status: number; body: string }>, what: string, expected = [200, 201]) {
  const { status, body } = await response;
  if (!expected.includes(status)) throw new Error(`${what}: ${status} ${body.slice(0, 300)}`);
  return (body ? JSON.parse(body) : {}) as Record<string, any>;
}

/** Runs one load in its own process; the server's peak RSS is reset when measuring starts. */
function runLoad(target: Target, spec: LoadSpec): Promise<ServerSample & { errorExamples: string[] }> {
  return new Promise((resolvePromise, reject) => {
    const worker = fork(join(import.meta.dirname, 'load-worker.js'), [JSON.stringify(spec)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: Extract<WorkerMessage, { type: 'result' }> | undefined;
    let cpuAtStart = 0;
    let cpuUsed = 0;
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'measuring') {
        resetPeakRss(target.server.pid);
        cpuAtStart = cpuMs(target.server.pid);
      } else {
        cpuUsed = cpuMs(target.server.pid) - cpuAtStart;
        result = message;
      }
    });
    worker.once('exit', (code) => {
      if (!result) return reject(new Error(`load worker for ${target.name} exited with ${code}`));
      const { sample, errorExamples } = result;
      resolvePromise({
        ...sample,
        peakRssMb: peakRssMb(target.server.pid),
        cpuMsPerOp: cpuUsed / Math.max(1, sample.completed + sample.errors),
        errorExamples,
      });
    });
  });
}

function timing(concurrency: number) {
  return { concurrency, warmupSec: MODE.warmupSec, durationSec: MODE.durationSec };
}

function tokenRequest(target: Target, client: Target['jwtService'], form: Record<string, string>): RequestSpec {
  return {
    url: `${target.issuer}/token`,
    method: 'POST',
    headers: { 'content-type': FORM, authorization: basicAuth(client.clientId, client.clientSecret) },
    body: new URLSearchParams(form).toString(),
  };
}

function loginTarget(target: Target, scope: string): LoginTarget {
  return {
    issuer: target.issuer,
    clientId: target.web.clientId,
    clientSecret: target.web.clientSecret,
    redirectUri: REDIRECT_URI,
    usernames: target.usernames,
    password: PASSWORD,
    scope,
  };
}

interface Workload {
  name: string;
  gated: boolean;
  spec(target: Target): Promise<LoadSpec>;
}

const WORKLOADS: Workload[] = [
  {
    name: 'discovery',
    gated: false,
    spec: async (t) => ({
      kind: 'autocannon',
      request: { url: `${t.issuer}/.well-known/openid-configuration`, method: 'GET' },
      ...timing(CONCURRENCY.requests),
    }),
  },
  {
    name: 'jwks',
    gated: false,
    spec: async (t) => ({
      kind: 'autocannon',
      request: { url: t.jwksUri, method: 'GET' },
      ...timing(CONCURRENCY.requests),
    }),
  },
  {
    name: 'client credentials → JWT',
    gated: true,
    spec: async (t) => ({
      kind: 'autocannon',
      request: tokenRequest(t, t.jwtService, { grant_type: 'client_credentials', resource: t.api, scope: 'read' }),
      ...timing(CONCURRENCY.requests),
    }),
  },
  {
    name: 'client credentials → opaque',
    gated: true,
    spec: async (t) => ({
      kind: 'autocannon',
      request: tokenRequest(t, t.opaqueService, { grant_type: 'client_credentials' }),
      ...timing(CONCURRENCY.requests),
    }),
  },
  {
    name: 'introspection (opaque)',
    gated: true,
    spec: async (t) => {
      const auth = basicAuth(t.opaqueService.clientId, t.opaqueService.clientSecret);
      const issued = await json(postForm(`${t.issuer}/token`, { grant_type: 'client_credentials' }, auth), 'token');
      return {
        kind: 'autocannon',
        request: {
          url: `${t.issuer}/token/introspection`,
          method: 'POST',
          headers: { 'content-type': FORM, authorization: auth },
          body: new URLSearchParams({ token: issued.access_token }).toString(),
        },
        ...timing(CONCURRENCY.requests),
      };
    },
  },
  {
    name: 'refresh with rotation',
    gated: true,
    spec: async (t) => ({
      kind: 'refresh',
      login: loginTarget(t, 'openid offline_access'),
      ...timing(CONCURRENCY.requests),
    }),
  },
  {
    name: 'revocation (opaque)',
    gated: true,
    spec: async (t) => ({
      kind: 'revoke',
      tokenUrl: `${t.issuer}/token`,
      revocationUrl: `${t.issuer}/token/revocation`,
      client: { id: t.opaqueService.clientId, secret: t.opaqueService.clientSecret },
      concurrency: CONCURRENCY.requests,
      warmupCount: Math.round(MODE.revocations / 4),
      count: MODE.revocations,
    }),
  },
  {
    name: 'logins (PKCE → form → code → token)',
    gated: true,
    spec: async (t) => ({ kind: 'login', login: loginTarget(t, 'openid'), ...timing(CONCURRENCY.flows) }),
  },
];

async function provisionOurs(server: ServerProcess, publicUrl: string, admin: { id: string; secret: string }) {
  const token = await json(
    postForm(
      `${publicUrl}/t/system/token`,
      { grant_type: 'client_credentials', scope: 'admin', resource: `${publicUrl}/admin` },
      basicAuth(admin.id, admin.secret),
    ),
    'admin token',
  );
  const api = (path: string, body: unknown) =>
    json(
      send(
        'POST',
        `${publicUrl}/admin${path}`,
        { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
        JSON.stringify(body),
      ),
      `POST ${path}`,
    );
  const slug = 'bench';
  await api('/tenants', { slug, displayName: 'Benchmark' });
  const apiIdentifier = 'https://api.bench.example';
  await api(`/tenants/${slug}/resources`, { identifier: apiIdentifier, name: 'API', scopes: ['read', 'write'] });
  const service = (name: string, resources: string[]) =>
    api(`/tenants/${slug}/clients`, { name, applicationType: 'service', resources });
  const jwtService = await service('JWT backend', [apiIdentifier]);
  const opaqueService = await service('Opaque backend', []);
  const web = await api(`/tenants/${slug}/clients`, {
    name: 'First-party web app',
    applicationType: 'web',
    redirectUris: [REDIRECT_URI],
    firstParty: true,
  });
  const usernames: string[] = [];
  for (let i = 0; i < CONCURRENCY.requests; i++) {
    const user = await api(`/tenants/${slug}/users`, {
      username: `user-${i}`,
      password: PASSWORD,
      emailVerified: true,
    });
    usernames.push(String(user.username));
  }
  const issuer = `${publicUrl}/t/${slug}`;
  const discovery = await json(send('GET', `${issuer}/.well-known/openid-configuration`), 'discovery');
  const creds = (c: Record<string, any>) => ({ clientId: String(c.clientId), clientSecret: String(c.clientSecret) });
  return {
    name: 'ours' as const,
    server,
    issuer,
    jwksUri: String(discovery.jwks_uri),
    api: apiIdentifier,
    jwtService: creds(jwtService),
    opaqueService: creds(opaqueService),
    web: creds(web),
    usernames,
  };
}

/** With --profile, each server writes a V8 CPU profile (open in Chrome DevTools) when it stops. */
function profileFlags(outDir: string, name: string): string[] {
  if (!PROFILE) return [];
  const exitOnSigterm = join(import.meta.dirname, 'lib/exit-on-sigterm.js');
  return ['--cpu-prof', `--cpu-prof-dir=${join(outDir, `profile-${name}`)}`, '--import', exitOnSigterm];
}

function secret(): string {
  return randomBytes(32).toString('base64url');
}

async function main(): Promise<number> {
  const runId = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
  const outDir = join(ROOT, 'bench', 'results', runId);
  mkdirSync(outDir, { recursive: true });
  const dbName = `bench_${runId.replace(/[^a-z0-9]/gi, '_').toLowerCase()}`;
  const ourPrefix = `bench-${runId}:`;
  const refPrefix = `bench-${runId}-ref:`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const databaseUrl = Object.assign(new URL(POSTGRES_URL), { pathname: `/${dbName}` }).href;
  const servers: ServerProcess[] = [];
  try {
    log(`mode ${QUICK ? 'quick' : 'full'}; logs in ${outDir}`);
    const ourPort = await freePort();
    const publicUrl = `http://127.0.0.1:${ourPort}`;
    const masterKey = randomBytes(32);
    const adminClient = { id: 'bench-admin', secret: secret() };
    const ourArgs = [...profileFlags(outDir, 'ours'), join(ROOT, 'dist/apps/auth-server/src/main.js')];
    const ourEnv = {
      PATH: process.env.PATH,
      ...RUNTIME_ENV,
      PORT: String(ourPort),
      PUBLIC_URL: publicUrl,
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      REDIS_KEY_PREFIX: ourPrefix,
      MASTER_KEY: masterKey.toString('hex'),
      BOOTSTRAP_ADMIN_CLIENT_ID: adminClient.id,
      BOOTSTRAP_ADMIN_CLIENT_SECRET: adminClient.secret,
      LOG_LEVEL: 'info',
      ...OURS_ENV,
    };
    const ourLog = join(outDir, 'ours.log');
    const oursServer = await startServer('ours', ourArgs, ourEnv, `${publicUrl}/health/ready`, ourLog);
    servers.push(oursServer);
    const readyFresh = oursServer.readyMs;
    log(`ours ready in ${readyFresh.toFixed(0)} ms (fresh database: migrations + system tenant)`);
    const ours = await provisionOurs(oursServer, publicUrl, adminClient);

    const refPort = await freePort();
    const refClients = {
      jwtService: { clientId: 'svc-jwt', clientSecret: secret() },
      opaqueService: { clientId: 'svc-opaque', clientSecret: secret() },
      web: { clientId: 'web', clientSecret: secret() },
    };
    const refOptions: ReferenceOptions = {
      port: refPort,
      redisUrl: REDIS_URL,
      redisPrefix: refPrefix,
      apiIdentifier: ours.api,
      redirectUri: REDIRECT_URI,
      clients: refClients,
      users: { usernames: ours.usernames, password: PASSWORD },
    };
    const refIssuer = `http://127.0.0.1:${refPort}`;
    const refServer = await startServer(
      'reference',
      [
        ...profileFlags(outDir, 'reference'),
        join(import.meta.dirname, 'reference-server.js'),
        JSON.stringify(refOptions),
      ],
      { PATH: process.env.PATH, ...RUNTIME_ENV },
      `${refIssuer}/.well-known/openid-configuration`,
      join(outDir, 'reference.log'),
    );
    servers.push(refServer);
    const reference: Target = {
      name: 'reference',
      server: refServer,
      issuer: refIssuer,
      jwksUri: `${refIssuer}/jwks`,
      api: ours.api,
      ...refClients,
      usernames: ours.usernames,
    };

    const results: WorkloadResult[] = [];
    const selected = WORKLOADS.filter((w) => !ONLY || ONLY.some((o) => w.name.startsWith(o)));
    let failed = false;
    for (const workload of selected) {
      const result: WorkloadResult = { name: workload.name, gated: workload.gated, reference: [], ours: [] };
      for (let round = 0; round < MODE.rounds; round++) {
        for (const target of [reference, ours]) {
          const { errorExamples, ...sample } = await runLoad(target, await workload.spec(target));
          result[target.name].push(sample);
          log(
            `${workload.name} [${target.name}] ${sample.rps.toFixed(0)}/s p50 ${sample.p50Ms.toFixed(1)} ms ` +
              `p99 ${sample.p99Ms.toFixed(1)} ms errors ${sample.errors} peak RSS ${sample.peakRssMb.toFixed(0)} MB ` +
              `CPU ${sample.cpuMsPerOp.toFixed(2)} ms/op`,
          );
          if (sample.errors) {
            failed = true;
            log(`  errors, e.g.: ${errorExamples.join(' | ') || 'non-2xx answers (autocannon)'}`);
          }
        }
      }
      results.push(result);
    }

    const tenants = !ONLY || ONLY.includes('tenants') ? await measureTenants(ours, databaseUrl, masterKey) : undefined;
    if (tenants?.failed) failed = true;

    // Start to ready again, now on an existing database (holding 10,000 tenants unless skipped).
    await stopServer(oursServer);
    const restarted = await startServer('ours', ourArgs, ourEnv, `${publicUrl}/health/ready`, ourLog);
    servers.push(restarted);
    log(`ours restarted, ready in ${restarted.readyMs.toFixed(0)} ms`);

    const peakUnderLoad = Math.max(
      ...results.flatMap((w) => w.ours.map((s) => s.peakRssMb)),
      tenants?.many.peakRssMb ?? 0,
    );
    const checks: Check[] = [
      ...results
        .filter((w) => w.gated)
        .map((w) => {
          const r = ratio(combine(w.ours).rps, combine(w.reference).rps);
          return {
            name: w.name,
            target: `≥ ${THROUGHPUT_TARGET}× reference`,
            measured: `${r.toFixed(2)}×`,
            pass: r >= 0.9,
          };
        }),
      {
        name: 'peak RSS under load (ours)',
        target: `≤ ${RSS_TARGET_MB} MB`,
        measured: `${peakUnderLoad.toFixed(0)} MB`,
        pass: peakUnderLoad <= RSS_TARGET_MB,
      },
      {
        name: 'start to ready, fresh database',
        target: `≤ ${READY_TARGET_MS / 1000} s`,
        measured: `${(readyFresh / 1000).toFixed(2)} s`,
        pass: readyFresh <= READY_TARGET_MS,
      },
      {
        name: `start to ready, existing database${tenants ? ` with ${MODE.tenants} tenants` : ''}`,
        target: `≤ ${READY_TARGET_MS / 1000} s`,
        measured: `${(restarted.readyMs / 1000).toFixed(2)} s`,
        pass: restarted.readyMs <= READY_TARGET_MS,
      },
      ...(tenants ? tenantChecks(tenants) : []),
    ];

    const conditions =
      `${QUICK ? 'quick' : 'full'} mode, ${new Date().toISOString()}, Node ${process.version}, ` +
      `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; ` +
      `${MODE.rounds} interleaved round(s) of ${MODE.warmupSec} s warm-up + ${MODE.durationSec} s; ` +
      `${CONCURRENCY.requests} connections (${CONCURRENCY.flows} for logins); revocation: ${MODE.revocations} tokens`;
    const markdown = [`Conditions: ${conditions}.`, '', workloadTable(results), '', checksTable(checks), ''].join('\n');
    process.stdout.write(`\n${markdown}\n`);
    const report = {
      runId,
      mode: QUICK ? 'quick' : 'full',
      conditions,
      workloads: results.map((w) => ({
        ...w,
        combined: { reference: combine(w.reference), ours: combine(w.ours) },
        ratio: ratio(combine(w.ours).rps, combine(w.reference).rps),
      })),
      tenants,
      startToReadyMs: { fresh: readyFresh, withTenants: restarted.readyMs, reference: refServer.readyMs },
      checks,
      failed,
    };
    writeFileSync(join(ROOT, 'bench', 'results', `${runId}.json`), JSON.stringify(report, null, 2));
    writeFileSync(join(ROOT, 'bench', 'results', `${runId}.md`), markdown);
    log(`wrote bench/results/${runId}.json and .md`);
    if (failed) log('FAILED: some requests did not succeed (see above)');
    return failed ? 1 : 0;
  } finally {
    for (const server of servers) await stopServer(server).catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch((e: Error) => log(e.message));
    await admin.end();
    await purgeRedis([ourPrefix, refPrefix]).catch((e: Error) => log(`redis cleanup: ${e.message}`));
  }
}

interface TenantFigures {
  count: number;
  sample: number;
  one: ServerSample;
  many: ServerSample;
  rssAfterMb: number;
  failed: boolean;
}

/**
 * The token p99 on one tenant, then again once 10,000 tenants exist, requested in turn over a
 * sample of them (fewer than the provider cache holds, so it is the cache that is exercised).
 */
async function measureTenants(ours: Target, databaseUrl: string, masterKey: Buffer): Promise<TenantFigures> {
  const tokenTiming = timing(CONCURRENCY.requests);
  const single = tokenRequest(ours, ours.jwtService, {
    grant_type: 'client_credentials',
    resource: ours.api,
    scope: 'read',
  });
  const { errorExamples: oneErrors, ...one } = await runLoad(ours, {
    kind: 'round-robin',
    requests: [single],
    ...tokenTiming,
  });
  log(`1 tenant: token p99 ${one.p99Ms.toFixed(1)} ms, ${one.rps.toFixed(0)}/s`);
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const insertStarted = Date.now();
  const bulk = await createTenantsDirectly(
    db,
    masterKey,
    MODE.tenants,
    `bulk-${randomBytes(2).toString('hex')}`,
  ).finally(() => db.end());
  log(`inserted ${MODE.tenants} tenants in ${Date.now() - insertStarted} ms`);
  const sample = bulk.filter((_, i) => i % Math.floor(bulk.length / MODE.sample) === 0).slice(0, MODE.sample);
  const publicUrl = ours.issuer.replace(/\/t\/[^/]+$/, '');
  const requests = sample.map((t) =>
    tokenRequest(
      { ...ours, issuer: `${publicUrl}/t/${t.slug}` },
      { clientId: t.clientId, clientSecret: t.clientSecret },
      { grant_type: 'client_credentials', resource: t.apiIdentifier, scope: 'read' },
    ),
  );
  const { errorExamples: manyErrors, ...many } = await runLoad(ours, {
    kind: 'round-robin',
    requests,
    primeEach: true,
    ...tokenTiming,
  });
  const rssAfterMb = rssMb(ours.server.pid);
  log(
    `${MODE.tenants} tenants (${sample.length} in turn): token p99 ${many.p99Ms.toFixed(1)} ms, ` +
      `${many.rps.toFixed(0)}/s, RSS ${rssAfterMb.toFixed(0)} MB, errors ${many.errors}`,
  );
  const failed = one.errors + many.errors > 0;
  if (failed) log(`  errors, e.g.: ${[...oneErrors, ...manyErrors].join(' | ')}`);
  return { count: MODE.tenants, sample: sample.length, one, many, rssAfterMb, failed };
}

function tenantChecks(t: TenantFigures): Check[] {
  const p99Ratio = ratio(t.many.p99Ms, t.one.p99Ms);
  return [
    {
      name: `token p99, ${t.count} tenants vs 1`,
      target: `≤ ${TENANT_P99_TARGET}×`,
      measured: `${t.many.p99Ms.toFixed(1)} / ${t.one.p99Ms.toFixed(1)} ms = ${p99Ratio.toFixed(2)}×`,
      pass: p99Ratio <= TENANT_P99_TARGET,
    },
    {
      name: `RSS after ${t.count} tenants (${t.sample} providers built)`,
      target: `≤ ${RSS_TARGET_MB} MB`,
      measured: `${t.rssAfterMb.toFixed(0)} MB (peak ${t.many.peakRssMb.toFixed(0)} MB)`,
      pass: t.rssAfterMb <= RSS_TARGET_MB,
    },
  ];
}

async function purgeRedis(prefixes: string[]): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    for (const prefix of prefixes) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        if (keys.length) await redis.unlink(...keys);
        cursor = next;
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);
