import type { SharedState } from '../shared-state.js';
import { MemoryTokenDenyList } from './deny-list.js';
import { LocalEventBus } from './event-bus.js';
import { MemoryFailureLimiter } from './failure-limiter.js';
import { createMemoryAdapterFactory } from './oidc-adapter.js';
import { MemorySingleUseValues } from './single-use-values.js';
import { MemoryThrottlerStorage } from './throttler-storage.js';
import { MemoryTokenStats } from './token-stats.js';

/** Everything in this process: one instance only (no REDIS_URL). */
export function createMemorySharedState(): SharedState {
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
    singleUse: new MemorySingleUseValues(),
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
