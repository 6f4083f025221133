import * as oauth from 'oauth4webapi';
import { CONSOLE_CLIENT_ID, type ConsoleLocations } from '../lib/locations';

/**
 * The console's side of OpenID Connect, done by oauth4webapi: authorization code + PKCE
 * (S256) as a public client, refresh token rotation, revocation and RP-initiated logout.
 * Tokens only ever live in memory; what must survive the redirect to the sign-in page (the
 * PKCE verifier, state, nonce) waits in sessionStorage and is removed when the browser
 * comes back.
 */

export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  idToken?: string;
  idTokenClaims?: Record<string, unknown>;
  /** Epoch milliseconds when the access token expires. */
  expiresAt: number;
}

interface PendingSignIn {
  tenant: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
}

const PENDING_KEY = 'console.pending-sign-in';
const SCOPE = 'openid profile offline_access admin';
const client: oauth.Client = { client_id: CONSOLE_CLIENT_ID };

export class SignInError extends Error {}

export class OidcClient {
  private readonly servers = new Map<string, Promise<oauth.AuthorizationServer>>();

  constructor(
    private readonly at: ConsoleLocations,
    private readonly storage: Storage = sessionStorage,
  ) {}

  /** http is refused by oauth4webapi unless allowed: only when the console itself came over http. */
  private get options() {
    return { [oauth.allowInsecureRequests]: this.at.publicUrl.startsWith('http:') };
  }

  private server(tenant: string): Promise<oauth.AuthorizationServer> {
    let server = this.servers.get(tenant);
    if (!server) {
      const issuer = new URL(this.at.issuer(tenant));
      server = oauth
        .discoveryRequest(issuer, { ...this.options, algorithm: 'oidc' })
        .then((response) => oauth.processDiscoveryResponse(issuer, response));
      server.catch(() => this.servers.delete(tenant));
      this.servers.set(tenant, server);
    }
    return server;
  }

  /** The URL of the tenant's sign-in page for the console; `returnTo` is where to land after. */
  async authorizationUrl(tenant: string, returnTo: string): Promise<URL> {
    const as = await this.server(tenant);
    if (!as.authorization_endpoint) throw new SignInError('the tenant has no authorization endpoint');
    const pending: PendingSignIn = {
      tenant,
      returnTo,
      state: oauth.generateRandomState(),
      nonce: oauth.generateRandomNonce(),
      codeVerifier: oauth.generateRandomCodeVerifier(),
    };
    this.storage.setItem(PENDING_KEY, JSON.stringify(pending));
    const url = new URL(as.authorization_endpoint);
    url.search = new URLSearchParams({
      client_id: CONSOLE_CLIENT_ID,
      redirect_uri: this.at.redirectUri,
      response_type: 'code',
      scope: SCOPE,
      resource: this.at.adminApi,
      code_challenge: await oauth.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    }).toString();
    return url;
  }

  /** Back from the sign-in page: checks state and issuer (RFC 9207), redeems the code. */
  async completeSignIn(callbackUrl: URL): Promise<{ tenant: string; returnTo: string; tokens: TokenSet }> {
    const raw = this.storage.getItem(PENDING_KEY);
    this.storage.removeItem(PENDING_KEY);
    if (!raw) throw new SignInError('This sign-in was not started here, or it was already completed.');
    const pending = JSON.parse(raw) as PendingSignIn;
    const as = await this.server(pending.tenant);
    let parameters: URLSearchParams;
    try {
      parameters = oauth.validateAuthResponse(as, client, callbackUrl, pending.state);
    } catch (error) {
      throw new SignInError(describe(error));
    }
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.None(),
      parameters,
      this.at.redirectUri,
      pending.codeVerifier,
      { ...this.options, additionalParameters: { resource: this.at.adminApi } },
    );
    const result = await oauth
      .processAuthorizationCodeResponse(as, client, response, { expectedNonce: pending.nonce })
      .catch((error: unknown) => {
        throw new SignInError(describe(error));
      });
    return { tenant: pending.tenant, returnTo: pending.returnTo, tokens: tokenSet(result) };
  }

  /** Refresh token rotation: the answer carries the next refresh token; the old one is spent. */
  async refresh(tenant: string, current: TokenSet): Promise<TokenSet> {
    if (!current.refreshToken) throw new SignInError('no refresh token');
    const as = await this.server(tenant);
    const response = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), current.refreshToken, {
      ...this.options,
      additionalParameters: { resource: this.at.adminApi },
    });
    const result = await oauth.processRefreshTokenResponse(as, client, response).catch((error: unknown) => {
      throw new SignInError(describe(error));
    });
    const next = tokenSet(result);
    return {
      ...next,
      idToken: next.idToken ?? current.idToken,
      idTokenClaims: next.idTokenClaims ?? current.idTokenClaims,
    };
  }

  /**
   * RP-initiated logout: the refresh token is revoked first (best effort), then the browser
   * goes to the tenant's end_session_endpoint, which ends the session and comes back here.
   */
  async logoutUrl(tenant: string, tokens: TokenSet): Promise<URL> {
    const as = await this.server(tenant);
    if (tokens.refreshToken) {
      await oauth
        .revocationRequest(as, client, oauth.None(), tokens.refreshToken, this.options)
        .then(oauth.processRevocationResponse)
        .catch(() => undefined);
    }
    if (!as.end_session_endpoint) return new URL(this.at.postLogoutRedirectUri);
    const url = new URL(as.end_session_endpoint);
    url.search = new URLSearchParams({
      client_id: CONSOLE_CLIENT_ID,
      post_logout_redirect_uri: this.at.postLogoutRedirectUri,
      ...(tokens.idToken ? { id_token_hint: tokens.idToken } : {}),
    }).toString();
    return url;
  }
}

function tokenSet(result: oauth.TokenEndpointResponse): TokenSet {
  const claims = oauth.getValidatedIdTokenClaims(result);
  return {
    accessToken: result.access_token,
    refreshToken: result.refresh_token,
    idToken: result.id_token,
    idTokenClaims: claims ? { ...claims } : undefined,
    expiresAt: Date.now() + (result.expires_in ?? 300) * 1000,
  };
}

function describe(error: unknown): string {
  if (error instanceof oauth.AuthorizationResponseError || error instanceof oauth.ResponseBodyError) {
    return error.error_description ?? error.error;
  }
  return error instanceof Error ? error.message : String(error);
}
