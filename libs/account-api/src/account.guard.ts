import { AccessDeniedAudit } from '@app/audit';
import { UsersService } from '@app/identity';
import { UnauthorizedError } from '@app/platform';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { verifyOwnAccessToken, TenantProviderRegistry } from '@app/protocol';

/** The signed-in user an account request acts for. */
export interface AccountPrincipal {
  tenantId: string;
  accountId: string;
  /** The session the token was issued in, when the token says so (opaque tokens do). */
  sessionUid?: string;
}

export type AccountRequest = Request & { account?: AccountPrincipal };

/**
 * Account API authentication: a user's access token from any client of the tenant —
 * opaque (looked up in the provider's store) or one of our JWTs (verified against the
 * tenant's keys and the deny-list). Client-credentials tokens have no user and are refused.
 */
@Injectable()
export class AccountGuard implements CanActivate {
  constructor(
    private readonly registry: TenantProviderRegistry,
    private readonly users: UsersService,
    private readonly denials: AccessDeniedAudit,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AccountRequest>();
    const response = context.switchToHttp().getResponse<{ setHeader(name: string, value: string): void }>();
    const runtime = await this.registry.get(String(request.params.tenant));
    const tenantId = runtime?.tenant.id;
    const refuse = (): never => {
      // Audited (rate limited) in the tenant asked, when it exists; not awaited.
      if (tenantId) {
        const known = tenantId;
        void this.denials.record(known, async () => known, {
          api: 'account',
          status: 401,
          route: `${request.method} ${(request.route as { path?: string } | undefined)?.path ?? 'unmatched'}`,
          ip: request.ip,
          userAgent: request.get('user-agent'),
          reason: 'no valid access token of a signed-in user',
        });
      }
      response.setHeader('www-authenticate', 'Bearer error="invalid_token"');
      throw new UnauthorizedError('a valid access token of a signed-in user is required');
    };
    if (!runtime) return refuse();
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token || token.length > 4096) return refuse();

    let accountId: string | undefined;
    let sessionUid: string | undefined;
    if (token.split('.').length === 3) {
      const payload = await verifyOwnAccessToken(token, {
        issuer: runtime.issuer,
        verificationKeys: runtime.verificationKeys,
        denyList: runtime.denyList,
      });
      if (payload?.sub && payload.sub !== payload.client_id) accountId = payload.sub;
    } else {
      const stored = await runtime.provider.AccessToken.find(token);
      if (stored && !stored.isExpired && stored.accountId) {
        accountId = stored.accountId;
        sessionUid = stored.sessionUid;
      }
    }
    const user = accountId ? await this.users.find(runtime.tenant.id, accountId) : null;
    if (!user || user.disabled) return refuse();
    request.account = { tenantId: runtime.tenant.id, accountId: user.id, sessionUid };
    return true;
  }
}
