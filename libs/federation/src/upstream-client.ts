import { APP_CONFIG, type AppConfig, SHARED_STATE, type SharedState } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import * as oidc from 'openid-client';
import { BrokerError } from './broker-error.js';
import type { IdentityProviderEntity } from './identity-provider.entity.js';
import { IdentityProvidersService } from './identity-providers.service.js';
import { PRESETS, profileFromClaims, profileFromGitHub, type UpstreamProfile } from './presets.js';

/** Long enough to sign in at the upstream (password, second factor), short enough to be worthless later. */
const ROUND_TRIP_TTL_SECONDS = 600;
const UPSTREAM_TIMEOUT_SECONDS = 10;
/** Discovery documents and JWKS change rarely; a provider's PATCH changes its `updatedAt` and so its key. */
const CONFIGURATION_TTL_MS = 10 * 60 * 1000;

/** What one round trip remembers server-side, bound to the sign-in that started it. */
interface RoundTrip {
  interaction: string;
  providerId: string;
  verifier: string;
  nonce: string;
  redirectUri: string;
}

/**
 * The relying-party side of brokering (openid-client): the authorization request with PKCE
 * S256, `state` and `nonce` — kept in the shared store, single-use and short-lived — and on
 * return the code exchange with every check openid-client makes (state, RFC 9207 `iss`, ID
 * token signature by the upstream's JWKS, `iss`, `aud`, `exp`, `nonce`), then the profile.
 */
@Injectable()
export class UpstreamClient {
  private readonly configurations = new Map<string, { at: number; config: Promise<oidc.Configuration> }>();

  constructor(
    private readonly providers: IdentityProvidersService,
    @Inject(SHARED_STATE) private readonly store: SharedState,
    @Inject(APP_CONFIG) private readonly appConfig: AppConfig,
  ) {}

  /**
   * The upstream's authorization URL for this sign-in. The state carries the interaction id
   * in front (the callback must find its way back to the sign-in whose cookie the browser
   * holds) and 32 random bytes behind it, under which the round trip is stored.
   */
  async authorizationUrl(provider: IdentityProviderEntity, interaction: string, redirectUri: string): Promise<URL> {
    const config = await this.configuration(provider);
    const verifier = oidc.randomPKCECodeVerifier();
    const nonce = oidc.randomNonce();
    const state = `${interaction}.${randomBytes(32).toString('base64url')}`;
    const trip: RoundTrip = { interaction, providerId: provider.id, verifier, nonce, redirectUri };
    await this.store.singleUse.put(
      provider.tenantId,
      roundTripKey(state),
      JSON.stringify(trip),
      ROUND_TRIP_TTL_SECONDS,
    );
    return oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: provider.scopes.join(' '),
      response_type: 'code',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      ...(provider.type === 'github' ? {} : { nonce }),
    });
  }

  /**
   * The callback's answer: the round trip is used up whatever happens next; it must belong to
   * this provider and this sign-in. Then the code is exchanged and the profile read.
   */
  async complete(
    provider: IdentityProviderEntity,
    interaction: string,
    query: URLSearchParams,
  ): Promise<UpstreamProfile> {
    const state = query.get('state') ?? '';
    const stored = state.length <= 512 ? await this.store.singleUse.take(provider.tenantId, roundTripKey(state)) : null;
    if (!stored) throw new BrokerError('state', 'unknown, expired or used state');
    const trip = JSON.parse(stored) as RoundTrip;
    if (trip.interaction !== interaction || trip.providerId !== provider.id)
      throw new BrokerError('state', 'state of another sign-in');
    if (query.get('error')) {
      throw new BrokerError(query.get('error') === 'access_denied' ? 'denied' : 'upstream', query.get('error')!);
    }
    const config = await this.configuration(provider);
    const currentUrl = new URL(trip.redirectUri);
    currentUrl.search = query.toString();
    const github = provider.type === 'github';
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: trip.verifier,
        expectedState: state,
        ...(github ? {} : { expectedNonce: trip.nonce, idTokenExpected: true }),
      });
    } catch (error) {
      throw classify(error);
    }
    if (github) return this.gitHubProfile(config, tokens.access_token);
    const claims = tokens.claims()!;
    let merged: Record<string, unknown> = { ...claims };
    // Code-flow ID tokens often carry no profile claims: userinfo has them (same subject, checked).
    if (!claims.email && config.serverMetadata().userinfo_endpoint) {
      try {
        merged = { ...(await oidc.fetchUserInfo(config, tokens.access_token, claims.sub)), ...claims };
      } catch (error) {
        throw classify(error);
      }
    }
    try {
      return profileFromClaims(provider.type, merged);
    } catch {
      throw new BrokerError('id_token', 'no subject');
    }
  }

  private async gitHubProfile(config: oidc.Configuration, accessToken: string): Promise<UpstreamProfile> {
    const endpoints = PRESETS.github.oauth!;
    const get = async (url: string) => {
      const response = await oidc.fetchProtectedResource(
        config,
        accessToken,
        new URL(url),
        'GET',
        undefined,
        new Headers({ accept: 'application/vnd.github+json' }),
      );
      if (!response.ok) throw new BrokerError('upstream', `${url} answered ${response.status}`);
      return response.json() as Promise<unknown>;
    };
    try {
      const user = (await get(endpoints.userApi)) as Parameters<typeof profileFromGitHub>[0];
      const emails = (await get(endpoints.emailsApi!).catch(() => null)) as Parameters<typeof profileFromGitHub>[1];
      return profileFromGitHub(user, Array.isArray(emails) ? emails : null);
    } catch (error) {
      throw error instanceof BrokerError ? error : classify(error);
    }
  }

  /** Discovered (OpenID Connect) or built from the preset's endpoints (GitHub), cached per provider version. */
  private configuration(provider: IdentityProviderEntity): Promise<oidc.Configuration> {
    const key = `${provider.id}:${provider.updatedAt.getTime()}`;
    const cached = this.configurations.get(key);
    if (cached && Date.now() - cached.at < CONFIGURATION_TTL_MS) return cached.config;
    const config = this.build(provider).catch((error: unknown) => {
      this.configurations.delete(key);
      throw error instanceof BrokerError ? error : classify(error);
    });
    if (this.configurations.size > 1000) this.configurations.clear();
    this.configurations.set(key, { at: Date.now(), config });
    return config;
  }

  private async build(provider: IdentityProviderEntity): Promise<oidc.Configuration> {
    const secret = this.providers.clientSecret(provider);
    const oauth = PRESETS[provider.type].oauth;
    let config: oidc.Configuration;
    if (oauth) {
      config = new oidc.Configuration(
        {
          issuer: oauth.issuer,
          authorization_endpoint: oauth.authorizationEndpoint,
          token_endpoint: oauth.tokenEndpoint,
        },
        provider.clientId,
        undefined,
        oidc.ClientSecretPost(secret),
      );
    } else {
      const issuer = new URL(provider.issuer!);
      const insecure = issuer.protocol === 'http:' && !this.appConfig.production;
      config = await oidc.discovery(issuer, provider.clientId, undefined, oidc.ClientSecretBasic(secret), {
        timeout: UPSTREAM_TIMEOUT_SECONDS,
        ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}),
      });
    }
    config.timeout = UPSTREAM_TIMEOUT_SECONDS;
    // openid-client trusts an ID token from the token endpoint on TLS alone (OIDC Core 3.1.3.7
    // allows it) and skips its signature; we check it against the upstream's JWKS anyway.
    if (!oauth) oidc.enableNonRepudiationChecks(config);
    return config;
  }
}

function roundTripKey(state: string): string {
  return `broker:${state}`;
}

const ID_TOKEN_CODES = new Set([
  'OAUTH_JWT_CLAIM_COMPARISON_FAILED',
  'OAUTH_JWT_TIMESTAMP_CHECK_FAILED',
  'OAUTH_KEY_SELECTION_FAILED',
]);

/** openid-client's errors by what went wrong: a timeout, a bad ID token, or any other upstream failure. */
function classify(error: unknown): BrokerError {
  const chain: { name?: string; code?: string; message?: string }[] = [];
  for (let e = error as { cause?: unknown } | undefined; e && chain.length < 5; e = e.cause as typeof e)
    chain.push(e as (typeof chain)[number]);
  const message = chain.map((e) => e.message).join(': ');
  if (chain.some((e) => e.name === 'TimeoutError' || e.code === 'OAUTH_TIMEOUT' || e.code === 'OAUTH_ABORT'))
    return new BrokerError('timeout', message);
  if (
    chain.some((e) => ID_TOKEN_CODES.has(e.code ?? '')) ||
    chain.some((e) => e.code === 'OAUTH_INVALID_RESPONSE' && /JWT|JWS|signature|ID Token/i.test(e.message ?? ''))
  )
    return new BrokerError('id_token', message);
  return new BrokerError('upstream', message);
}
