import { TEST_REDIS_URL, testRedisPrefix } from '@app/testing';
import { Redis } from 'ioredis';
import { adapterContract } from '@app/testing';
import { RedisTokenDenyList } from './deny-list.js';
import { RedisEventBus } from './event-bus.js';
import { createRedisAdapterFactory } from './oidc-adapter.js';
import { RedisSingleUseValues } from './single-use-values.js';
import { RedisTokenStats } from './token-stats.js';
import { hourBucket } from '../token-stats.js';

const prefix = testRedisPrefix();
const redis = new Redis(TEST_REDIS_URL);

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

adapterContract(
  'Redis',
  (tenantId) => createRedisAdapterFactory(redis, { prefix, tenantId }),
  (tenantId, model, id) => redis.pttl(`${prefix}{${tenantId}}:${model}:${id}`),
);

describe('Redis key layout', () => {
  it('hash-tags every key of a tenant so a cluster keeps them in one slot', async () => {
    const adapter = createRedisAdapterFactory(redis, { prefix, tenantId: 'layout' });
    await adapter('RefreshToken').upsert('rt', { grantId: 'g', uid: 'u' }, 60);
    const keys = await redis.keys(`${prefix}*layout*`);
    expect(keys.length).toBeGreaterThanOrEqual(3);
    for (const key of keys) expect(key.startsWith(`${prefix}{layout}:`)).toBe(true);
    expect(await redis.pttl(`${prefix}{layout}:grant:g`)).toBeGreaterThan(0);
  });
});

describe('Redis token deny-list', () => {
  it('denies a jti until the token would have expired', async () => {
    const denyList = new RedisTokenDenyList(redis, prefix);
    const expiresAt = Math.floor(Date.now() / 1000) + 2;
    await denyList.deny('t1', 'jti-1', expiresAt);
    expect(await denyList.isDenied('t1', 'jti-1')).toBe(true);
    expect(await denyList.isDenied('t2', 'jti-1')).toBe(false);
    expect(await redis.pttl(`${prefix}{t1}:denied-jti:jti-1`)).toBeLessThanOrEqual(2000);
    await denyList.deny('t1', 'already-expired', Math.floor(Date.now() / 1000) - 1);
    expect(await denyList.isDenied('t1', 'already-expired')).toBe(false);
  });
});

describe('Redis event bus', () => {
  it('delivers a published message to subscribers on another connection', async () => {
    const publisherConnection = new Redis(TEST_REDIS_URL);
    const publisher = new RedisEventBus(publisherConnection, prefix);
    const subscriber = new RedisEventBus(redis, prefix);
    const received = new Promise<string>((resolve) => void subscriber.subscribe('tenant-changed', resolve));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await publisher.publish('tenant-changed', 'tenant-42');
    await expect(received).resolves.toBe('tenant-42');
    await publisher.close();
    await subscriber.close();
    publisherConnection.disconnect();
  });
});

describe('Redis token statistics', () => {
  it('counts issued tokens per tenant and grant type, without a Redis write per token', async () => {
    const stats = new RedisTokenStats(redis, prefix);
    const elsewhere = new RedisTokenStats(redis, prefix);
    for (let i = 0; i < 3; i++) await stats.recordIssued('stats-a', 'client_credentials');
    await stats.recordIssued('stats-a', 'refresh_token');
    await stats.recordIssued('stats-b', 'client_credentials');
    await stats.recordIssued('stats-a', 'implicit');
    expect(await redis.keys(`${prefix}{stats-a}:stats:*`)).toEqual([]);
    // The instance that counted sees its own counts at once; another instance after the flush.
    expect(await stats.issuedLast24h('stats-a')).toEqual({
      authorization_code: 0,
      refresh_token: 1,
      client_credentials: 3,
    });
    expect((await elsewhere.issuedLast24h('stats-b')).client_credentials).toBe(1);
    const [key] = await redis.keys(`${prefix}{stats-a}:stats:issued:client_credentials:*`);
    expect(await redis.ttl(key)).toBeGreaterThan(24 * 3600);
  });

  it('answers the last 24 hours one by one, sign-ins beside tokens, the current hour last', async () => {
    const stats = new RedisTokenStats(redis, prefix);
    const now = Date.now();
    // Two hours ago, written by another instance straight into that hour's bucket.
    const twoHoursAgo = hourBucket(now) - 2;
    await redis.set(`${prefix}{stats-h}:stats:issued:client_credentials:${twoHoursAgo}`, 4);
    await stats.recordIssued('stats-h', 'authorization_code');
    await stats.recordSignIn('stats-h');
    await stats.recordSignIn('stats-h');
    const hours = await stats.hourlyLast24h('stats-h');
    expect(hours).toHaveLength(24);
    expect(hours[23]).toEqual({
      hour: hourBucket(now),
      counts: { authorization_code: 1, refresh_token: 0, client_credentials: 0, sign_in: 2 },
    });
    expect(hours[21]).toMatchObject({ hour: twoHoursAgo, counts: { client_credentials: 4, sign_in: 0 } });
    expect(hours[0].hour).toBe(hourBucket(now) - 23);
    expect((await stats.issuedLast24h('stats-h')).client_credentials).toBe(4);
  });

  it('never writes counts gathered for a tenant that was deleted before the flush', async () => {
    const stats = new RedisTokenStats(redis, prefix);
    await stats.recordIssued('stats-doomed', 'client_credentials');
    await stats.recordIssued('stats-kept', 'client_credentials');
    stats.forgetTenant('stats-doomed');
    await stats.flush();
    expect(await redis.keys(`${prefix}{stats-doomed}:*`)).toEqual([]);
    expect((await stats.issuedLast24h('stats-kept')).client_credentials).toBe(1);
  });
});

describe('Redis single-use values', () => {
  it('hands a value out once, to its tenant only, and lets it expire with its lifetime', async () => {
    const values = new RedisSingleUseValues(redis, prefix);
    await values.put('once-t', 'challenge', 'v', 60);
    expect(await values.take('once-other', 'challenge')).toBeNull();
    expect(await redis.ttl(`${prefix}{once-t}:once:challenge`)).toBeGreaterThan(50);
    expect(await values.take('once-t', 'challenge')).toBe('v');
    expect(await values.take('once-t', 'challenge')).toBeNull();
  });

  it('of ten parallel takes on two connections exactly one gets the value', async () => {
    const second = new Redis(TEST_REDIS_URL);
    const here = new RedisSingleUseValues(redis, prefix);
    const there = new RedisSingleUseValues(second, prefix);
    await here.put('once-t', 'raced', 'v', 60);
    const taken = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? here : there).take('once-t', 'raced')),
    );
    expect(taken.filter(Boolean)).toEqual(['v']);
    second.disconnect();
  });
});
