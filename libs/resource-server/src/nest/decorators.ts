import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Principal } from '../principal.js';
import { requirement, type Requirement } from '../requirements.js';

// Our own metadata keys, so an application's own @Public() or roles decorators never collide.
export const PUBLIC_ROUTE = 'idp:resource-server:public';
export const OPTIONAL_AUTH = 'idp:resource-server:optional';
export const REQUIREMENTS = 'idp:resource-server:requirements';

/** No token needed and none looked at (health checks, public pages). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** Anonymous callers allowed (principal undefined); a token that is sent must still be valid. */
export const OptionalAuth = () => SetMetadata(OPTIONAL_AUTH, true);

/** reflect-metadata's API, which Nest loads; typed here so the package needs no types of its own for it. */
const metadata = Reflect as unknown as {
  getOwnMetadata(key: string, target: object): unknown;
  defineMetadata(key: string, value: unknown, target: object): void;
};

/**
 * Appends to the requirements already on the class or handler, unlike SetMetadata, which
 * would replace them: `@RequirePermission('a') @RequirePermission('b')` must demand both.
 */
const requiring =
  (required: Requirement) =>
  (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor): void => {
    const holder = (descriptor?.value as object | undefined) ?? target;
    const existing = (metadata.getOwnMetadata(REQUIREMENTS, holder) as Requirement[] | undefined) ?? [];
    metadata.defineMetadata(REQUIREMENTS, [...existing, required], holder);
  };

/** The caller must hold every one of `permissions` (the token's `permissions` claim), else 403. */
export const RequirePermission = (...permissions: string[]) => requiring(requirement('permission', 'all', permissions));
/** The caller must hold at least one of `permissions`, else 403. */
export const RequireAnyPermission = (...permissions: string[]) =>
  requiring(requirement('permission', 'any', permissions));
/** The caller must hold every one of `roles` (the token's `roles` claim), else 403. */
export const RequireRole = (...roles: string[]) => requiring(requirement('role', 'all', roles));
/** The caller must hold at least one of `roles`, else 403. */
export const RequireAnyRole = (...roles: string[]) => requiring(requirement('role', 'any', roles));
/** The token must carry every one of the OAuth `scopes` (API keys carry scopes, not permissions), else 403. */
export const RequireScope = (...scopes: string[]) => requiring(requirement('scope', 'all', scopes));

/** The authenticated caller (undefined on an @OptionalAuth() route called anonymously). */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal | undefined =>
    context.switchToHttp().getRequest<{ auth?: Principal }>().auth,
);
