import { ConflictError } from '@app/platform';

/**
 * The admin console's OpenID client, the same in every tenant: a public, first-party SPA
 * with a well-known id, allowed the admin API, redirecting to {PUBLIC_URL}/console. The
 * server keeps it so (bootstrap repairs it); the admin API may read it but not change it.
 */
export const CONSOLE_CLIENT_ID = 'console';

export interface ConsoleClientFields {
  clientId: string;
  name: string;
  applicationType: 'spa';
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  scopes: string[];
  resources: string[];
  firstParty: true;
}

export function consoleClientFields(publicUrl: string, adminResource: string): ConsoleClientFields {
  return {
    clientId: CONSOLE_CLIENT_ID,
    name: 'Admin console',
    applicationType: 'spa',
    redirectUris: [`${publicUrl}/console/callback`],
    postLogoutRedirectUris: [`${publicUrl}/console`],
    scopes: [],
    resources: [adminResource],
    firstParty: true,
  };
}

export function assertNotConsoleClient(clientId: string): void {
  if (clientId === CONSOLE_CLIENT_ID) {
    throw new ConflictError('the console client is built in: it cannot be changed, rotated or deleted');
  }
}
