import { BrowserlessAgent, parseForm, type TestServer } from '@app/testing';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import * as oidc from 'openid-client';

export const REDIRECT_URI = 'http://127.0.0.1:9/callback';
export const POST_LOGOUT_URI = 'http://127.0.0.1:9/signed-out';
export const PASSWORD = 'correct-horse-battery-staple';

export interface TenantFixture {
  slug: string;
  issuer: string;
  web: { clientId: string; clientSecret: string };
  spa: { clientId: string };
  service: { clientId: string; clientSecret: string };
  opaqueService: { clientId: string; clientSecret: string };
  apiIdentifier: string;
  user: { id: string; username: string };
}

async function created(server: TestServer, path: string, body: unknown) {
  const response = await server.adminApi('POST', path, body);
  if (response.status !== 201) throw new Error(`POST ${path} → ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** A tenant with a third-party web client, a first-party SPA, two service clients, an API and a user. */
export async function provisionTenant(server: TestServer, slug: string): Promise<TenantFixture> {
  await created(server, '/admin/tenants', { slug, displayName: `Tenant ${slug}` });
  const apiIdentifier = `https://api.${slug}.example`;
  await created(server, `/admin/tenants/${slug}/resources`, {
    identifier: apiIdentifier,
    name: 'API',
    scopes: ['read', 'write'],
  });
  const web = await created(server, `/admin/tenants/${slug}/clients`, {
    name: 'Third-party web app',
    applicationType: 'web',
    redirectUris: [REDIRECT_URI],
    postLogoutRedirectUris: [POST_LOGOUT_URI],
  });
  const spa = await created(server, `/admin/tenants/${slug}/clients`, {
    name: 'First-party SPA',
    applicationType: 'spa',
    redirectUris: [REDIRECT_URI],
    firstParty: true,
  });
  const service = await created(server, `/admin/tenants/${slug}/clients`, {
    name: 'Backend',
    applicationType: 'service',
    resources: [apiIdentifier],
  });
  const opaqueService = await created(server, `/admin/tenants/${slug}/clients`, {
    name: 'Other backend',
    applicationType: 'service',
  });
  const user = await created(server, `/admin/tenants/${slug}/users`, {
    username: `alice-${slug}`,
    email: `alice@${slug}.example`,
    password: PASSWORD,
    emailVerified: true,
  });
  return {
    slug,
    issuer: server.issuer(slug),
    web: { clientId: web.clientId, clientSecret: web.clientSecret },
    spa: { clientId: spa.clientId },
    service: { clientId: service.clientId, clientSecret: service.clientSecret },
    opaqueService: { clientId: opaqueService.clientId, clientSecret: opaqueService.clientSecret },
    apiIdentifier,
    user: { id: user.id, username: user.username },
  };
}

export async function discover(issuer: string, clientId: string, clientSecret?: string): Promise<oidc.Configuration> {
  return oidc.discovery(
    new URL(issuer),
    clientId,
    undefined,
    clientSecret ? oidc.ClientSecretBasic(clientSecret) : oidc.None(),
    { execute: [oidc.allowInsecureRequests] },
  );
}

export interface AuthorizationStart {
  url: URL;
  verifier: string;
  state: string;
  nonce: string;
}

export async function startAuthorization(
  config: oidc.Configuration,
  params: Record<string, string> = {},
): Promise<AuthorizationStart> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope: 'openid profile email offline_access',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...params,
  });
  return { url, verifier, state, nonce };
}

/** Drives login (and consent when shown) through the real pages; returns the callback URL. */
export async function signIn(
  agent: BrowserlessAgent,
  authorizationUrl: URL,
  credentials: { username: string; password: string },
  decision: 'approve' | 'deny' = 'approve',
): Promise<{ callback: URL; sawConsent: boolean }> {
  let page = await agent.navigate(authorizationUrl.href);
  let sawConsent = false;
  for (let step = 0; step < 4 && !page.stoppedAt; step++) {
    const form = parseForm(page.html, page.url);
    if (/name="password"/.test(page.html)) {
      page = await agent.navigate(form.action, { form: { ...form.fields, ...credentials } });
    } else if (/name="decision"/.test(page.html)) {
      sawConsent = true;
      page = await agent.navigate(form.action, { form: { ...form.fields, decision } });
    } else {
      throw new Error(`unexpected page ${page.status}: ${page.html.slice(0, 300)}`);
    }
  }
  if (!page.stoppedAt) throw new Error(`sign-in did not come back to the client: ${page.html.slice(0, 300)}`);
  return { callback: new URL(page.stoppedAt), sawConsent };
}

type ClientCredentials = { clientId: string; clientSecret: string };

/** A form POST to one of the issuer's endpoints, with HTTP Basic client authentication when given. */
async function postForm(url: string, form: Record<string, string>, client?: ClientCredentials) {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(client
        ? { authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}` }
        : {}),
    },
    body: new URLSearchParams(form),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Record<string, any> };
}

export function tokenRequest(issuer: string, body: Record<string, string>, basic?: { id: string; secret: string }) {
  return postForm(`${issuer}/token`, body, basic && { clientId: basic.id, clientSecret: basic.secret });
}

export function clientCredentials(issuer: string, client: ClientCredentials, extra: Record<string, string> = {}) {
  return postForm(`${issuer}/token`, { grant_type: 'client_credentials', ...extra }, client);
}

export function introspect(issuer: string, token: string, client?: ClientCredentials) {
  return postForm(`${issuer}/token/introspection`, { token }, client);
}

export function revoke(issuer: string, token: string, client?: ClientCredentials) {
  return postForm(`${issuer}/token/revocation`, { token }, client);
}

export async function verifyAccessTokenJwt(issuer: string, token: string, audience: string) {
  const jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`));
  return jwtVerify(token, jwks, { issuer, audience, typ: 'at+jwt', algorithms: ['RS256'] });
}

export { decodeJwt, decodeProtectedHeader, oidc };

/**
 * A whole sign-in through the pages with the tenant's web (confidential) or spa (public)
 * client, redeemed for tokens. Throws when the sign-in does not come back to the client.
 */
export async function signInForTokens(
  tenant: TenantFixture,
  options: {
    client?: 'web' | 'spa';
    password?: string;
    username?: string;
    agent?: BrowserlessAgent;
    scope?: string;
  } = {},
) {
  const config =
    options.client === 'spa'
      ? await discover(tenant.issuer, tenant.spa.clientId)
      : await discover(tenant.issuer, tenant.web.clientId, tenant.web.clientSecret);
  const agent = options.agent ?? new BrowserlessAgent([REDIRECT_URI]);
  const start = await startAuthorization(config, options.scope ? { scope: options.scope } : {});
  const { callback } = await signIn(agent, start.url, {
    username: options.username ?? tenant.user.username,
    password: options.password ?? PASSWORD,
  });
  const tokens = await oidc.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: start.verifier,
    expectedState: start.state,
    expectedNonce: start.nonce,
  });
  return { agent, config, tokens };
}

/** Whether these credentials get through the sign-in pages to the client. */
export async function canSignIn(tenant: TenantFixture, username: string, password: string): Promise<boolean> {
  return signInForTokens(tenant, { client: 'spa', username, password, scope: 'openid' }).then(
    () => true,
    () => false,
  );
}
