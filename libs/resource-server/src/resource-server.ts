import type { JWTVerifyGetKey } from 'jose';
import { bearerTokenOf } from './bearer-header.js';
import { InvalidTokenError, IssuerUnavailableError, ResourceServerError } from './errors.js';
import { assertAnswerFitsThisApi, Introspector } from './introspection.js';
import { IssuerMetadata } from './issuer-metadata.js';
import { issuerKeySet, looksLikeJwt, verifyJwtAccessToken } from './jwt-access-token.js';
import { resolveOptions, type ResolvedOptions, type ResourceServerOptions } from './options.js';
import { principalFromClaims, tenantOfIssuer, type Principal } from './principal.js';

/**
 * Validates the access tokens sent to one API. Create one per API and share it: it holds the
 * issuer's keys and the introspection cache. Framework adapters (`/nest`, `/express`) wrap it.
 */
export interface ResourceServer {
  /** The `realm` of this API's challenges. */
  readonly realm: string;
  /**
   * The caller behind an `Authorization` header: undefined when it carries no bearer token;
   * throws a {@link ResourceServerError} (400, 401, 503) when the header or token is not acceptable.
   */
  authenticate(authorization: string | string[] | undefined): Promise<Principal | undefined>;
  /** The caller behind one access token; throws a {@link ResourceServerError} when it is not acceptable. */
  verifyToken(token: string): Promise<Principal>;
}

class TokenValidation implements ResourceServer {
  readonly realm: string;
  private readonly tenant: string | undefined;
  private readonly metadata: IssuerMetadata;
  private readonly keys: JWTVerifyGetKey;
  private readonly introspector: Introspector | undefined;

  constructor(private readonly options: ResolvedOptions) {
    this.realm = options.realm;
    // `iss` is checked against the configured issuer, so the tenant is the same for every token.
    this.tenant = tenantOfIssuer(options.issuer);
    this.metadata = new IssuerMetadata(options);
    this.keys = issuerKeySet(options, this.metadata);
    this.introspector = options.credentials ? new Introspector(options, this.metadata) : undefined;
  }

  async authenticate(authorization: string | string[] | undefined): Promise<Principal | undefined> {
    const token = bearerTokenOf(authorization);
    return token === undefined ? undefined : this.verifyToken(token);
  }

  async verifyToken(token: string): Promise<Principal> {
    try {
      return looksLikeJwt(token) ? await this.verifyJwt(token) : await this.verifyOpaque(token);
    } catch (error) {
      // Whatever is not a refusal of the token is the issuer's failure: 503, never a 500.
      const refusal = error instanceof ResourceServerError ? error : new IssuerUnavailableError('answer', error);
      if (refusal instanceof IssuerUnavailableError) this.options.onIssuerUnavailable(refusal);
      throw refusal;
    }
  }

  private async verifyJwt(token: string): Promise<Principal> {
    const claims = await verifyJwtAccessToken(token, this.keys, this.options);
    // Strict: a valid signature is not enough, the issuer must still hold the token active
    // (its revocation endpoint puts a revoked JWT's jti on a deny-list).
    if (this.options.strict) await this.introspector!.activeAnswer(token);
    return principalFromClaims(claims, { tokenType: 'jwt', tenant: this.tenant });
  }

  private async verifyOpaque(token: string): Promise<Principal> {
    if (!this.introspector) {
      throw new InvalidTokenError('this API accepts JWT access tokens only (no introspection configured)');
    }
    const answer = await this.introspector.activeAnswer(token);
    assertAnswerFitsThisApi(answer, this.options);
    return principalFromClaims(answer, { tokenType: 'opaque', tenant: this.tenant });
  }
}

export function createResourceServer(options: ResourceServerOptions): ResourceServer {
  return new TokenValidation(resolveOptions(options));
}

export function isResourceServer(value: unknown): value is ResourceServer {
  return value instanceof TokenValidation;
}
