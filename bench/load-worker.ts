/**
 * The load generator, always run as its own process (forked by run.ts) so its CPU is not the
 * server's. Stateless workloads go through autocannon; flows that need per-request state
 * (refresh chains, revoking fresh tokens, whole logins) through virtual users on keep-alive
 * sockets. It tells the parent when warm-up ends (so the parent can reset the server's peak
 * RSS) and sends back one result.
 */
import autocannon from 'autocannon';
import { basicAuth, login, type LoginTarget, postForm, send } from './lib/http.js';
import { summarize, type WorkloadSample } from './lib/stats.js';

export interface RequestSpec {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

interface Timing {
  concurrency: number;
  warmupSec: number;
  durationSec: number;
}

export type LoadSpec =
  | ({ kind: 'autocannon'; request: RequestSpec } & Timing)
  /** The same kind of request to several targets in turn (e.g. token requests over many tenants). */
  | ({ kind: 'round-robin'; requests: RequestSpec[]; primeEach?: boolean } & Timing)
  | ({ kind: 'refresh'; login: LoginTarget } & Timing)
  | ({ kind: 'login'; login: LoginTarget } & Timing)
  | {
      kind: 'revoke';
      tokenUrl: string;
      revocationUrl: string;
      client: { id: string; secret: string };
      concurrency: number;
      warmupCount: number;
      count: number;
    };

export type WorkerMessage = { type: 'measuring' } | { type: 'result'; sample: WorkloadSample; errorExamples: string[] };

type Op = (vu: number) => Promise<void>;

class Recorder {
  latencies: number[] = [];
  errors = 0;
  examples = new Set<string>();

  fail(error: unknown): void {
    this.errors++;
    if (this.examples.size < 5) this.examples.add(error instanceof Error ? error.message : String(error));
  }
}

async function timedOp(recorder: Recorder | null, vu: number, op: Op): Promise<void> {
  const start = process.hrtime.bigint();
  try {
    await op(vu);
    recorder?.latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
  } catch (error) {
    recorder?.fail(error);
    if (!recorder) throw error;
  }
}

/** `concurrency` virtual users repeat `op` until the deadline. */
async function forDuration(concurrency: number, seconds: number, op: Op, recorder: Recorder | null) {
  const end = Date.now() + seconds * 1000;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, vu) => {
      while (Date.now() < end) await timedOp(recorder, vu, op);
    }),
  );
  return Date.now() - started;
}

/** `concurrency` virtual users share `count` operations. */
async function forCount(concurrency: number, count: number, op: (i: number) => Promise<void>, recorder: Recorder) {
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        await timedOp(recorder, i, () => op(i));
      }
    }),
  );
  return Date.now() - started;
}

function expectOk(response: { status: number; body: string }, what: string): void {
  if (response.status < 200 || response.status > 299) {
    throw new Error(`${what}: ${response.status} ${response.body.slice(0, 160)}`);
  }
}

function announceMeasuring(): void {
  process.send?.({ type: 'measuring' } satisfies WorkerMessage);
}

async function runTimed(timing: Timing, op: Op, recorder: Recorder): Promise<WorkloadSample> {
  // Warm-up errors are not hidden: any failure there is a broken setup, so it aborts the run.
  await forDuration(timing.concurrency, timing.warmupSec, op, null);
  announceMeasuring();
  const elapsed = await forDuration(timing.concurrency, timing.durationSec, op, recorder);
  return summarize(recorder.latencies, elapsed, recorder.errors);
}

async function runAutocannon(spec: Extract<LoadSpec, { kind: 'autocannon' }>): Promise<WorkloadSample> {
  const options = {
    url: spec.request.url,
    method: spec.request.method,
    headers: spec.request.headers,
    body: spec.request.body,
    connections: spec.concurrency,
  };
  await autocannon({ ...options, duration: spec.warmupSec });
  announceMeasuring();
  const result = await autocannon({ ...options, duration: spec.durationSec });
  return {
    rps: result['2xx'] / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
    completed: result['2xx'],
  };
}

async function run(spec: LoadSpec, recorder: Recorder): Promise<WorkloadSample> {
  switch (spec.kind) {
    case 'autocannon':
      return runAutocannon(spec);
    case 'round-robin': {
      const once = async (r: RequestSpec) =>
        expectOk(await send(r.method, r.url, r.headers, r.body), new URL(r.url).pathname);
      // Priming sends one request to every target first (e.g. builds each tenant's provider).
      if (spec.primeEach)
        await forCount(spec.concurrency, spec.requests.length, (i) => once(spec.requests[i]), new Recorder());
      let turn = 0;
      return runTimed(spec, () => once(spec.requests[turn++ % spec.requests.length]), recorder);
    }
    case 'login':
      return runTimed(spec, (vu) => login(spec.login, vu).then(() => undefined), recorder);
    case 'refresh': {
      // Each virtual user signs in once (untimed) and then walks its own rotation chain.
      const chains = await Promise.all(
        Array.from({ length: spec.concurrency }, (_, vu) => login(spec.login, vu).then((t) => t.refresh_token)),
      );
      if (chains.some((t) => !t)) throw new Error('sign-in gave no refresh token');
      const authorization = basicAuth(spec.login.clientId, spec.login.clientSecret);
      return runTimed(
        spec,
        async (vu) => {
          const response = await postForm(
            `${spec.login.issuer}/token`,
            { grant_type: 'refresh_token', refresh_token: chains[vu]! },
            authorization,
          );
          if (response.status !== 200) {
            // A broken chain is re-established (untimed) so one error does not end the virtual user.
            chains[vu] = (await login(spec.login, vu)).refresh_token;
          }
          expectOk(response, 'refresh');
          const next = (JSON.parse(response.body) as { refresh_token?: string }).refresh_token;
          if (!next || next === chains[vu]) throw new Error('refresh token was not rotated');
          chains[vu] = next;
        },
        recorder,
      );
    }
    case 'revoke': {
      // Fresh tokens are issued first (untimed), then revoked: a fixed count, not a fixed time.
      const authorization = basicAuth(spec.client.id, spec.client.secret);
      const tokens: string[] = [];
      const issue = new Recorder();
      await forCount(
        spec.concurrency,
        spec.warmupCount + spec.count,
        async () => {
          const response = await postForm(spec.tokenUrl, { grant_type: 'client_credentials' }, authorization);
          expectOk(response, 'token');
          tokens.push((JSON.parse(response.body) as { access_token: string }).access_token);
        },
        issue,
      );
      if (issue.errors) throw new Error(`issuing tokens to revoke: ${[...issue.examples].join('; ')}`);
      const revoke = async (i: number) =>
        expectOk(await postForm(spec.revocationUrl, { token: tokens[i] }, authorization), 'revocation');
      await forCount(spec.concurrency, spec.warmupCount, revoke, new Recorder());
      announceMeasuring();
      const elapsed = await forCount(spec.concurrency, spec.count, (i) => revoke(spec.warmupCount + i), recorder);
      return summarize(recorder.latencies, elapsed, recorder.errors);
    }
  }
}

const spec = JSON.parse(process.argv[2]) as LoadSpec;
const recorder = new Recorder();
run(spec, recorder).then(
  (sample) => {
    process.send?.({ type: 'result', sample, errorExamples: [...recorder.examples] } satisfies WorkerMessage, () =>
      process.exit(0),
    );
  },
  (error: unknown) => {
    process.stderr.write(`load worker failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
