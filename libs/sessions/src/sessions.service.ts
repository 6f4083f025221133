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
    // One round trip on every session save: the upsert also answers the address the same
    // signed-in session was last seen from (the CTE reads the row as it was before).
    const [row] = (await this.db.query(
      `WITH previous AS (
         SELECT ip FROM sessions WHERE tenant_id = $1 AND uid = $2 AND account_id = $3
       )
       INSERT INTO sessions (tenant_id, uid, account_id, client_ids, ip, user_agent, created_at, last_seen_at, expires_at)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9)
       ON CONFLICT (tenant_id, uid) DO UPDATE SET
         account_id = EXCLUDED.account_id, client_ids = EXCLUDED.client_ids, last_seen_at = EXCLUDED.last_seen_at,
         expires_at = EXCLUDED.expires_at, ip = EXCLUDED.ip, user_agent = EXCLUDED.user_agent
       RETURNING (SELECT ip FROM previous) AS previous_ip`,
      [
        tenantId,
        session.uid,
        session.accountId,
        JSON.stringify(Object.keys(session.authorizations ?? {})),
        request.ip?.slice(0, 64) ?? null,
        request.userAgent?.slice(0, 512) ?? null,
        session.loginTs ? new Date(session.loginTs * 1000) : now,
        now,
        new Date(now.getTime() + expiresInSeconds * 1000),
      ],
    )) as { previous_ip: string | null }[];
    return { previousIp: row?.previous_ip ?? null };
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
