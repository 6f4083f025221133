import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { type TokenDenyList, MemoryTokenDenyList, RedisTokenDenyList } from './deny-list.js';
import { type EventBus, LocalEventBus, RedisEventBus } from './event-bus.js';
import { type FailureLimiter, MemoryFailureLimiter, RedisFailureLimiter } from './failure-limiter.js';
import { createMemoryAdapterFactory } from './memory-oidc-adapter.js';
import type { AdapterFactory } from './oidc-adapter.js';
import { createRedisAdapterFactory } from './redis-oidc-adapter.js';
import { MemoryThrottlerStorage, RedisThrottlerStorage } from './throttler-storage.js';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { MemoryTokenStats, RedisTokenStats, type TokenStats } from './token-stats.js';

/**
 * Short-lived state: oidc-provider models, the JWT deny-list and the "tenant changed"
 * bus. Redis when REDIS_URL is set (shared by every instance), in-process otherwise.
 */
export interface EphemeralStore {
  kind: 'redis' | 'memory';
  redis: Redis | null;
  oidcAdapterFactory(tenantId: string): AdapterFactory;
  denyList: TokenDenyList;
  tokenStats: TokenStats;
  failures: FailureLimiter;
  /** Request counting for rate limits a tenant asks for (@nestjs/throttler storage). */
  throttle: ThrottlerStorage;
  events: EventBus;
  purgeTenant(tenantId: string): Promise<void>;
  close(): Promise<void>;
}

export const EPHEMERAL_STORE = Symbol('EPHEMERAL_STORE');

export async function createEphemeralStore(config: AppConfig): Promise<EphemeralStore> {
  const prefix = config.redisKeyPrefix;
  if (!config.redisUrl) {
    const memory = new Map<string, ReturnType<typeof createMemoryAdapterFactory>>();
    const factoryFor = (tenantId: string) => {
      let factory = memory.get(tenantId);
      if (!factory) memory.set(tenantId, (factory = createMemoryAdapterFactory()));
      return factory;
    };
    const events = new LocalEventBus();
    const tokenStats = new MemoryTokenStats();
    return {
      kind: 'memory',
      redis: null,
      oidcAdapterFactory: factoryFor,
      denyList: new MemoryTokenDenyList(),
      tokenStats,
      failures: new MemoryFailureLimiter(),
      throttle: new MemoryThrottlerStorage(),
      events,
      async purgeTenant(tenantId) {
        tokenStats.forgetTenant(tenantId);
        await factoryFor(tenantId).purgeTenant();
        memory.delete(tenantId);
      },
      close: () => events.close(),
    };
  }
  const redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: true });
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

@Global()
@Module({
  providers: [{ provide: EPHEMERAL_STORE, inject: [APP_CONFIG], useFactory: createEphemeralStore }],
  exports: [EPHEMERAL_STORE],
})
export class EphemeralStoreModule implements OnApplicationShutdown {
  constructor(@Inject(EPHEMERAL_STORE) private readonly store: EphemeralStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
