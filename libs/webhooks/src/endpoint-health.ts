import { describeHealth, initialHealthState } from '@app/platform';
import type { WebhookEndpointEntity } from './webhook-endpoint.entity.js';

/** An endpoint's health as the admin API shows it (the one health model; never delivered to = healthy). */
export function endpointHealth(endpoint: Pick<WebhookEndpointEntity, 'health' | 'consecutiveFailures'>) {
  return describeHealth(
    endpoint.health ?? { ...initialHealthState(), consecutiveFailures: endpoint.consecutiveFailures },
  );
}
