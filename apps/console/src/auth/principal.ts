import { SYSTEM_TENANT } from '../lib/locations';

/** Who is signed in, as the admin access token (RFC 9068 JWT) describes them. */
export interface Principal {
  /** The tenant whose issuer signed the token: `system` for operators. */
  tenant: string;
  subject: string;
  username?: string;
  roles: string[];
  permissions: string[];
  /** Operators (system tenant) manage every tenant; anyone else only their own. */
  isOperator: boolean;
  expiresAt: number;
}

function base64UrlDecode(segment: string): string {
  const base64 = segment
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(segment.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/**
 * Reads a JWT's payload without verifying it: the console only uses it to decide what to
 * show; the admin API verifies every token it is sent, so a forged claim gains nothing.
 */
export function decodeJwtPayload(jwt: string): Record<string, unknown> {
  const [, payload] = jwt.split('.');
  if (!payload) throw new Error('not a JWT');
  const parsed: unknown = JSON.parse(base64UrlDecode(payload));
  if (!parsed || typeof parsed !== 'object') throw new Error('not a JWT payload');
  return parsed as Record<string, unknown>;
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

export function principalFrom(accessToken: string, idTokenClaims?: Record<string, unknown>): Principal {
  const claims = decodeJwtPayload(accessToken);
  const issuer = String(claims.iss ?? '');
  const tenant = issuer.slice(issuer.lastIndexOf('/t/') + 3);
  const username = idTokenClaims?.preferred_username ?? claims.preferred_username;
  return {
    tenant,
    subject: String(claims.sub ?? ''),
    username: typeof username === 'string' ? username : undefined,
    roles: strings(claims.roles),
    permissions: strings(claims.permissions),
    isOperator: tenant === SYSTEM_TENANT,
    expiresAt: Number(claims.exp ?? 0),
  };
}

/** The admin API's permissions (`area:read|write`). */
export type Permission = `${string}:${'read' | 'write'}`;

export function can(principal: Principal | undefined, permission: Permission): boolean {
  return !!principal?.permissions.includes(permission);
}
