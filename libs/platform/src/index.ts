export {
  CurrentPrincipal,
  IS_PUBLIC,
  Public,
  REQUIRED_PERMISSION,
  RequirePermission,
  SYSTEM_ONLY,
  SYSTEM_TENANT,
  SystemOnly,
  assertTenantAccess,
} from './auth/auth.decorators.js';
export type { Principal } from './auth/auth.decorators.js';
export { growingLru } from './cache/growing-lru.js';
// Re-exported: the rest of the code takes all its infrastructure from @app/platform.
export { ConfigError, loadConfig } from '@app/config';
export type { AppConfig } from '@app/config';
export { APP_CONFIG, ConfigModule, MASTER_KEY } from './config/config.module.js';
export { MasterKeyCipher } from './crypto/master-key-cipher.js';
export {
  constantTimeEqual,
  dummyPasswordHash,
  generateSecret,
  hashPassword,
  passwordNeedsRehash,
  sha256Base64Url,
  verifyPassword,
} from './crypto/secrets.js';
export { createDataSource, revertLastMigration, runMigrations } from './database/data-source.js';
export { DatabaseModule } from './database/database.module.js';
export { startEmbeddedPostgres } from './database/pglite/embedded-postgres.js';
export { DomainErrorFilter } from './http/domain-error.filter.js';
export {
  ConflictError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  TooManyRequestsError,
  UnauthorizedError,
  ValidationError,
} from './http/domain-error.js';
export { composeMail } from './mail/compose-mail.js';
export type { MailContent } from './mail/compose-mail.js';
export { MailModule } from './mail/mail.module.js';
export { MailService } from './mail/mail.service.js';
export type { Mail } from './mail/mail.service.js';
export { healthPolicies } from './health/health-policies.js';
export {
  CORE_HEALTH_POLICY,
  describeHealth,
  EXTERNAL_HEALTH_POLICY,
  initialHealthState,
  isHeld,
  recordHealthOutcome,
} from './health/health-state.js';
export type { HealthPolicy, HealthState, HealthStatus } from './health/health-state.js';
export { DependencyHealth } from './observability/dependency-health.js';
export type { DependencyState } from './observability/dependency-health.js';
export { Metrics, areaOf } from './observability/metrics.js';
export { ObservabilityModule } from './observability/observability.module.js';
export { FAILURE_RULES } from './shared-state/failure-limiter.js';
export type { FailureLimiter, FailureRule } from './shared-state/failure-limiter.js';
export { createMemoryAdapterFactory } from './shared-state/memory/oidc-adapter.js';
export { epochSeconds } from './shared-state/oidc-adapter.js';
export type { AdapterFactory, OidcAdapter } from './shared-state/oidc-adapter.js';
export { SHARED_STATE } from './shared-state/shared-state.js';
export type { SharedState } from './shared-state/shared-state.js';
export { createSharedState, SharedStateModule } from './shared-state/shared-state.module.js';
export { isInvalidTextError, malformedValue, MAX_JSON_DEPTH, urlHasNul } from './http/malformed-input.js';
