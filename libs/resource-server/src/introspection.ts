import { createHash } from 'node:crypto';
import { BoundedTtlCache } from './bounded-ttl-cache.js';
import { InvalidTokenError, IssuerUnavailableError } from './errors.js';
import { callIssuer, type IssuerMetadata } from './issuer-metadata.js';
import type { ResolvedOptions } from './options.js';

/** An RFC 7662 answer: `active` and, when active, the token's claims. */
export type IntrospectionAnswer = { active: boolean } & Record<string, unknown>;

/** RFC 6749 §2.3.1: client id and secret are form-urlencoded before they are joined and base64-encoded. */
function basicAuthorization(clientId: string, clientSecret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
}

/**
 * Asks the issuer about tokens with this API's client credentials (RFC 7662), remembering
 * answers briefly. Entries are keyed by the token's SHA-256, so the cache never holds a usable
 * token; an active answer is never kept past the token's `exp`, and none is kept in strict
 * mode, where every request must see a revocation at once.
 */
export class Introspector {
  private readonly answers: BoundedTtlCache<IntrospectionAnswer>;
  private readonly inFlight = new Map<string, Promise<IntrospectionAnswer>>();

  constructor(
    private readonly options: ResolvedOptions,
    private readonly metadata: IssuerMetadata,
    private readonly now: () => number = Date.now,
  ) {
    this.answers = new BoundedTtlCache(options.cacheMaxEntries, now);
  }

  /** The active answer for `token`; throws 401 when the issuer says it is not active. */
  async activeAnswer(token: string): Promise<IntrospectionAnswer> {
    const answer = await this.answer(token);
    if (!answer.active) throw new InvalidTokenError('the token is not active (expired, revoked or unknown)');
    return answer;
  }

  private async answer(token: string): Promise<IntrospectionAnswer> {
    const key = createHash('sha256').update(token).digest('base64url');
    const cached = this.answers.get(key);
    if (cached) return cached;
    // Concurrent requests with one token share one round trip.
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.ask(token)
        .then((answer) => {
          this.answers.set(key, answer, this.cacheMs(answer));
          return answer;
        })
        .finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private cacheMs(answer: IntrospectionAnswer): number {
    if (!answer.active) return this.options.inactiveCacheMs;
    if (this.options.strict) return 0;
    const untilExpiry = typeof answer.exp === 'number' ? answer.exp * 1000 - this.now() : Infinity;
    return Math.min(this.options.activeCacheMs, untilExpiry);
  }

  private async ask(token: string): Promise<IntrospectionAnswer> {
    const credentials = this.options.credentials!;
    const endpoint = await this.metadata.introspectionEndpoint();
    let body: unknown;
    try {
      const response = await callIssuer(this.options, endpoint, {
        method: 'POST',
        headers: {
          accept: 'application/json',
          'content-type': 'application/x-www-form-urlencoded',
          authorization: basicAuthorization(credentials.clientId, credentials.clientSecret),
        },
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
      });
      // A 401 here means this API's own credentials are wrong: the operator's problem, not the caller's.
      if (response.status !== 200) throw new Error(`introspection answered HTTP ${response.status}`);
      body = await response.json();
    } catch (error) {
      throw new IssuerUnavailableError('introspection endpoint', error);
    }
    if (typeof body !== 'object' || body === null || typeof (body as { active?: unknown }).active !== 'boolean') {
      throw new IssuerUnavailableError('introspection endpoint', new Error('the answer is not an RFC 7662 answer'));
    }
    return body as IntrospectionAnswer;
  }
}

export interface AnswerExpectations {
  issuer: string;
  audiences: string[];
  acceptTokensWithoutAudience: boolean;
  clockToleranceSeconds: number;
}

/**
 * An active answer says the issuer knows the token, not that it is meant for this API as an
 * access token: check that too (RFC 7662 §4), with the same rules as a JWT.
 */
export function assertAnswerFitsThisApi(
  answer: IntrospectionAnswer,
  expected: AnswerExpectations,
  nowSeconds = Date.now() / 1000,
): void {
  // A refresh token introspects as active too; it must never work as a bearer token.
  const tokenType = answer.token_type === undefined ? undefined : String(answer.token_type).toLowerCase();
  if (tokenType !== undefined && tokenType !== 'bearer')
    throw new InvalidTokenError('the token is not an access token');
  if (answer.iss !== undefined && answer.iss !== expected.issuer) {
    throw new InvalidTokenError('the token was issued by another issuer');
  }
  const audiences = typeof answer.aud === 'string' ? [answer.aud] : Array.isArray(answer.aud) ? answer.aud : [];
  if (audiences.length === 0 && !expected.acceptTokensWithoutAudience) {
    throw new InvalidTokenError('the token is not meant for this API (it has no audience)');
  }
  // oidc-provider answers a refresh token with neither `aud` nor `token_type`: without an
  // audience only an answer that says "Bearer" is known to be an access token.
  if (audiences.length === 0 && tokenType !== 'bearer') throw new InvalidTokenError('the token is not an access token');
  if (audiences.length > 0 && !audiences.some((audience) => expected.audiences.includes(audience as string))) {
    throw new InvalidTokenError('the token is not meant for this API');
  }
  const leeway = expected.clockToleranceSeconds;
  if (typeof answer.exp === 'number' && answer.exp + leeway <= nowSeconds) {
    throw new InvalidTokenError('the token has expired');
  }
  if (typeof answer.nbf === 'number' && answer.nbf - leeway > nowSeconds) {
    throw new InvalidTokenError('the token is not valid yet');
  }
}
