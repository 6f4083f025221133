/**
 * Where things are, derived from the one fact the server tells the page: the <base href> it
 * wrote into index.html ({PUBLIC_URL}/console/). The console is always served by the auth
 * server itself, so the public URL is that base without its last segment.
 */
export interface ConsoleLocations {
  /** `{PUBLIC_URL}` without a trailing slash. */
  publicUrl: string;
  /** The router's basename: the path of `{PUBLIC_URL}/console`. */
  basePath: string;
  /** `{PUBLIC_URL}/console/callback`: the redirect URI of every tenant's console client. */
  redirectUri: string;
  /** `{PUBLIC_URL}/console`: where RP-initiated logout sends the browser back. */
  postLogoutRedirectUri: string;
  /** `{PUBLIC_URL}/admin`: the admin API, also the resource the tokens are for. */
  adminApi: string;
  issuer(slug: string): string;
}

export const CONSOLE_CLIENT_ID = 'console';
export const SYSTEM_TENANT = 'system';

export function consoleLocations(baseUri: string): ConsoleLocations {
  const base = new URL(baseUri);
  const consolePath = base.pathname.replace(/\/+$/, '');
  const publicUrl = `${base.origin}${consolePath.replace(/\/[^/]*$/, '')}`;
  const consoleUrl = `${base.origin}${consolePath}`;
  return {
    publicUrl,
    basePath: consolePath || '/',
    redirectUri: `${consoleUrl}/callback`,
    postLogoutRedirectUri: consoleUrl,
    adminApi: `${publicUrl}/admin`,
    issuer: (slug) => `${publicUrl}/t/${slug}`,
  };
}
