import { BrowserlessAgent, parseForm, type TestServer } from '@app/testing';
import {
  discover,
  oidc,
  REDIRECT_URI,
  startAuthorization,
  type AuthorizationStart,
  type TenantFixture,
} from './oidc-flows.js';

/** An upstream tenant of the same server: a first-party web client whose redirect URI is the broker callback. */
export async function provisionUpstream(server: TestServer, slug: string, downstreamIssuer: string, alias: string) {
  expect((await server.adminApi('POST', '/admin/tenants', { slug, displayName: `Upstream ${slug}` })).status).toBe(201);
  const client = await server.adminApi('POST', `/admin/tenants/${slug}/clients`, {
    name: 'Downstream broker',
    applicationType: 'web',
    redirectUris: [`${downstreamIssuer}/broker/${alias}/callback`],
    firstParty: true,
  });
  expect(client.status).toBe(201);
  return {
    issuer: server.issuer(slug),
    clientId: client.body.clientId as string,
    clientSecret: client.body.clientSecret as string,
  };
}

export interface FederatedFlow {
  agent: BrowserlessAgent;
  start: AuthorizationStart;
  config: oidc.Configuration;
  /** The downstream login page (with the provider buttons). */
  loginHtml: string;
  page: { status: number; url: string; html: string; stoppedAt?: string };
}

/**
 * Opens the downstream login page and presses "Continue with {alias}": returns the page the
 * upstream shows (its login form), or where the agent stopped (a `stopAt` prefix).
 */
export async function pressProvider(
  downstream: TenantFixture,
  alias: string,
  stopAt: string[] = [],
  agent = new BrowserlessAgent([REDIRECT_URI, ...stopAt]),
): Promise<FederatedFlow> {
  const config = await discover(downstream.issuer, downstream.spa.clientId);
  const start = await startAuthorization(config, { scope: 'openid profile email' });
  const login = await agent.navigate(start.url.href);
  const form = parseForm(login.html, login.url);
  const page = await agent.navigate(form.action, { form: { ...form.fields, provider: alias } });
  return { agent, start, config, loginHtml: login.html, page };
}

/** Signs in at the upstream's login form; the agent follows everything back to the downstream. */
export async function upstreamLogin(flow: FederatedFlow, username: string, password: string) {
  const form = parseForm(flow.page.html, flow.page.url);
  expect(form.action).toContain('/interaction/');
  flow.page = await flow.agent.navigate(form.action, { form: { ...form.fields, username, password } });
  return flow.page;
}

export async function tokensOf(flow: FederatedFlow) {
  if (!flow.page.stoppedAt) throw new Error(`no callback: ${flow.page.status} ${flow.page.html.slice(0, 400)}`);
  return oidc.authorizationCodeGrant(flow.config, new URL(flow.page.stoppedAt), {
    pkceCodeVerifier: flow.start.verifier,
    expectedState: flow.start.state,
    expectedNonce: flow.start.nonce,
  });
}

export async function accountApi(issuer: string, path: string, token: string, method = 'GET') {
  const response = await fetch(`${issuer}/account${path}`, { method, headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}
