import { Metrics, SHARED_STATE, type SharedState } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from './audit.service.js';

/** One denial of each principal (or anonymous IP) on each route per window reaches the trail. */
const WINDOW_MS = 60_000;

export interface AccessDenial {
  api: 'admin' | 'account';
  status: 401 | 403;
  /** The route pattern, not the URL (`GET /admin/tenants/:slug/users`): ids and queries stay out. */
  route: string;
  /** Who was refused, when the token said so; anonymous otherwise. */
  principal?: { type: 'user' | 'client'; id: string; clientId?: string };
  ip?: string;
  userAgent?: string;
  reason: string;
}

/**
 * `access.denied` audit events for refused admin and account API calls (401, 403). A scanner
 * could otherwise flood the hash chain: per principal (or IP, for anonymous callers) and route
 * only the first denial within a minute is written — the metric
 * `idp_access_denied_total{api,status}` counts every one.
 */
@Injectable()
export class AccessDeniedAudit {
  constructor(
    private readonly audit: AuditService,
    private readonly metrics: Metrics,
    @Inject(SHARED_STATE) private readonly store: SharedState,
  ) {}

  /**
   * `scope` names the trail in the rate-limit key (a slug or id, known without a lookup);
   * `tenantId` resolves the trail, called only when the event is written. Never throws:
   * the 401/403 goes out whatever happens here.
   */
  async record(scope: string, tenantId: () => Promise<string | null>, denial: AccessDenial): Promise<void> {
    this.metrics.accessDenied.inc({ api: denial.api, status: String(denial.status) });
    try {
      const who = denial.principal ? `${denial.principal.type}:${denial.principal.id}` : `ip:${denial.ip ?? '?'}`;
      const key = `access-denied:${scope}:${who}:${denial.route}`;
      const { totalHits } = await this.store.throttle.increment(key, WINDOW_MS, 1, 0, 'access-denied');
      if (totalHits > 1) return;
      const id = await tenantId();
      if (!id) return;
      this.audit.recordBatched(id, {
        type: 'access.denied',
        outcome: 'failure',
        actor: denial.principal ? { type: denial.principal.type, id: denial.principal.id } : { type: 'anonymous' },
        subject: denial.route.slice(0, 256),
        clientId: denial.principal?.clientId,
        ip: denial.ip,
        userAgent: denial.userAgent,
        data: { api: denial.api, status: denial.status, reason: denial.reason },
      });
    } catch {
      // The shared store is down: the refusal stands, the metric counted it.
    }
  }
}
