import { Metrics } from '@app/platform';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, MoreThan } from 'typeorm';
import { SessionRecordEntity } from './session-record.entity.js';

/** The oidc-provider Session payload fields the index reads. */
export interface SessionPayload {
  uid?: string;
  accountId?: string;
  loginTs?: number;
  exp?: number;
  authorizations?: Record<string, { grantId?: string }>;
}

export interface RequestInfo {
  ip?: string;
  userAgent?: string;
}

@Injectable()
export class SessionsService implements OnModuleInit {
  constructor(
    private readonly db: DataSource,
    private readonly metrics: Metrics,
  ) {}

  onModuleInit(): void {
    this.metrics.gauge('idp_active_sessions', 'Live sign-in sessions (all tenants)', () =>
      this.repo.count({ where: { expiresAt: MoreThan(new Date()) } }),
    );
  }

  private get repo() {
    return this.db.getRepository(SessionRecordEntity);
  }

  /**
   * Mirrors one save of a signed-in session; anonymous (pre-login) sessions are not indexed.
   * Answers the address the session was last seen from, so the caller can notice a change.
   */
  async record(
    tenantId: string,
    session: SessionPayload,
    expiresInSeconds: number,
    request: RequestInfo,
  ): Promise<{ previousIp: string | null } | null> {
    if (!session.uid || !session.accountId) return null;
    const now = new Date();
    const previous = await this.repo.findOne({
      where: { tenantId, uid: session.uid, accountId: session.accountId },
      select: { ip: true },
    });
    await this.repo
      .createQueryBuilder()
      .insert()
      .values({
        tenantId,
        uid: session.uid,
        accountId: session.accountId,
        clientIds: Object.keys(session.authorizations ?? {}),
        ip: request.ip?.slice(0, 64) ?? null,
        userAgent: request.userAgent?.slice(0, 512) ?? null,
        createdAt: session.loginTs ? new Date(session.loginTs * 1000) : now,
        lastSeenAt: now,
        expiresAt: new Date(now.getTime() + expiresInSeconds * 1000),
      })
      .orUpdate(['account_id', 'client_ids', 'last_seen_at', 'expires_at', 'ip', 'user_agent'], ['tenant_id', 'uid'])
      .execute();
    return { previousIp: previous?.ip ?? null };
  }

  async forget(tenantId: string, uid: string): Promise<void> {
    await this.repo.delete({ tenantId, uid });
  }

  listForAccount(tenantId: string, accountId: string): Promise<SessionRecordEntity[]> {
    return this.repo.find({
      where: { tenantId, accountId, expiresAt: MoreThan(new Date()) },
      order: { lastSeenAt: 'DESC' },
    });
  }

  find(tenantId: string, accountId: string, uid: string): Promise<SessionRecordEntity | null> {
    return this.repo.findOneBy({ tenantId, accountId, uid });
  }
}
