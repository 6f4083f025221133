import { startTestServer, type TestServer } from '@app/testing';
import {
  clientCredentials,
  introspect,
  provisionTenant,
  signInForTokens,
  type TenantFixture,
  tokenRequest,
} from './oidc-flows.js';

/**
 * Two instances behind one load balancer share Postgres and Redis and nothing else.
 * (Both run in this jest process, so they share passport's strategy registry; that is
 * harmless only because, as in production, they share one PUBLIC_URL.)
 */
describe('two instances sharing Postgres and Redis', () => {
  let first: TestServer;
  let second: TestServer;
  let acme: TenantFixture;

  beforeAll(async () => {
    first = await startTestServer();
    second = await startTestServer({ sharingStoresWith: first });
    acme = await provisionTenant(first, 'acme');
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  /** Straight to one instance (its own port); the issuer is the same on both. */
  const issuerOn = (server: TestServer) => `${server.url}/t/acme`;

  it('a token issued by one instance is introspected by the other', async () => {
    const token = (await clientCredentials(issuerOn(first), acme.opaqueService)).body.access_token;
    const answer = await introspect(issuerOn(second), token, acme.opaqueService);
    expect(answer.body).toMatchObject({ active: true, client_id: acme.opaqueService.clientId });
  });

  it('a secret rotated on one instance stops working on the other at once', async () => {
    // Warm the second instance's cache of the client first.
    expect((await clientCredentials(issuerOn(second), acme.service)).status).toBe(200);
    const rotated = await first.adminApi('POST', `/admin/tenants/acme/clients/${acme.service.clientId}/secret`);
    expect(rotated.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200)); // pub/sub delivery
    expect((await clientCredentials(issuerOn(second), acme.service)).status).toBe(401);
    const renewed = { ...acme.service, clientSecret: rotated.body.clientSecret };
    expect((await clientCredentials(issuerOn(second), renewed)).status).toBe(200);
  });

  it('an API key regenerated or deleted on one instance stops working on the other at once', async () => {
    const path = `/admin/tenants/acme/clients/${acme.opaqueService.clientId}/api-keys`;
    const issued = await first.adminApi('POST', path, { name: 'shared' });
    const activeOn = async (server: TestServer, key: string) =>
      (await introspect(issuerOn(server), key, acme.opaqueService)).body.active as boolean;
    // The second instance looks the key up (and keeps it) …
    expect(await activeOn(second, issued.body.apiKey)).toBe(true);
    const renewed = await first.adminApi('POST', `${path}/${issued.body.id}/regenerate`);
    await new Promise((resolve) => setTimeout(resolve, 200)); // pub/sub delivery
    // … and drops it as soon as the first regenerates it.
    expect(await activeOn(second, issued.body.apiKey)).toBe(false);
    expect(await activeOn(second, renewed.body.apiKey)).toBe(true);
    expect((await first.adminApi('DELETE', `${path}/${issued.body.id}`)).status).toBe(204);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await activeOn(second, renewed.body.apiKey)).toBe(false);
  });

  it("a user's changed claims reach refreshes on the other instance at once", async () => {
    const { tokens } = await signInForTokens(acme, { scope: 'openid email offline_access' });
    const refresh = (server: TestServer, token: string) =>
      tokenRequest(
        issuerOn(server),
        { grant_type: 'refresh_token', refresh_token: token },
        { id: acme.web.clientId, secret: acme.web.clientSecret },
      );
    const userinfo = async (server: TestServer, accessToken: string) =>
      (await (
        await fetch(`${issuerOn(server)}/me`, { headers: { authorization: `Bearer ${accessToken}` } })
      ).json()) as { email?: string };
    // The second instance looks the user up (and keeps it) for this refresh and userinfo …
    const warm = await refresh(second, tokens.refresh_token!);
    expect((await userinfo(second, warm.body.access_token)).email).toBe('alice@acme.example');
    // … the first instance changes the address …
    const patched = await first.adminApi('PATCH', `/admin/tenants/acme/users/${acme.user.id}`, {
      email: 'alice@new.example',
    });
    expect(patched.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200)); // pub/sub delivery
    // … and the second instance already says so.
    const after = await refresh(second, warm.body.refresh_token);
    expect(after.status).toBe(200);
    expect((await userinfo(second, after.body.access_token)).email).toBe('alice@new.example');
  });

  it('a tenant deleted on one instance is gone on the other', async () => {
    await first.adminApi('POST', '/admin/tenants', { slug: 'short-lived', displayName: 'x' });
    expect((await fetch(`${second.url}/t/short-lived/.well-known/openid-configuration`)).status).toBe(200);
    expect((await first.adminApi('DELETE', '/admin/tenants/short-lived')).status).toBe(204);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await fetch(`${second.url}/t/short-lived/.well-known/openid-configuration`)).status).toBe(404);
  });
});
