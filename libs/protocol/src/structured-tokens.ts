import { decodeProtectedHeader, jwtVerify, type JWTPayload, type createLocalJWKSet } from 'jose';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { isTokenIntrospectionOrRevocation } from './provider-hooks.js';

interface Options {
  issuer: string;
  verificationKeys: ReturnType<typeof createLocalJWKSet>;
  denyList: { deny(jti: string, exp: number): Promise<void>; isDenied(jti: string): Promise<boolean> };
}

interface HookOptions extends Options {
  /** A resource server named by the token's audience may introspect it too (never revoke it). */
  mayIntrospectFor(client: NonNullable<KoaContextWithOIDC['oidc']['client']>, audience: unknown): Promise<boolean>;
}

/** A JWT access token we issued, still valid, not revoked; otherwise undefined. */
export async function verifyOwnAccessToken(token: string, options: Options): Promise<JWTPayload | undefined> {
  try {
    const { payload } = await jwtVerify(token, options.verificationKeys, {
      issuer: options.issuer,
      typ: 'at+jwt',
      algorithms: ['RS256'],
    });
    if (!payload.jti || (await options.denyList.isDenied(payload.jti))) return undefined;
    return payload;
  } catch {
    return undefined;
  }
}

function isJwt(token: unknown): token is string {
  if (typeof token !== 'string') return false;
  try {
    return !!decodeProtectedHeader(token);
  } catch {
    return false;
  }
}

/**
 * oidc-provider refuses JWT access tokens at introspection and revocation with
 * `unsupported_token_type`. This runs around its routes: once it has authenticated the
 * client and refused a JWT, we answer instead — revocation puts the `jti` on the deny-list
 * until the token's own expiry; introspection reports it, but only to the client it was
 * issued to and the resource servers of its audience (everyone else learns `active: false`,
 * RFC 7662 §2.2).
 */
export function handleStructuredToken(options: HookOptions) {
  return function structuredTokens(ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> {
    return isTokenIntrospectionOrRevocation(ctx) ? answerForJwt(ctx, next) : next();
  };

  async function answerForJwt(ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> {
    await next();
    const route = ctx.oidc?.route;
    if (route !== 'revocation' && route !== 'introspection') return;
    const body = ctx.body as { error?: string } | undefined;
    if (ctx.status !== 400 || body?.error !== 'unsupported_token_type') return;
    const client = ctx.oidc.client;
    const token = ctx.oidc.params?.token;
    if (!client || !isJwt(token)) return;

    const payload = await verifyOwnAccessToken(token, options);
    const ownedByCaller = payload?.client_id === client.clientId;
    ctx.status = 200;
    ctx.set('cache-control', 'no-store');
    if (route === 'revocation') {
      if (payload && ownedByCaller && payload.exp) await options.denyList.deny(payload.jti!, payload.exp);
      ctx.body = '';
      return;
    }
    const visible = payload && (ownedByCaller || (await options.mayIntrospectFor(client, payload.aud)));
    ctx.body = visible ? { ...payload, active: true, token_type: 'Bearer' } : { active: false };
  }
}
