import { SHARED_STATE, type SharedState } from '@app/platform';
import { type SessionPayload, SessionsService } from './sessions.service.js';
import { Inject, Injectable } from '@nestjs/common';

/**
 * Ends sign-in sessions for real: the provider session in Redis, every grant born from it
 * (so its refresh and access tokens die at once, on every instance), and the index row.
 */
@Injectable()
export class SessionTerminationService {
  constructor(
    @Inject(SHARED_STATE) private readonly store: SharedState,
    private readonly sessions: SessionsService,
  ) {}

  /** Ends one session of the account; false when it has no such session. */
  async end(tenantId: string, accountId: string, uid: string): Promise<boolean> {
    const record = await this.sessions.find(tenantId, accountId, uid);
    if (!record) return false;
    const adapters = this.store.oidcAdapterFactory(tenantId);
    const session = (await adapters('Session').findByUid(uid)) as (SessionPayload & { jti?: string }) | undefined;
    if (session && session.accountId === accountId) {
      for (const { grantId } of Object.values(session.authorizations ?? {})) {
        if (!grantId) continue;
        await adapters('AccessToken').revokeByGrantId(grantId);
        await adapters('Grant').destroy(grantId);
      }
      if (session.jti) await adapters('Session').destroy(session.jti);
    }
    await this.sessions.forget(tenantId, uid);
    return true;
  }

  /** "Sign out everywhere" (optionally keeping the caller's own session). */
  async endAll(tenantId: string, accountId: string, exceptUid?: string): Promise<number> {
    let ended = 0;
    for (const record of await this.sessions.listForAccount(tenantId, accountId)) {
      if (record.uid !== exceptUid && (await this.end(tenantId, accountId, record.uid))) ended++;
    }
    return ended;
  }
}
