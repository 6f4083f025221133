import type { ApplicationType } from '../../api/types';

/** What each application type is for, shown when choosing one. */
export const TYPE_GUIDANCE: Record<ApplicationType, { title: string; text: string }> = {
  web: {
    title: 'Web application',
    text: 'A server-side app (Express, Next.js server, Rails…): keeps a client secret, signs users in with code + PKCE and refreshes their tokens.',
  },
  spa: {
    title: 'Single-page app',
    text: 'Runs entirely in the browser: a public client (no secret), code + PKCE; its origin must be listed in the tenant’s CORS origins.',
  },
  native: {
    title: 'Native / mobile app',
    text: 'A desktop or mobile app: a public client using code + PKCE with a custom-scheme or loopback redirect URI.',
  },
  service: {
    title: 'Service (machine to machine)',
    text: 'A backend calling your APIs on its own behalf with client credentials: a secret, no users, no redirect URIs. Give it roles for permissions.',
  },
};

export interface QuickStartInput {
  issuer: string;
  clientId: string;
  applicationType: ApplicationType;
  redirectUri?: string;
  resource?: string;
}

/** A working openid-client (v6) example for the chosen type, with this tenant's values filled in. */
export function quickStartSnippet(input: QuickStartInput): string {
  const { issuer, clientId, applicationType } = input;
  const redirectUri = input.redirectUri ?? 'https://app.example.com/callback';
  const head = `import * as client from 'openid-client';\n\n`;
  if (applicationType === 'service') {
    // With a resource the token is a JWT for that API (its scopes); without, an opaque token.
    const request = input.resource
      ? `{\n  resource: '${input.resource}',\n  scope: 'read', // one of the resource's scopes\n}`
      : `{\n  // resource: 'https://api.example.com', for a JWT for one of your APIs\n}`;
    return (
      head +
      `const config = await client.discovery(\n  new URL('${issuer}'),\n  '${clientId}',\n  process.env.CLIENT_SECRET, // shown once when the application was created\n);\n\n` +
      `const tokens = await client.clientCredentialsGrant(config, ${request});\nconsole.log(tokens.access_token);\n`
    );
  }
  const secret =
    applicationType === 'web'
      ? `,\n  process.env.CLIENT_SECRET,`
      : `,\n  undefined,\n  client.None(), // public client: no secret, PKCE instead`;
  return (
    head +
    `const config = await client.discovery(\n  new URL('${issuer}'),\n  '${clientId}'${secret}\n);\n\n` +
    `// 1. Send the user to sign in (keep the verifier, state and nonce for step 2).\n` +
    `const codeVerifier = client.randomPKCECodeVerifier();\n` +
    `const state = client.randomState();\n` +
    `const nonce = client.randomNonce();\n` +
    `const url = client.buildAuthorizationUrl(config, {\n  redirect_uri: '${redirectUri}',\n  scope: 'openid profile offline_access',\n  code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),\n  code_challenge_method: 'S256',\n  state,\n  nonce,\n});\n\n` +
    `// 2. Back at ${redirectUri}: redeem the code.\n` +
    `const tokens = await client.authorizationCodeGrant(config, new URL(currentUrl), {\n  pkceCodeVerifier: codeVerifier,\n  expectedState: state,\n  expectedNonce: nonce,\n});\nconsole.log(tokens.claims());\n`
  );
}
