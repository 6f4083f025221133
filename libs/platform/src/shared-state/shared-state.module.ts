import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '@app/config';
import { createMemorySharedState } from './memory/memory-shared-state.js';
import { createRedisSharedState } from './redis/redis-shared-state.js';
import { SHARED_STATE, type SharedState } from './shared-state.js';

/** Redis when REDIS_URL is set (shared by every instance), in-process otherwise. */
export async function createSharedState(config: AppConfig): Promise<SharedState> {
  return config.redisUrl ? createRedisSharedState(config.redisUrl, config.redisKeyPrefix) : createMemorySharedState();
}

@Global()
@Module({
  providers: [{ provide: SHARED_STATE, inject: [APP_CONFIG], useFactory: createSharedState }],
  exports: [SHARED_STATE],
})
export class SharedStateModule implements OnApplicationShutdown {
  constructor(@Inject(SHARED_STATE) private readonly state: SharedState) {}

  async onApplicationShutdown(): Promise<void> {
    await this.state.close();
  }
}
