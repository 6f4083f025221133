import { SHARED_STATE, type SharedState, APP_CONFIG } from '@app/platform';
import { Module } from '@nestjs/common';
import { MemoryDeliveryQueue, RedisDeliveryQueue } from './delivery-queue.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { WEBHOOK_QUEUE, WebhooksService } from './webhooks.service.js';
import { WebhooksRepository } from './webhooks.repository.js';
import type { AppConfig } from '@app/platform';

/** Outbound webhooks: endpoints, the delivery queue (Redis, or memory without it) and its dispatcher. */
@Module({
  providers: [
    {
      provide: WEBHOOK_QUEUE,
      inject: [SHARED_STATE, APP_CONFIG],
      useFactory: (store: SharedState, config: AppConfig) =>
        store.redis ? new RedisDeliveryQueue(store.redis, config.redisKeyPrefix) : new MemoryDeliveryQueue(),
    },
    WebhooksRepository,
    WebhooksService,
    WebhookDispatcher,
  ],
  exports: [WebhooksService, WebhookDispatcher],
})
export class WebhooksModule {}
