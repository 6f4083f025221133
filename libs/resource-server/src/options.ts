import type { IssuerUnavailableError } from './errors.js';

export interface ResourceServerOptions {
  /** The tenant's issuer, exactly as in its tokens' `iss`: `{PUBLIC_URL}/t/{slug}`. */
  issuer: string;
  /** This API's resource identifier (the tokens' `aud`); several when it answers to more than one. */
  audience: string | string[];
  /**
   * This API's own client credentials, for RFC 7662 introspection (opaque tokens, API keys,
   * and every token in strict mode). Without them only JWT access tokens are accepted.
   */
  clientId?: string;
  clientSecret?: string;
  /**
   * Revocation trade-off. `false` (default): a JWT is checked locally only, so a revoked JWT is
   * still accepted until it expires (the access token lifetime, 15 minutes by default), and a
   * revoked opaque token for up to `introspectionCache.activeSeconds`. `true`: every request
   * asks the issuer (one introspection round trip per request, positive answers never cached),
   * so a revoked token is refused at once — and the API answers 503 while the issuer is down.
   */
  strict?: boolean;
  /**
   * Introspected tokens without an `aud` (the server's opaque tokens issued without a
   * resource, meant for userinfo) are refused unless this is true: they are not addressed to
   * this API, and accepting them lets any application of the tenant call it.
   */
  acceptTokensWithoutAudience?: boolean;
  /** Leeway for `exp`/`nbf`/`iat` against clock drift between the issuer and this API. Default 5 s. */
  clockToleranceSeconds?: number;
  /** Override discovery (`{issuer}/.well-known/openid-configuration`) for the key set. */
  jwksUri?: string;
  /** Override discovery for the introspection endpoint. */
  introspectionEndpoint?: string;
  /** How long fetched keys are trusted before they are fetched again. Default 600 s. */
  jwksCacheMaxAgeSeconds?: number;
  /**
   * A token naming an unknown `kid` (a key rotation) makes the key set be fetched again, at
   * most once per this many seconds so forged `kid`s cannot make the API hammer the issuer.
   * Default 30 s.
   */
  jwksCooldownSeconds?: number;
  introspectionCache?: {
    /** Non-strict mode: an active answer is reused this long (never past the token's `exp`). Default 30 s. */
    activeSeconds?: number;
    /** An inactive answer (unknown, expired, revoked token) is reused this long. Default 60 s. */
    inactiveSeconds?: number;
    /** At most this many answers are kept (least recently used go first). Default 10 000. */
    maxEntries?: number;
  };
  /** Each call to the issuer gives up after this long (then 503). Default 5 s. */
  timeoutSeconds?: number;
  /** The `realm` of `WWW-Authenticate` challenges. Default: the (first) audience. */
  realm?: string;
  /** The fetch used to reach the issuer (a proxy agent, instrumentation). Default: global fetch. */
  fetch?: typeof fetch;
  /** Told why the issuer could not be used (the client only sees a 503); holds no token. */
  onIssuerUnavailable?: (error: IssuerUnavailableError) => void;
}

export interface ResolvedOptions {
  issuer: string;
  audiences: string[];
  credentials: { clientId: string; clientSecret: string } | undefined;
  strict: boolean;
  acceptTokensWithoutAudience: boolean;
  clockToleranceSeconds: number;
  jwksUri: string | undefined;
  introspectionEndpoint: string | undefined;
  jwksCacheMaxAgeMs: number;
  jwksCooldownMs: number;
  activeCacheMs: number;
  inactiveCacheMs: number;
  cacheMaxEntries: number;
  timeoutMs: number;
  realm: string;
  fetch: typeof fetch;
  onIssuerUnavailable: (error: IssuerUnavailableError) => void;
}

function httpUrl(name: string, value: unknown): string {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new TypeError(`resource server: "${name}" must be an absolute http(s) URL`);
  }
  return value as string;
}

function seconds(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`resource server: "${name}" must be a number of seconds ≥ 0`);
  }
  return value;
}

/** Checks the options once, at start: a misconfigured API should not boot, not fail per request. */
export function resolveOptions(options: ResourceServerOptions): ResolvedOptions {
  const issuer = httpUrl('issuer', options.issuer);
  const audiences = (Array.isArray(options.audience) ? options.audience : [options.audience]).filter(
    (audience) => typeof audience === 'string' && audience !== '',
  );
  if (audiences.length === 0) throw new TypeError('resource server: "audience" (the API identifier) is required');
  if (!!options.clientId !== !!options.clientSecret) {
    throw new TypeError('resource server: "clientId" and "clientSecret" go together');
  }
  const credentials =
    options.clientId && options.clientSecret
      ? { clientId: options.clientId, clientSecret: options.clientSecret }
      : undefined;
  if (options.strict && !credentials) {
    throw new TypeError('resource server: strict mode introspects every token and needs "clientId" and "clientSecret"');
  }
  const cache = options.introspectionCache ?? {};
  const maxEntries = cache.maxEntries ?? 10_000;
  if (!Number.isInteger(maxEntries) || maxEntries < 0) {
    throw new TypeError('resource server: "introspectionCache.maxEntries" must be an integer ≥ 0');
  }
  return {
    issuer,
    audiences,
    credentials,
    strict: options.strict === true,
    acceptTokensWithoutAudience: options.acceptTokensWithoutAudience === true,
    clockToleranceSeconds: seconds('clockToleranceSeconds', options.clockToleranceSeconds, 5),
    jwksUri: options.jwksUri === undefined ? undefined : httpUrl('jwksUri', options.jwksUri),
    introspectionEndpoint:
      options.introspectionEndpoint === undefined
        ? undefined
        : httpUrl('introspectionEndpoint', options.introspectionEndpoint),
    jwksCacheMaxAgeMs: seconds('jwksCacheMaxAgeSeconds', options.jwksCacheMaxAgeSeconds, 600) * 1000,
    jwksCooldownMs: seconds('jwksCooldownSeconds', options.jwksCooldownSeconds, 30) * 1000,
    activeCacheMs: seconds('introspectionCache.activeSeconds', cache.activeSeconds, 30) * 1000,
    inactiveCacheMs: seconds('introspectionCache.inactiveSeconds', cache.inactiveSeconds, 60) * 1000,
    cacheMaxEntries: maxEntries,
    timeoutMs: Math.round(seconds('timeoutSeconds', options.timeoutSeconds, 5) * 1000),
    realm: options.realm ?? audiences[0],
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    onIssuerUnavailable: options.onIssuerUnavailable ?? (() => undefined),
  };
}
