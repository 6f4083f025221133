import { AuditService } from '@app/audit';
import { type Principal, REQUIRED_PERMISSION } from '@app/platform';
import { TenantsRepository } from '@app/tenancy';
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { catchError, from, mergeMap, type Observable } from 'rxjs';

/**
 * Every admin change (a non-GET admin route) is recorded in the audit trail of the tenant
 * it touched — who, what route, which ids, success or failure. Request bodies are not
 * recorded (they may hold passwords); the ids in the path say what changed.
 */
@Injectable()
export class AdminAuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
    private readonly tenants: TenantsRepository,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request & { user?: Principal }>();
    const permission = this.reflector.getAllAndOverride<string>(REQUIRED_PERMISSION, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (request.method === 'GET' || !permission || !request.user) return next.handle();

    const principal = request.user;
    const params = request.params as Record<string, string>;
    const slug = params.slug;
    // Resolved before the handler runs: a deleted tenant's id is still known afterwards.
    return from(slug ? this.tenants.findBySlug(slug) : Promise.resolve(null)).pipe(
      mergeMap((tenant) => {
        const write = (outcome: 'success' | 'failure', status: number) =>
          this.audit.record(tenant?.id ?? principal.tenantId, {
            type: `admin.${permission.split(':')[0]}.${request.method.toLowerCase()}`,
            outcome,
            actor: { type: principal.kind, id: principal.subject },
            clientId: principal.clientId,
            subject:
              Object.entries(params)
                .filter(([name]) => name !== 'slug')
                .map(([, value]) => value)
                .join('/') || slug,
            ip: request.ip,
            userAgent: request.get('user-agent'),
            data: {
              route: (request.route as { path?: string } | undefined)?.path,
              status,
              actorTenant: principal.tenantSlug,
            },
          });
        return next.handle().pipe(
          mergeMap(async (result) => {
            await write('success', context.switchToHttp().getResponse<Response>().statusCode);
            return result;
          }),
          catchError(async (error: { status?: number; getStatus?: () => number }) => {
            await write('failure', error.getStatus?.() ?? error.status ?? 500).catch(() => undefined);
            throw error;
          }),
        );
      }),
    );
  }
}
