import { AuditService } from '@app/audit';
import { type Principal, REQUIRED_PERMISSION } from '@app/platform';
import { TenantsRepository } from '@app/tenancy';
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { catchError, from, mergeMap, type Observable } from 'rxjs';
import {
  AdminChangeSnapshots,
  type ChangeDescription,
  describeChanges,
  type Snapshot,
} from './admin-change-snapshots.js';

/**
 * Every admin change (a non-GET admin route) is recorded in the audit trail of the tenant
 * it touched — who, what route, which ids, success or failure, and what changed: the
 * fields that differ between the state before and after the handler (a created object's
 * fields), credentials only as "changed". Request bodies are never recorded.
 */
@Injectable()
export class AdminAuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
    private readonly tenants: TenantsRepository,
    private readonly snapshots: AdminChangeSnapshots,
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
    const route = (request.route as { path?: string } | undefined)?.path ?? '';
    // Resolved before the handler runs: a deleted tenant's id is still known afterwards.
    const beforeHandler = async () => {
      const tenant = slug ? await this.tenants.findBySlug(slug) : null;
      const before = tenant ? await this.snapshots.capture(route, tenant.id, params) : null;
      return { tenant, before };
    };
    return from(beforeHandler()).pipe(
      mergeMap(({ tenant, before }) => {
        const changesAfter = async (result: unknown): Promise<ChangeDescription | undefined> => {
          if (!tenant) return isObject(result) ? describeChanges(null, result) : undefined;
          const after = await this.snapshots.capture(route, tenant.id, params);
          if (before || after) return describeChanges(before, after);
          return isObject(result) ? describeChanges(null, result) : undefined;
        };
        const write = (outcome: 'success' | 'failure', status: number, described?: ChangeDescription) =>
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
              route,
              status,
              actorTenant: principal.tenantSlug,
              ...(principal.apiKeyId ? { apiKeyId: principal.apiKeyId } : {}),
              ...(described && Object.keys(described.changes).length ? { changes: described.changes } : {}),
              ...(described?.credentialsChanged.length ? { credentialsChanged: described.credentialsChanged } : {}),
            },
          });
        return next.handle().pipe(
          mergeMap(async (result) => {
            await write(
              'success',
              context.switchToHttp().getResponse<Response>().statusCode,
              await changesAfter(result),
            );
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

function isObject(value: unknown): value is Snapshot {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}
