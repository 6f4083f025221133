import { type Principal, TooManyRequestsError } from '@app/platform';
import { effectiveSettings } from '@app/tenancy';
import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { TenantProviderRegistry } from '@app/protocol';

/** Set on the request by `shouldSkip`: the per-minute limit of the caller's tenant. */
export const API_LIMIT = Symbol('apiRequestsPerMinute');

type LimitedRequest = {
  user?: Principal;
  account?: { tenantId: string; accountId: string };
  params: Record<string, string>;
  [API_LIMIT]?: number;
};

/**
 * Admin and account API calls per principal per minute, only where the principal's tenant
 * sets `rateLimits.apiRequestsPerMinute` (the contract: authenticated traffic is not
 * limited by default). Counted in Redis through @nestjs/throttler, so every instance shares
 * one window. Runs after authentication: unauthenticated calls are already refused.
 */
@Injectable()
export class TenantRateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly registry: TenantProviderRegistry,
  ) {
    super(options, storage, reflector);
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<LimitedRequest>();
    const slug = request.user?.tenantSlug ?? (request.account ? request.params.tenant : undefined);
    if (!slug) return true;
    const runtime = await this.registry.get(slug);
    const limit = runtime ? effectiveSettings(runtime.tenant.settings).rateLimits.apiRequestsPerMinute : 0;
    request[API_LIMIT] = limit;
    return limit <= 0;
  }

  protected override async getTracker(request: LimitedRequest): Promise<string> {
    if (request.user) return `${request.user.tenantId}:${request.user.kind}:${request.user.subject}`;
    return `${request.account!.tenantId}:user:${request.account!.accountId}`;
  }

  protected override async throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw new TooManyRequestsError(
      Math.max(1, detail.timeToBlockExpire),
      `more than ${detail.limit} API calls per minute for this principal; retry later`,
    );
  }
}

/** The throttler's own options: one window of a minute whose limit each request carries. */
export function apiThrottlerOptions(storage: ThrottlerStorage): ThrottlerModuleOptions {
  return {
    storage,
    throttlers: [
      {
        name: 'default',
        ttl: 60_000,
        limit: (context) => context.switchToHttp().getRequest<LimitedRequest>()[API_LIMIT] ?? Number.MAX_SAFE_INTEGER,
      },
    ],
  };
}
