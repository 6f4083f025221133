import type { AuditService } from '@app/audit';
import type { OidcAdapter } from '@app/platform';
import type { SessionPayload, SessionsService } from '@app/sessions';
import { currentRequestInfo } from './request-context.js';

/** Session storage that keeps the Postgres index (who is signed in where) in step with Redis. */
export function indexedSessions(
  tenantId: string,
  sessions: OidcAdapter,
  index: SessionsService,
  audit: AuditService,
): OidcAdapter {
  return {
    ...sessions,
    upsert: async (id, payload, expiresIn) => {
      await sessions.upsert(id, payload, expiresIn);
      const request = currentRequestInfo();
      const session = payload as SessionPayload;
      const indexed = await index.record(tenantId, session, expiresIn, request);
      // A session used from a new address is a security event; it keeps working (a phone
      // changes networks all day) — the user and admins see it in the trail.
      if (indexed?.previousIp && request.ip && indexed.previousIp !== request.ip) {
        await audit.recordQuietly(tenantId, {
          type: 'session.ip_changed',
          outcome: 'success',
          actor: { type: 'user', id: session.accountId },
          subject: session.accountId,
          ip: request.ip,
          userAgent: request.userAgent,
          data: { sessionId: session.uid, previousIp: indexed.previousIp },
        });
      }
    },
    destroy: async (id) => {
      const payload = await sessions.find(id);
      await sessions.destroy(id);
      if (payload?.uid) await index.forget(tenantId, payload.uid);
    },
  };
}
