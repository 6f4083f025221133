import {
  assertTenantAccess,
  ForbiddenError,
  IS_PUBLIC,
  type Principal,
  REQUIRED_PERMISSION,
  SYSTEM_ONLY,
  SYSTEM_TENANT,
  UnauthorizedError,
} from '@app/platform';
import { AccessDeniedAudit } from '@app/audit';
import { SYSTEM_TENANT_SLUG, TenantsRepository } from '@app/tenancy';
import { type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { AdminApiKeys, bearerApiKey } from './admin-api-keys.js';
import { ADMIN_JWT_STRATEGY } from './admin-jwt.strategy.js';

/**
 * Global guard, deny by default: a route is reachable without a token only when marked
 * @Public(); otherwise the token must verify and carry the route's @RequirePermission.
 * A guarded route that names no permission is refused, so a forgotten decorator fails closed.
 * The token is a JWT access token for the admin resource, or an API key issued for it.
 */
@Injectable()
export class AdminAuthGuard extends AuthGuard(ADMIN_JWT_STRATEGY) {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: AdminApiKeys,
    private readonly denials: AccessDeniedAudit,
    private readonly tenants: TenantsRepository,
  ) {
    super();
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    try {
      return await this.authorize(context);
    } catch (error) {
      if (error instanceof UnauthorizedError || error instanceof ForbiddenError) this.denied(context, error);
      throw error;
    }
  }

  /**
   * `access.denied` in the refused principal's tenant (403), or for an anonymous or invalid
   * token (401) in the tenant the URL names, else `system`. Not awaited: the answer is not delayed.
   */
  private denied(context: ExecutionContext, error: UnauthorizedError | ForbiddenError): void {
    const request = context.switchToHttp().getRequest<Request & { user?: Principal }>();
    const principal = error instanceof ForbiddenError ? request.user : undefined;
    const slug = request.params?.slug;
    const scope = principal?.tenantId ?? (typeof slug === 'string' ? slug : SYSTEM_TENANT_SLUG);
    const tenantId = async () => {
      if (principal) return principal.tenantId;
      const tenant =
        (typeof slug === 'string' ? await this.tenants.findBySlug(slug) : null) ??
        (await this.tenants.findBySlug(SYSTEM_TENANT_SLUG));
      return tenant?.id ?? null;
    };
    void this.denials.record(scope, tenantId, {
      api: 'admin',
      status: error.status as 401 | 403,
      route: `${request.method} ${(request.route as { path?: string } | undefined)?.path ?? 'unmatched'}`,
      principal: principal && { type: principal.kind, id: principal.subject, clientId: principal.clientId },
      ip: request.ip,
      userAgent: request.get('user-agent'),
      reason: error.message,
    });
  }

  private async authorize(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context
      .switchToHttp()
      .getRequest<{ user: Principal; params?: Record<string, string>; headers: Record<string, string | undefined> }>();
    const apiKey = bearerApiKey(request.headers.authorization);
    if (apiKey !== undefined) request.user = await this.apiKeys.principal(apiKey);
    else await super.canActivate(context);
    const principal = request.user;
    const permission = this.reflector.getAllAndOverride<string>(REQUIRED_PERMISSION, targets);
    if (!permission || !principal.permissions.includes(permission)) throw new ForbiddenError();
    // Scope checks run here, before body validation, so a foreign tenant learns nothing but 403.
    if (this.reflector.getAllAndOverride<boolean>(SYSTEM_ONLY, targets) && principal.tenantSlug !== SYSTEM_TENANT) {
      throw new ForbiddenError('only system principals may do this');
    }
    if (request.params?.slug !== undefined) assertTenantAccess(principal, request.params.slug);
    return true;
  }

  handleRequest<T>(error: unknown, principal: T): T {
    if (error || !principal) throw new UnauthorizedError();
    return principal;
  }
}
