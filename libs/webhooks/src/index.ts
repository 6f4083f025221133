export * from './backoff.js';
export * from './delivery-queue.js';
export * from './webhook-delivery.entity.js';
export * from './webhook-dispatcher.js';
export * from './webhook-endpoint.entity.js';
export * from './webhook-signature.js';
export * from './webhooks.module.js';
export * from './webhooks.service.js';
