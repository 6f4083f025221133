export { ApiRateLimitsModule } from './api-rate-limits.module.js';
export { TenantRateLimitGuard } from './tenant-rate-limit.guard.js';
