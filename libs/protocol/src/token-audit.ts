import type { AuditInput } from '@app/audit';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';

/** Events of the protocol engine itself: tokens, and consent implied for first-party clients. */
export interface TokenAuditEvent {
  type: 'token.issued' | 'token.refreshed' | 'token.revoked' | 'token.reuse_detected' | 'consent.granted';
  clientId?: string;
  accountId?: string;
  ip?: string;
  userAgent?: string;
  data: Record<string, unknown>;
}

export interface TokenAuditSink {
  /** High volume: written in batches, off the response path. */
  batched(event: TokenAuditEvent): void;
  /** Security events: written before the response leaves. */
  durable(event: TokenAuditEvent): Promise<void>;
}

const REUSED_GRANT = Symbol('reusedGrant');

function describe(ctx: KoaContextWithOIDC, type: TokenAuditEvent['type'], data: Record<string, unknown>) {
  const account = ctx.oidc?.entities?.Account as { accountId?: string } | undefined;
  return {
    type,
    clientId: ctx.oidc?.client?.clientId,
    accountId: account?.accountId,
    ip: ctx.ip,
    userAgent: ctx.get('user-agent') || undefined,
    data,
  };
}

/**
 * Token issuance, refresh, revocation and replay go to the audit trail from oidc-provider's
 * own events. A replayed refresh token or code (the provider revokes the grant from the token
 * endpoint) is a security event, recorded before the error answer leaves; the rest is batched.
 */
export function auditTokenEvents(provider: Provider, sink: TokenAuditSink) {
  provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
    const grantType = String(ctx.oidc.params?.grant_type);
    const scope = ctx.oidc.params?.scope;
    sink.batched(
      describe(ctx, grantType === 'refresh_token' ? 'token.refreshed' : 'token.issued', {
        grantType,
        ...(typeof scope === 'string' ? { scope } : {}),
      }),
    );
  });
  provider.on('grant.revoked', (ctx: KoaContextWithOIDC, grantId: string) => {
    if (ctx.oidc?.route === 'token') (ctx.state as Record<symbol, string>)[REUSED_GRANT] = grantId;
  });

  // Only the token endpoint (replays) and revocation need a look at the answer.
  return function tokenAudit(ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> {
    return ctx.method === 'POST' && (ctx.path === '/token' || ctx.path === '/token/revocation')
      ? recordAfter(ctx, next)
      : next();
  };

  async function recordAfter(ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> {
    await next();
    const reusedGrant = (ctx.state as Record<symbol, string | undefined>)[REUSED_GRANT];
    if (reusedGrant) {
      const grantType = String(ctx.oidc?.params?.grant_type);
      await sink.durable(describe(ctx, 'token.reuse_detected', { grantType, grantRevoked: true }));
    } else if (ctx.oidc?.route === 'revocation' && ctx.status === 200) {
      const hint = ctx.oidc.params?.token_type_hint;
      sink.batched(describe(ctx, 'token.revoked', typeof hint === 'string' ? { tokenTypeHint: hint } : {}));
    }
  }
}

/** The audit event a token event becomes (the actor is the user, else the client). */
export function tokenAuditInput(event: TokenAuditEvent): AuditInput {
  return {
    type: event.type,
    outcome: event.type === 'token.reuse_detected' ? 'failure' : 'success',
    actor: event.accountId
      ? { type: 'user', id: event.accountId }
      : event.clientId
        ? { type: 'client', id: event.clientId }
        : { type: 'anonymous' },
    subject: event.accountId ?? event.clientId,
    clientId: event.clientId,
    ip: event.ip,
    userAgent: event.userAgent,
    data: event.data,
  };
}
