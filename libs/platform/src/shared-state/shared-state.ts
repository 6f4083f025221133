import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';
import type { TokenDenyList } from './deny-list.js';
import type { EventBus } from './event-bus.js';
import type { FailureLimiter } from './failure-limiter.js';
import type { AdapterFactory } from './oidc-adapter.js';
import type { SingleUseValues } from './single-use-values.js';
import type { TokenStats } from './token-stats.js';

/**
 * Short-lived state shared by every instance: oidc-provider models, the JWT deny-list,
 * failure counters, rate-limit windows, token counts, single-use values (WebAuthn challenges)
 * and the "tenant changed" bus. The
 * interfaces live next to this file; `redis/` implements them on Redis (REDIS_URL set) and
 * `memory/` in-process for a single instance.
 */
export interface SharedState {
  kind: 'redis' | 'memory';
  redis: Redis | null;
  oidcAdapterFactory(tenantId: string): AdapterFactory;
  denyList: TokenDenyList;
  tokenStats: TokenStats;
  failures: FailureLimiter;
  /** Values read back once (WebAuthn challenges), with a short lifetime. */
  singleUse: SingleUseValues;
  /** Request counting for rate limits a tenant asks for (@nestjs/throttler storage). */
  throttle: ThrottlerStorage;
  events: EventBus;
  purgeTenant(tenantId: string): Promise<void>;
  close(): Promise<void>;
}

export const SHARED_STATE = Symbol('SHARED_STATE');
