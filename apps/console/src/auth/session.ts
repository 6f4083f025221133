import type { OidcClient, TokenSet } from './oidc-client';
import { type Principal, principalFrom } from './principal';

export type SessionState =
  { status: 'signed-out'; reason?: string } | { status: 'signed-in'; tenant: string; principal: Principal };

/** Renew this long before the access token expires, so no request goes out with a dead one. */
const RENEW_AHEAD_MS = 60_000;
const MIN_RENEW_DELAY_MS = 5_000;

/**
 * The signed-in state of this tab, in memory only (a reload signs in again, silently while
 * the tenant's session lasts). Access tokens are renewed ahead of expiry with the refresh
 * token; one renewal at a time, shared by every request waiting for it.
 */
export class ConsoleSession {
  private tokens: TokenSet | undefined;
  private tenant = '';
  private state: SessionState = { status: 'signed-out' };
  private renewal: Promise<string> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly oidc: OidcClient) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  snapshot = (): SessionState => this.state;

  private publish(state: SessionState): void {
    this.state = state;
    this.listeners.forEach((listener) => listener());
  }

  start(tenant: string, tokens: TokenSet): void {
    this.tenant = tenant;
    this.adopt(tokens);
  }

  private adopt(tokens: TokenSet): void {
    this.tokens = tokens;
    this.publish({
      status: 'signed-in',
      tenant: this.tenant,
      principal: principalFrom(tokens.accessToken, tokens.idTokenClaims),
    });
    clearTimeout(this.timer);
    if (tokens.refreshToken) {
      const delay = Math.max(MIN_RENEW_DELAY_MS, tokens.expiresAt - Date.now() - RENEW_AHEAD_MS);
      this.timer = setTimeout(() => void this.renew().catch(() => undefined), delay);
    }
  }

  /** A current access token, renewed first if it is (nearly) expired. */
  async accessToken(): Promise<string> {
    if (!this.tokens) throw new SessionEndedError('Not signed in.');
    if (this.tokens.expiresAt - Date.now() > 5_000) return this.tokens.accessToken;
    return this.renew();
  }

  /** Also called after a 401: the token may have been revoked or outlived. */
  renew(): Promise<string> {
    this.renewal ??= this.renewOnce().finally(() => (this.renewal = undefined));
    return this.renewal;
  }

  private async renewOnce(): Promise<string> {
    const current = this.tokens;
    if (!current?.refreshToken) return this.end('Your session has ended. Sign in again.');
    try {
      this.adopt(await this.oidc.refresh(this.tenant, current));
      return this.tokens!.accessToken;
    } catch {
      return this.end('Your session has ended. Sign in again.');
    }
  }

  private end(reason: string): never {
    clearTimeout(this.timer);
    this.tokens = undefined;
    this.publish({ status: 'signed-out', reason });
    throw new SessionEndedError(reason);
  }

  /** Leaves through the tenant's logout page; the tokens are forgotten first. */
  async signOut(): Promise<URL | undefined> {
    const tokens = this.tokens;
    clearTimeout(this.timer);
    this.tokens = undefined;
    if (!tokens) return undefined;
    return this.oidc.logoutUrl(this.tenant, tokens);
  }
}

export class SessionEndedError extends Error {}
