import { BrowserlessAgent, startTestServer, type TestServer } from '@app/testing';
import {
  provisionTenant,
  REDIRECT_URI,
  signInForTokens,
  startAuthorization,
  type TenantFixture,
  tokenRequest,
} from './oidc-flows.js';

const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';

/** Tenant session policy: device names, IP change events, concurrent limits, timeouts. */
describe('session policy', () => {
  let server: TestServer;
  let acme: TenantFixture;
  const api = (method: string, path: string, body?: unknown) => server.adminApi(method, path, body);
  const sessionsPath = () => `/admin/tenants/acme/users/${acme.user.id}/sessions`;
  const listSessions = async () => (await api('GET', sessionsPath())).body.items as Record<string, any>[];
  const setPolicy = async (sessions: Record<string, unknown>) =>
    expect((await api('PATCH', '/admin/tenants/acme', { settings: { sessions } })).status).toBe(200);
  const refresh = (token: string) =>
    tokenRequest(
      acme.issuer,
      { grant_type: 'refresh_token', refresh_token: token },
      { id: acme.web.clientId, secret: acme.web.clientSecret },
    );
  const browserFrom = (ip: string) => {
    const agent = new BrowserlessAgent([REDIRECT_URI]);
    Object.assign(agent.headers, { 'user-agent': FIREFOX, 'x-forwarded-for': ip });
    return agent;
  };
  const auditEvents = async (type: string) =>
    (await api('GET', `/admin/tenants/acme/audit-events?type=${type}&limit=20`)).body.items as Record<string, any>[];

  beforeAll(async () => {
    // Behind a (test) proxy: X-Forwarded-For is the client address.
    server = await startTestServer({ env: { TRUST_PROXY: 'true' } });
    acme = await provisionTenant(server, 'acme');
  });
  afterAll(() => server?.close());
  beforeEach(async () => {
    await api('DELETE', sessionsPath());
    await setPolicy({ maxPerUser: 0, whenLimitReached: 'end-oldest', idleTimeoutSeconds: 86400 });
  });

  it('lists the device in words and the address the session came from', async () => {
    await signInForTokens(acme, { agent: browserFrom('203.0.113.5') });
    const [session] = await listSessions();
    expect(session).toMatchObject({ device: 'Firefox 133 on Windows 10', ip: '203.0.113.5' });
  });

  it('records a change of address as a security event and keeps the session working', async () => {
    const agent = browserFrom('203.0.113.5');
    const { config } = await signInForTokens(acme, { agent });
    agent.headers['x-forwarded-for'] = '198.51.100.7';
    // Single sign-on from the new address: no login page, straight back to the client.
    const again = await agent.navigate((await startAuthorization(config, { scope: 'openid' })).url.href);
    expect(again.stoppedAt).toContain('code=');

    const [event] = await auditEvents('session.ip_changed');
    expect(event).toMatchObject({
      actor: { type: 'user', id: acme.user.id },
      ip: '198.51.100.7',
      data: { previousIp: '203.0.113.5' },
    });
    expect((await listSessions())[0].ip).toBe('198.51.100.7');
  });

  it('past the concurrent limit the oldest session ends, with its tokens', async () => {
    await setPolicy({ maxPerUser: 2, whenLimitReached: 'end-oldest' });
    const first = await signInForTokens(acme);
    const second = await signInForTokens(acme);
    const third = await signInForTokens(acme);

    expect(await listSessions()).toHaveLength(2);
    expect((await refresh(first.tokens.refresh_token!)).body.error).toBe('invalid_grant');
    expect((await refresh(second.tokens.refresh_token!)).status).toBe(200);
    expect((await refresh(third.tokens.refresh_token!)).status).toBe(200);
    expect((await auditEvents('session.ended'))[0].data).toMatchObject({ reason: 'session_limit' });
  });

  it('signing in again in a browser that holds the session does not count as a new session', async () => {
    await setPolicy({ maxPerUser: 1, whenLimitReached: 'refuse' });
    const agent = new BrowserlessAgent([REDIRECT_URI]);
    const { config } = await signInForTokens(acme, { agent });
    const reauth = await agent.navigate((await startAuthorization(config, { prompt: 'login' })).url.href);
    expect(reauth.html).toContain('name="password"');
    await signInForTokens(acme, { agent });
    expect(await listSessions()).toHaveLength(1);
  });

  it('with "refuse", a sign-in past the limit is refused and existing sessions stay', async () => {
    await setPolicy({ maxPerUser: 1, whenLimitReached: 'refuse' });
    const first = await signInForTokens(acme);
    await expect(signInForTokens(acme)).rejects.toThrow(/too many devices/);
    expect(await listSessions()).toHaveLength(1);
    expect((await refresh(first.tokens.refresh_token!)).status).toBe(200);
    expect((await auditEvents('login.failure'))[0].data).toMatchObject({ reason: 'session_limit' });
  });

  it('a session lives for the idle timeout from its last use', async () => {
    await setPolicy({ idleTimeoutSeconds: 600, absoluteTimeoutSeconds: 3600 });
    await signInForTokens(acme);
    const [session] = await listSessions();
    const lifetime = (Date.parse(session.expiresAt) - Date.parse(session.lastSeenAt)) / 1000;
    expect(lifetime).toBeGreaterThan(590);
    expect(lifetime).toBeLessThan(610);
  });

  it.each([
    ['an absolute timeout shorter than the idle one', { idleTimeoutSeconds: 7200, absoluteTimeoutSeconds: 3600 }],
    ['an unknown limit behaviour', { whenLimitReached: 'ignore' }],
    ['a negative limit', { maxPerUser: -1 }],
  ])('refuses %s', async (_case, sessions) => {
    const response = await api('PATCH', '/admin/tenants/acme', { settings: { sessions } });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('invalid_request');
  });
});
