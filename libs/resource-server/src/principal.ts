import { InvalidTokenError } from './errors.js';

/** Who is calling, as the access token says. The same shape for JWT and introspected tokens. */
export interface Principal {
  /** `sub`: the user's id in a user's token, the client id in a client-credentials token. */
  sub: string;
  /** `client_id`: the application the token was issued to. */
  clientId: string | undefined;
  /** `user` when a person signed in, `client` for a machine (client credentials, API key). */
  subjectType: 'user' | 'client';
  /** OAuth scopes granted (`scope`, space-separated in the token). */
  scopes: string[];
  /** RBAC roles (`roles`), present when the client asked for the `roles` scope. */
  roles: string[];
  /** RBAC permissions (`permissions`), present when the client asked for the `roles` scope. */
  permissions: string[];
  /** The tenant slug from the issuer `{PUBLIC_URL}/t/{slug}`; undefined for any other issuer. */
  tenant: string | undefined;
  /** How the token was validated: a signed JWT checked locally, or an opaque token introspected. */
  tokenType: 'jwt' | 'opaque';
  expiresAt: Date | undefined;
  /** Every claim of the JWT, or every member of the introspection answer, unaltered. */
  claims: Readonly<Record<string, unknown>>;
}

const TENANT_ISSUER_PATH = /\/t\/([a-z0-9][a-z0-9-]{1,62})$/;

export function tenantOfIssuer(issuer: string): string | undefined {
  try {
    return TENANT_ISSUER_PATH.exec(new URL(issuer).pathname)?.[1];
  } catch {
    return undefined;
  }
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function principalFromClaims(
  claims: Record<string, unknown>,
  context: { tokenType: Principal['tokenType']; tenant: string | undefined },
): Principal {
  const clientId = optionalString(claims.client_id);
  // A client-credentials token has no user: its `sub` is the client id (JWT) or absent (introspection).
  const sub = optionalString(claims.sub) ?? clientId;
  if (!sub) throw new InvalidTokenError('the token names no subject');
  const scope = typeof claims.scope === 'string' ? claims.scope : '';
  return {
    sub,
    clientId,
    subjectType: sub === clientId ? 'client' : 'user',
    scopes: scope.split(' ').filter(Boolean),
    roles: strings(claims.roles),
    permissions: strings(claims.permissions),
    tenant: context.tenant,
    tokenType: context.tokenType,
    expiresAt: typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : undefined,
    claims: Object.freeze({ ...claims }),
  };
}
