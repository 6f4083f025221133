import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ForbiddenError } from '../http/domain-error.js';

export const IS_PUBLIC = 'auth:public';
export const REQUIRED_PERMISSION = 'auth:permission';

/** Opt a route out of authentication; everything else is denied without a valid token. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export const SYSTEM_ONLY = 'auth:system-only';

/** Routes only principals of the `system` tenant may use (e.g. creating tenants). */
export const SystemOnly = () => SetMetadata(SYSTEM_ONLY, true);

/** The admin permission (`resource:action`) a route needs. */
export const RequirePermission = (permission: string) => SetMetadata(REQUIRED_PERMISSION, permission);

export const SYSTEM_TENANT = 'system';

/** Who called: resolved from a verified bearer token by the global guard. */
export interface Principal {
  /** Slug of the tenant whose issuer signed the token. */
  tenantSlug: string;
  tenantId: string;
  subject: string;
  clientId: string;
  kind: 'user' | 'client';
  permissions: string[];
  jti: string;
  /** Set when the caller authenticated with an API key (its id) instead of an access token. */
  apiKeyId?: string;
}

export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest<{ user: Principal }>().user;
});

/** `system` principals act on every tenant; everyone else only on their own. */
export function assertTenantAccess(principal: Principal, slug: string): void {
  if (principal.tenantSlug !== SYSTEM_TENANT && principal.tenantSlug !== slug) {
    throw new ForbiddenError('the token is not valid for this tenant');
  }
}
