import { TEST_REDIS_URL, testRedisPrefix } from '@app/testing';
import { Redis } from 'ioredis';
import { RedisEventBus } from './event-bus.js';
import type { FailureRule } from '../failure-limiter.js';
import { RedisFailureLimiter } from './failure-limiter.js';

const prefix = testRedisPrefix();
const rule: FailureRule = { limit: 3, windowSeconds: 60 };
const key = 'client-auth:client:svc';
const connections: Redis[] = [];
const buses: RedisEventBus[] = [];

/** One server instance's limiter: its own connection and event bus, the shared Redis. */
async function instance(): Promise<RedisFailureLimiter> {
  const redis = new Redis(TEST_REDIS_URL);
  const events = new RedisEventBus(redis, prefix);
  connections.push(redis);
  buses.push(events);
  return RedisFailureLimiter.create(redis, prefix, events);
}

async function eventually(check: () => Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

afterAll(async () => {
  const keys = await connections[0].keys(`${prefix}*`);
  if (keys.length) await connections[0].del(...keys);
  for (const bus of buses) await bus.close();
  for (const connection of connections) connection.disconnect();
});

describe('Redis failure limiter', () => {
  it('blocks a key once its failures reach the limit, on this instance and on the others', async () => {
    const a = await instance();
    const b = await instance();
    await a.recordFailure('t1', key, rule);
    await a.recordFailure('t1', key, rule);
    expect((await a.check('t1', [[key, rule]])).blocked).toBe(false);
    expect([a.knowsBlocks(), b.knowsBlocks()]).toEqual([false, false]);
    await b.recordFailure('t1', key, rule); // the third failure, counted in Redis across instances
    expect(b.knowsBlocks()).toBe(true);

    const onB = await b.check('t1', [[key, rule]]);
    expect(onB.blocked).toBe(true);
    expect(onB.retryAfterSeconds).toBeGreaterThan(0);
    expect(onB.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(await eventually(async () => (await a.check('t1', [[key, rule]])).blocked)).toBe(true);
    expect(a.knowsBlocks()).toBe(true);

    // Another tenant's key of the same name, and another key, are not blocked.
    expect((await a.check('t2', [[key, rule]])).blocked).toBe(false);
    expect((await a.check('t1', [['client-auth:client:other', rule]])).blocked).toBe(false);
  });

  it('an instance started after the block learns it from its first failure of that key', async () => {
    const late = await instance();
    expect((await late.check('t1', [[key, rule]])).blocked).toBe(false);
    await late.recordFailure('t1', key, rule);
    expect((await late.check('t1', [[key, rule]])).blocked).toBe(true);
  });

  it('clearing a key lifts the block on every instance', async () => {
    const a = await instance();
    const b = await instance();
    for (let i = 0; i < 3; i++) await a.recordFailure('t3', key, rule);
    expect(await eventually(async () => (await b.check('t3', [[key, rule]])).blocked)).toBe(true);

    await a.clear('t3', [key]);
    expect((await a.check('t3', [[key, rule]])).blocked).toBe(false);
    expect(await eventually(async () => !(await b.check('t3', [[key, rule]])).blocked)).toBe(true);
    // The count starts over: one failure does not block again.
    await b.recordFailure('t3', key, rule);
    expect((await b.check('t3', [[key, rule]])).blocked).toBe(false);
  });
});
