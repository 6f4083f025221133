import type { FailureRule } from '@app/platform';
import { effectiveSettings, type TenantSettings } from './tenant.entity.js';

/** The per-account wrong-password rule a tenant's lockout settings describe. */
export function lockoutRule(settings: TenantSettings): FailureRule {
  const { threshold, durationSeconds } = effectiveSettings(settings).lockout;
  return { limit: threshold, windowSeconds: durationSeconds };
}
