/**
 * Which tenant this tab was signed in to, kept in sessionStorage (a slug, not a secret) so a
 * reload or a deep link signs in again without asking: the tenant's session cookie lets
 * the sign-in page send the browser straight back. Signing out forgets it, but the picker
 * still offers that tenant first.
 */
const KEY = 'console.tenant';
const LAST_KEY = 'console.last-tenant';

export const resumeMarker = {
  get: (): string | null => sessionStorage.getItem(KEY),
  set(tenant: string): void {
    sessionStorage.setItem(KEY, tenant);
    sessionStorage.setItem(LAST_KEY, tenant);
  },
  clear: (): void => sessionStorage.removeItem(KEY),
  last: (): string | null => sessionStorage.getItem(LAST_KEY),
};
