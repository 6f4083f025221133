import { APP_CONFIG, type AppConfig, SHARED_STATE, type SharedState, type Principal } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { decodeJwt, decodeProtectedHeader, exportSPKI, importJWK } from 'jose';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { adminResourceIdentifier, TenantProviderRegistry } from '@app/protocol';

export const ADMIN_JWT_STRATEGY = 'admin-jwt';

interface AccessTokenClaims {
  iss: string;
  sub: string;
  client_id: string;
  jti: string;
  permissions?: string[];
}

/**
 * Verifies RS256 access tokens (RFC 9068) that one of our tenants issued for the admin
 * resource: the key comes from the issuing tenant's cached key set (rotated keys included),
 * the audience must be `{PUBLIC_URL}/admin`, and a revoked `jti` is refused.
 */
@Injectable()
export class AdminJwtStrategy extends PassportStrategy(Strategy, ADMIN_JWT_STRATEGY) {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(SHARED_STATE) private readonly store: SharedState,
    private readonly registry: TenantProviderRegistry,
  ) {
    const issuerPrefix = `${config.publicUrl}/t/`;
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      algorithms: ['RS256'],
      audience: adminResourceIdentifier(config.publicUrl),
      passReqToCallback: false,
      secretOrKeyProvider: (_req: Request, rawJwt: string, done: (err: unknown, key?: string) => void) => {
        this.keyFor(rawJwt, issuerPrefix).then(
          (key) => done(null, key),
          () => done(null, undefined),
        );
      },
    });
  }

  private async keyFor(rawJwt: string, issuerPrefix: string): Promise<string> {
    const header = decodeProtectedHeader(rawJwt);
    if (header.typ?.toLowerCase() !== 'at+jwt' && header.typ?.toLowerCase() !== 'application/at+jwt') {
      throw new Error('not an access token');
    }
    const { iss } = decodeJwt(rawJwt);
    if (!iss?.startsWith(issuerPrefix)) throw new Error('foreign issuer');
    const runtime = await this.registry.get(iss.slice(issuerPrefix.length));
    const jwk = runtime?.issuer === iss ? runtime.publicJwks.find((k) => k.kid === header.kid) : undefined;
    if (!jwk) throw new Error('unknown key');
    return exportSPKI((await importJWK(jwk, 'RS256')) as Parameters<typeof exportSPKI>[0]);
  }

  async validate(claims: AccessTokenClaims): Promise<Principal | false> {
    const slug = claims.iss.slice(claims.iss.lastIndexOf('/t/') + 3);
    const runtime = await this.registry.get(slug);
    if (!runtime || !claims.jti || (await this.store.denyList.isDenied(runtime.tenant.id, claims.jti))) return false;
    const kind = claims.sub === claims.client_id ? 'client' : 'user';
    return {
      tenantSlug: slug,
      tenantId: runtime.tenant.id,
      subject: claims.sub,
      clientId: claims.client_id,
      kind,
      permissions: Array.isArray(claims.permissions) ? claims.permissions : [],
      jti: claims.jti,
    };
  }
}
