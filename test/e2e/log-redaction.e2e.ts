import { startTestServer, type TestServer } from '@app/testing';
import {
  canSignIn,
  clientCredentials,
  introspect,
  PASSWORD,
  provisionTenant,
  revoke,
  signInForTokens,
  type TenantFixture,
  tokenRequest,
} from './oidc-flows.js';

/**
 * Everything the server logs at the most verbose level while users sign in, clients get,
 * refresh, inspect and revoke tokens and operators handle secrets: no password, secret,
 * token, code or Authorization header may appear in it.
 */
describe('logs never carry credentials', () => {
  const lines: string[] = [];
  let server: TestServer;
  let acme: TenantFixture;
  const secrets: string[] = [];

  beforeAll(async () => {
    server = await startTestServer({
      env: { LOG_LEVEL: 'trace' },
      logDestination: { write: (line: string) => lines.push(line) },
    });
    acme = await provisionTenant(server, 'acme');
  });
  afterAll(() => server?.close());

  it('lines logged while serving a request carry its request id', async () => {
    const entries = lines.map((line) => JSON.parse(line) as { msg?: string; reqId?: string; req?: { id?: string } });
    const built = entries.find((e) => e.msg?.includes('built provider for tenant acme'));
    expect(built?.reqId).toEqual(expect.any(String));
    // … the id of a request the access log shows.
    expect(entries.some((e) => e.req?.id === built!.reqId)).toBe(true);
  });

  it('through sign-ins, token traffic and admin work, at LOG_LEVEL=trace', async () => {
    secrets.push(PASSWORD, acme.web.clientSecret, acme.service.clientSecret, server.admin.clientSecret);
    secrets.push(await server.adminToken());

    const wrongPassword = 'wrong-but-secret-guess-42';
    expect(await canSignIn(acme, acme.user.username, wrongPassword)).toBe(false);
    secrets.push(wrongPassword);

    const { tokens } = await signInForTokens(acme);
    secrets.push(tokens.access_token, tokens.refresh_token!, tokens.id_token!);
    const refreshed = await tokenRequest(
      acme.issuer,
      { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! },
      { id: acme.web.clientId, secret: acme.web.clientSecret },
    );
    secrets.push(refreshed.body.access_token, refreshed.body.refresh_token);
    // A replay: the provider's error path runs too.
    await tokenRequest(
      acme.issuer,
      { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! },
      { id: acme.web.clientId, secret: acme.web.clientSecret },
    );
    const machine = await clientCredentials(acme.issuer, acme.service, { scope: 'read' });
    secrets.push(machine.body.access_token);
    await introspect(acme.issuer, machine.body.access_token, acme.service);
    await revoke(acme.issuer, machine.body.access_token, acme.service);
    await clientCredentials(acme.issuer, { ...acme.service, clientSecret: 'a-wrong-client-secret-77' });
    secrets.push('a-wrong-client-secret-77');

    // A code and verifier sent where they do not belong still stay out of the log.
    await fetch(`${acme.issuer}/auth?code=leaky-code-123&code_verifier=leaky-verifier-456&client_id=x`);
    secrets.push('leaky-code-123', 'leaky-verifier-456');

    // API keys: issued, regenerated, introspected, used at the admin API, revoked.
    const adminClient = await server.adminApi('POST', '/admin/tenants/acme/clients', {
      name: 'keyed integration',
      applicationType: 'service',
      resources: [`${server.publicUrl}/admin`],
    });
    await server.adminApi('PUT', `/admin/tenants/acme/clients/${adminClient.body.clientId}/roles`, {
      roles: ['viewer'],
    });
    const keysPath = `/admin/tenants/acme/clients/${adminClient.body.clientId}/api-keys`;
    const issued = await server.adminApi('POST', keysPath, { name: 'k', resource: `${server.publicUrl}/admin` });
    const regenerated = await server.adminApi('POST', `${keysPath}/${issued.body.id}/regenerate`);
    await server.adminApi('GET', '/admin/tenants/acme/users', undefined, regenerated.body.apiKey);
    await server.adminApi('GET', '/admin/tenants/acme/users', undefined, issued.body.apiKey);
    const keyOwner = { clientId: adminClient.body.clientId, clientSecret: adminClient.body.clientSecret };
    await introspect(acme.issuer, regenerated.body.apiKey, keyOwner);
    await revoke(acme.issuer, regenerated.body.apiKey, keyOwner);
    secrets.push(issued.body.apiKey, regenerated.body.apiKey, adminClient.body.clientSecret);

    const userPassword = 'operator-chosen-passphrase-9';
    const user = await server.adminApi('POST', '/admin/tenants/acme/users', {
      username: 'zoe',
      password: userPassword,
    });
    await server.adminApi('POST', `/admin/tenants/acme/users/${user.body.id}/password`, {
      password: `${userPassword}x`,
    });
    const rotated = await server.adminApi('POST', `/admin/tenants/acme/clients/${acme.service.clientId}/secret`);
    secrets.push(userPassword, `${userPassword}x`, rotated.body.clientSecret);
    // Malformed JSON carrying a password: rejected, and the body is not echoed into the log.
    await server.adminApi('POST', '/admin/tenants/acme/users', '{"username":"x","password":"malformed-json-pass"');
    secrets.push('malformed-json-pass');

    const log = lines.join('');
    // The log is not empty: every request above left a line (method, path, status, request id).
    expect(log).toContain('"path":"/t/acme/token"');
    expect(log).toContain('"path":"/admin/tenants/acme/users"');
    expect(log).toMatch(/"statusCode":400/);
    for (const secret of secrets) expect(log).not.toContain(secret);
    expect(log).not.toMatch(/Bearer |Basic [A-Za-z0-9+/=]{8,}/);
  });
});
