import { Redis } from 'ioredis';
import type { SharedState } from '../shared-state.js';
import { RedisTokenDenyList } from './deny-list.js';
import { RedisEventBus } from './event-bus.js';
import { RedisFailureLimiter } from './failure-limiter.js';
import { createRedisAdapterFactory } from './oidc-adapter.js';
import { RedisSingleUseValues } from './single-use-values.js';
import { RedisThrottlerStorage } from './throttler-storage.js';
import { RedisTokenStats } from './token-stats.js';

/** Everything in Redis under `prefix`: shared by every instance of the deployment. */
export async function createRedisSharedState(redisUrl: string, prefix: string): Promise<SharedState> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: true });
  await redis.connect();
  const events = new RedisEventBus(redis, prefix);
  const tokenStats = new RedisTokenStats(redis, prefix);
  return {
    kind: 'redis',
    redis,
    oidcAdapterFactory: (tenantId) => createRedisAdapterFactory(redis, { prefix, tenantId }),
    denyList: new RedisTokenDenyList(redis, prefix),
    tokenStats,
    failures: await RedisFailureLimiter.create(redis, prefix, events),
    singleUse: new RedisSingleUseValues(redis, prefix),
    throttle: new RedisThrottlerStorage(redis, prefix),
    events,
    purgeTenant: (tenantId) => {
      // Counts not yet written would otherwise recreate the tenant's keys after the purge.
      tokenStats.forgetTenant(tenantId);
      return createRedisAdapterFactory(redis, { prefix, tenantId }).purgeTenant();
    },
    async close() {
      await events.close();
      await tokenStats.flush().catch(() => undefined);
      redis.disconnect();
    },
  };
}
