export { endpointHealth } from './endpoint-health.js';
export { WebhookDeliveryEntity } from './webhook-delivery.entity.js';
export { WebhookDispatcher } from './webhook-dispatcher.js';
export { WebhookEndpointEntity } from './webhook-endpoint.entity.js';
export { verifySignature } from './webhook-signature.js';
export { WebhooksModule } from './webhooks.module.js';
export { WebhooksService } from './webhooks.service.js';
