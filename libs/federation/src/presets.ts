import type { ProviderType } from './identity-provider.entity.js';

/** What we keep of an upstream account, whatever the provider calls it. */
export interface UpstreamProfile {
  /** The upstream's stable subject: with the provider, the link key. */
  subject: string;
  email: string | null;
  /** True only when the upstream vouches for the address; linking by email needs it. */
  emailVerified: boolean;
  name: string | null;
  /** A username suggestion for a user created on first sign-in. */
  username: string | null;
}

/** An OAuth 2.0 provider without OpenID Connect: fixed endpoints, the profile from its APIs. */
export interface OAuthEndpoints {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  userApi: string;
  emailsApi?: string;
}

export interface Preset {
  /** Issuer discovered through `/.well-known/openid-configuration`; null: fixed OAuth endpoints. */
  issuer: string | null;
  oauth?: OAuthEndpoints;
  defaultScopes: string[];
}

/**
 * The providers' documented endpoints and scopes:
 * - GitHub (docs.github.com, "Authorizing OAuth apps"): no OpenID Connect, no ID token; the
 *   profile comes from `GET /user` and the addresses with their `verified` flag from
 *   `GET /user/emails` (scope `user:email`).
 * - Google (developers.google.com/identity/openid-connect): issuer https://accounts.google.com.
 * - Microsoft identity platform: issuer https://login.microsoftonline.com/{directory}/v2.0,
 *   `common` (any work, school or personal account) unless the operator names a directory.
 */
export const PRESETS: Record<ProviderType, Preset> = {
  oidc: { issuer: null, defaultScopes: ['openid', 'email', 'profile'] },
  github: {
    issuer: null,
    oauth: {
      issuer: 'https://github.com',
      authorizationEndpoint: 'https://github.com/login/oauth/authorize',
      tokenEndpoint: 'https://github.com/login/oauth/access_token',
      userApi: 'https://api.github.com/user',
      emailsApi: 'https://api.github.com/user/emails',
    },
    defaultScopes: ['read:user', 'user:email'],
  },
  google: { issuer: 'https://accounts.google.com', defaultScopes: ['openid', 'email', 'profile'] },
  microsoft: { issuer: null, defaultScopes: ['openid', 'email', 'profile'] },
};

/**
 * A directory's own issuer, or a multi-tenant one (`common`, `organizations`, `consumers`):
 * openid-client knows Entra ID and checks each ID token's `iss` against its own `tid`.
 */
export const MICROSOFT_ISSUER =
  /^https:\/\/login\.microsoftonline\.com\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|common|organizations|consumers)\/v2\.0$/;
export const MICROSOFT_DEFAULT_ISSUER = 'https://login.microsoftonline.com/common/v2.0';

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() ? value.trim() : null);

/**
 * Standard OpenID Connect claims (an ID token merged with userinfo). `email_verified` counts
 * only when it is literally true (some providers send the string "true": also accepted).
 */
export function profileFromOidcClaims(claims: Record<string, unknown>): UpstreamProfile {
  const subject = text(claims.sub);
  if (!subject) throw new Error('the upstream sent no subject');
  return {
    subject,
    email: text(claims.email)?.toLowerCase() ?? null,
    emailVerified: claims.email_verified === true || claims.email_verified === 'true',
    name: text(claims.name),
    username: text(claims.preferred_username) ?? text(claims.nickname),
  };
}

/**
 * Microsoft: `sub` is per application (stable for our client); `email` is whatever the
 * directory holds and is NOT verified by Microsoft — it counts as verified only with the
 * optional `xms_edov` claim (email domain owner verified). `preferred_username` is the UPN.
 */
export function profileFromMicrosoftClaims(claims: Record<string, unknown>): UpstreamProfile {
  const standard = profileFromOidcClaims({ ...claims, email_verified: undefined });
  return {
    ...standard,
    email: standard.email ?? null,
    emailVerified: !!standard.email && (claims.xms_edov === true || claims.xms_edov === 1 || claims.xms_edov === '1'),
  };
}

/** Google: standard claims; `email_verified` is a boolean in the ID token. */
export const profileFromGoogleClaims = profileFromOidcClaims;

interface GitHubUser {
  id?: unknown;
  login?: unknown;
  name?: unknown;
  email?: unknown;
}
interface GitHubEmail {
  email?: unknown;
  primary?: unknown;
  verified?: unknown;
}

/**
 * GitHub: the numeric `id` is the stable subject (a `login` can be renamed and reused); the
 * email is the primary one of `/user/emails`, verified only when GitHub says so. The public
 * `email` of `/user` is a profile field, never treated as verified.
 */
export function profileFromGitHub(user: GitHubUser, emails: GitHubEmail[] | null): UpstreamProfile {
  if (typeof user.id !== 'number' && typeof user.id !== 'string') throw new Error('the upstream sent no user id');
  const primary = (emails ?? []).find((e) => e.primary === true && typeof e.email === 'string');
  const email = text(primary?.email) ?? text(user.email);
  return {
    subject: String(user.id),
    email: email?.toLowerCase() ?? null,
    emailVerified: !!primary && primary.verified === true,
    name: text(user.name),
    username: text(user.login),
  };
}

export function profileFromClaims(type: ProviderType, claims: Record<string, unknown>): UpstreamProfile {
  if (type === 'microsoft') return profileFromMicrosoftClaims(claims);
  if (type === 'google') return profileFromGoogleClaims(claims);
  return profileFromOidcClaims(claims);
}
