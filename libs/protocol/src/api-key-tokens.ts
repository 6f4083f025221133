import { isWellFormedApiKey } from '@app/clients';
import type { OidcAdapter } from '@app/platform';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { isActive, type StoredApiKey } from './api-key-verifier.js';
import { isTokenIntrospectionOrRevocation } from './provider-hooks.js';

type Client = NonNullable<KoaContextWithOIDC['oidc']['client']>;

export interface ApiKeyEndpointOptions {
  tenantId: string;
  issuer: string;
  adminResource: string;
  rolesScope: string;
  /** The stored key (of any tenant), active or not. */
  find(presented: string): Promise<StoredApiKey | null>;
  /** Records that a key was accepted (its last use). */
  markUsed(key: StoredApiKey): void;
  /** Whether `client` is a resource server named by the resource `audience` (introspectionClients). */
  mayIntrospectFor(client: Client, audience: unknown): Promise<boolean>;
  accessOf(clientRowId: string): Promise<{ roles: string[]; permissions: string[] }>;
  /** Deletes the key (its owner presented it at the revocation endpoint) and records it. */
  revoke(key: StoredApiKey, ctx: KoaContextWithOIDC): Promise<void>;
}

/**
 * oidc-provider keeps API keys' shape out of its token stores: a look-up of one would be
 * three Redis round trips that cannot find anything.
 */
export function skippingApiKeys(tokens: OidcAdapter): OidcAdapter {
  return { ...tokens, find: (id) => (isWellFormedApiKey(id) ? Promise.resolve(undefined) : tokens.find(id)) };
}

/**
 * API keys at the introspection (RFC 7662) and revocation (RFC 7009) endpoints. They run
 * around oidc-provider's routes, which authenticate the client and answer `active: false` /
 * 200 for a token they do not know; then, for an API key, we answer instead. Introspection
 * answers the owning client and the resource servers of the key's resource (like an access
 * token: `active, client_id, sub, scope, aud, iss, iat, exp, token_type`, and the owner's
 * roles and permissions when the key has the `roles` scope or is for the admin API); anyone
 * else, an expired or a deleted key learns `active: false`. Only the owner revokes.
 */
export function handleApiKeys(options: ApiKeyEndpointOptions) {
  return function apiKeys(ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> {
    return isTokenIntrospectionOrRevocation(ctx) ? answerForApiKey(ctx, next) : next();
  };

  async function answerForApiKey(ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> {
    await next();
    const route = ctx.oidc?.route;
    const client = ctx.oidc?.client;
    const presented = ctx.oidc?.params?.token;
    if (!client || ctx.status !== 200 || !isWellFormedApiKey(presented)) return;
    if (route === 'revocation') {
      const key = await options.find(presented);
      if (key?.tenantId === options.tenantId && key.clientId === client.clientId) await options.revoke(key, ctx);
      return;
    }
    if (route !== 'introspection' || (ctx.body as { active?: boolean } | undefined)?.active !== false) return;
    const key = await options.find(presented);
    if (!key || key.tenantId !== options.tenantId || !isActive(key)) return;
    if (key.clientId !== client.clientId && !(await options.mayIntrospectFor(client, key.resource))) return;
    // Only an answer that shows the key active counts as a use.
    options.markUsed(key);
    ctx.body = await introspectionAnswer(key);
  }

  async function introspectionAnswer(key: StoredApiKey) {
    const withAccess = key.resource === options.adminResource || key.scopes.includes(options.rolesScope);
    return {
      active: true,
      client_id: key.clientId,
      sub: key.clientId,
      ...(key.scopes.length ? { scope: key.scopes.join(' ') } : {}),
      ...(key.resource ? { aud: key.resource } : {}),
      iss: options.issuer,
      iat: Math.floor(key.issuedAt.getTime() / 1000),
      ...(key.expiresAt ? { exp: Math.floor(key.expiresAt.getTime() / 1000) } : {}),
      token_type: 'Bearer',
      ...(withAccess ? await options.accessOf(key.clientRowId) : {}),
    };
  }
}
