import type { HealthSettings } from '@app/config';
import { CORE_HEALTH_POLICY, EXTERNAL_HEALTH_POLICY, type HealthPolicy } from './health-state.js';

/** The two policies with the timing an operator configured (HEALTH_CORE_HOLD, HEALTH_EXTERNAL_HOLD, HEALTH_FAILURE_WINDOW). */
export function healthPolicies(settings: HealthSettings): { core: HealthPolicy; external: HealthPolicy } {
  return {
    core: { ...CORE_HEALTH_POLICY, holdMs: settings.coreHoldMs, windowMs: settings.failureWindowMs },
    external: { ...EXTERNAL_HEALTH_POLICY, holdMs: settings.externalHoldMs, windowMs: settings.failureWindowMs },
  };
}
