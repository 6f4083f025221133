import {
  createRemoteJWKSet,
  customFetch,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { InvalidTokenError, IssuerUnavailableError, ResourceServerError } from './errors.js';
import type { IssuerMetadata } from './issuer-metadata.js';
import type { ResolvedOptions } from './options.js';

/** Three dot-separated parts with a readable JOSE header: a JWT, verified locally, never introspected. */
export function looksLikeJwt(token: string): boolean {
  if (token.split('.').length !== 3) return false;
  try {
    decodeProtectedHeader(token);
    return true;
  } catch {
    return false;
  }
}

export interface JwtExpectations {
  issuer: string;
  audiences: string[];
  clockToleranceSeconds: number;
}

/** Claims RFC 9068 §2.2 requires of a JWT access token, beyond `iss` and `aud` (checked by value). */
const REQUIRED_CLAIMS = ['exp', 'iat', 'jti', 'sub', 'client_id'];

const CLAIM_FAILURES: Record<string, string> = {
  iss: 'the token was issued by another issuer',
  aud: 'the token is not meant for this API',
  nbf: 'the token is not valid yet',
  iat: 'the token was issued in the future',
  typ: 'the token is not a JWT access token (typ at+jwt)',
};

/** One fixed sentence per failure: jose's own messages are not shown to callers. */
function refusal(error: unknown): ResourceServerError {
  if (error instanceof ResourceServerError) return error;
  if (error instanceof errors.JWTExpired) return new InvalidTokenError('the token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return new InvalidTokenError(`the token lacks the ${error.claim} claim`);
    return new InvalidTokenError(CLAIM_FAILURES[error.claim] ?? `the token's ${error.claim} claim is invalid`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return new InvalidTokenError('the token is not signed with RS256');
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new InvalidTokenError('the token signature is invalid');
  }
  if (error instanceof errors.JWKSNoMatchingKey) return new InvalidTokenError('the token is signed by an unknown key');
  if (error instanceof errors.JWKSMultipleMatchingKeys) return new InvalidTokenError('the token names no known key');
  return new InvalidTokenError('the token is malformed');
}

/** Checks signature (RS256 only), `typ: at+jwt`, `iss`, `aud`, `exp`/`nbf`/`iat` with leeway. */
export async function verifyJwtAccessToken(
  token: string,
  getKey: JWTVerifyGetKey,
  expected: JwtExpectations,
): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, getKey, {
      issuer: expected.issuer,
      audience: expected.audiences,
      // The allow-list is checked before any key is looked up: `none`, HS256 keyed with our
      // public key, ES256 … never reach signature verification.
      algorithms: ['RS256'],
      typ: 'at+jwt',
      clockTolerance: expected.clockToleranceSeconds,
      requiredClaims: REQUIRED_CLAIMS,
    });
    // jose checks `iat` only against a maximum age; a token from the future means a broken clock or a forgery.
    if (payload.iat! - expected.clockToleranceSeconds > Date.now() / 1000) {
      throw new InvalidTokenError(CLAIM_FAILURES.iat);
    }
    return payload;
  } catch (error) {
    throw refusal(error);
  }
}

/**
 * The issuer's public keys, fetched from its `jwks_uri` on first use and cached (jose's remote
 * key set): refreshed after `jwksCacheMaxAgeSeconds`, and at once when a token names a `kid`
 * the cache lacks — a key rotation — unless it was fetched less than `jwksCooldownSeconds` ago.
 */
export function issuerKeySet(options: ResolvedOptions, metadata: IssuerMetadata): JWTVerifyGetKey {
  let remote: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;
  const keySet = () => {
    remote ??= metadata.jwksUri().then(
      (uri) =>
        createRemoteJWKSet(new URL(uri), {
          cacheMaxAge: options.jwksCacheMaxAgeMs,
          cooldownDuration: options.jwksCooldownMs,
          timeoutDuration: options.timeoutMs,
          [customFetch]: options.fetch,
        }),
      (error: unknown) => {
        remote = undefined;
        throw error;
      },
    );
    return remote;
  };
  return async (header, token) => {
    const jwks = await keySet();
    try {
      return await jwks(header, token);
    } catch (error) {
      // "No such key" is the token's fault; anything else (network, timeout, non-200, bad JSON) the issuer's.
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
      throw new IssuerUnavailableError('key set', error);
    }
  };
}
