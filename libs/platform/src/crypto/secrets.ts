import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { trace } from '@opentelemetry/api';
import argon2 from 'argon2';
import pLimit from 'p-limit';

/** 32 random bytes: high entropy, so a fast hash is enough to store it (never argon2 here). */
export function generateSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256Base64Url(value: string): string {
  return hash('sha256', value, 'base64url');
}

export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** OWASP's argon2id baseline: m=19 MiB, t=2, p=1 (~20 ms per hash on this class of machine). */
export const PASSWORD_HASH_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
} as const;

/** libuv's default thread pool size (we do not change it). */
const LIBUV_POOL_THREADS = 4;
/**
 * How many argon2id computations run at once: one per core, and always one libuv pool thread
 * short of the pool. Each holds 19 MiB and a pool thread for tens of milliseconds; more at a
 * time finish no sooner on busy cores, hold 19 MiB each (peak RSS), and would take every pool
 * thread from the work that shares it — JWT signing, file reads — so a burst of sign-ins
 * would stall token issuance. The rest wait their turn in order.
 */
export const PASSWORD_HASH_CONCURRENCY = Math.max(1, Math.min(availableParallelism(), LIBUV_POOL_THREADS - 1));
const limit = pLimit(PASSWORD_HASH_CONCURRENCY);
const tracer = trace.getTracer('idp');

/** One argon2id computation in its turn, as a span (a no-op unless tracing is on) that includes the wait. */
function passwordWork<T>(name: string, work: () => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, (span) => limit(work).finally(() => span.end()));
}

export function hashPassword(password: string): Promise<string> {
  return passwordWork('argon2id.hash', () => argon2.hash(password, PASSWORD_HASH_OPTIONS));
}

export function passwordNeedsRehash(hash: string): boolean {
  try {
    return argon2.needsRehash(hash, PASSWORD_HASH_OPTIONS);
  } catch {
    return true;
  }
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await passwordWork('argon2id.verify', () => argon2.verify(hash, password));
  } catch {
    return false;
  }
}

/** Verifying against this keeps the timing of "unknown user" equal to "wrong password". */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(generateSecret());
  return dummyHash;
}
