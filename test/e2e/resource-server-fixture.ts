import { BrowserlessAgent, type TestServer } from '@app/testing';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { clientCredentials, discover, oidc, PASSWORD, REDIRECT_URI, signIn, startAuthorization } from './oidc-flows.js';

export type Client = { clientId: string; clientSecret: string };

/** A tenant with one API (its resource and RBAC permissions), callers of every kind, and a user. */
export interface ApiTenant {
  slug: string;
  issuer: string;
  api: string;
  /** Service clients: a clerk (orders:read), a manager (orders:read + orders:write, role order-manager), one without roles. */
  clerk: Client;
  manager: Client;
  plain: Client;
  /** A service client without resources: its client-credentials tokens are opaque. */
  opaque: Client;
  /** A first-party web app allowed the API, for users' tokens. */
  web: Client;
  user: { id: string; username: string };
}

async function created(server: TestServer, path: string, body: unknown) {
  const response = await server.adminApi('POST', path, body);
  if (response.status !== 201) throw new Error(`POST ${path} → ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

async function assignRoles(server: TestServer, path: string, roles: string[]) {
  const response = await server.adminApi('PUT', path, { roles });
  if (response.status !== 200) throw new Error(`PUT ${path} → ${response.status} ${JSON.stringify(response.body)}`);
}

/** Everything through the admin API, as an operator would do it. */
export async function provisionApiTenant(server: TestServer, slug: string, api = `https://orders.${slug}.example`) {
  const base = `/admin/tenants/${slug}`;
  await created(server, '/admin/tenants', { slug, displayName: `Tenant ${slug}` });
  // OAuth scopes clients ask for (read, write), and the permissions the roles below grant:
  // a role may grant only what a resource defines (the permission registry).
  await created(server, `${base}/resources`, {
    identifier: api,
    name: 'Orders API',
    scopes: ['read', 'write', 'orders:read', 'orders:write'],
  });
  await created(server, `${base}/roles`, { name: 'order-clerk', permissions: ['orders:read'] });
  await created(server, `${base}/roles`, { name: 'order-manager', permissions: ['orders:read', 'orders:write'] });
  const service = (name: string, resources = [api]) =>
    created(server, `${base}/clients`, { name, applicationType: 'service', resources });
  const [clerk, manager, plain, opaque] = await Promise.all([
    service('clerk'),
    service('manager'),
    service('plain'),
    service('opaque', []),
  ]);
  await assignRoles(server, `${base}/clients/${clerk.clientId}/roles`, ['order-clerk']);
  await assignRoles(server, `${base}/clients/${manager.clientId}/roles`, ['order-manager']);
  const web = await created(server, `${base}/clients`, {
    name: 'Orders web app',
    applicationType: 'web',
    redirectUris: [REDIRECT_URI],
    resources: [api],
    firstParty: true,
  });
  const user = await created(server, `${base}/users`, {
    username: `alice-${slug}`,
    password: PASSWORD,
    email: `alice@${slug}.example`,
    emailVerified: true,
  });
  await assignRoles(server, `${base}/users/${user.id}/roles`, ['order-clerk']);
  const pick = (client: Client): Client => ({ clientId: client.clientId, clientSecret: client.clientSecret });
  return {
    slug,
    issuer: server.issuer(slug),
    api,
    clerk: pick(clerk),
    manager: pick(manager),
    plain: pick(plain),
    opaque: pick(opaque),
    web: pick(web),
    user: { id: user.id, username: user.username },
  } satisfies ApiTenant;
}

/** A client-credentials access token; with the `roles` scope it carries roles and permissions. */
export async function serviceToken(tenant: ApiTenant, client: Client, scope = 'read roles'): Promise<string> {
  const { status, body } = await clientCredentials(tenant.issuer, client, { scope });
  if (status !== 200) throw new Error(`client credentials → ${status} ${JSON.stringify(body)}`);
  return body.access_token;
}

/** The user signs in through the pages; the web app redeems the code for the API (RFC 8707 `resource`). */
export async function userTokens(tenant: ApiTenant, scope = 'openid offline_access roles read') {
  const config = await discover(tenant.issuer, tenant.web.clientId, tenant.web.clientSecret);
  const start = await startAuthorization(config, { scope, resource: tenant.api });
  const { callback } = await signIn(new BrowserlessAgent([REDIRECT_URI]), start.url, {
    username: tenant.user.username,
    password: PASSWORD,
  });
  const tokens = await oidc.authorizationCodeGrant(
    config,
    callback,
    { pkceCodeVerifier: start.verifier, expectedState: start.state, expectedNonce: start.nonce },
    { resource: tenant.api },
  );
  return { accessToken: tokens.access_token, idToken: tokens.id_token!, refreshToken: tokens.refresh_token };
}

export function baseUrlOf(server: Server): string {
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/** A call to the protected API as its clients make it, with the answer as they see it. */
export async function callApi(url: string, token?: string, init: { method?: string; authorization?: string } = {}) {
  const authorization = init.authorization ?? (token === undefined ? undefined : `Bearer ${token}`);
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: authorization === undefined ? {} : { authorization },
  });
  const text = await response.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return {
    status: response.status,
    challenge: response.headers.get('www-authenticate'),
    headers: response.headers,
    body,
    text,
  };
}
