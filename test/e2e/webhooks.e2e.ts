// Over 300 lines on purpose: one webhook receiver and one server for every delivery scenario
// (signing, retries, health, the delivery log), which share their endpoints.
import { AuditService } from '@app/audit';
import { startTestServer, type TestServer } from '@app/testing';
import { verifySignature } from '@app/webhooks';
import { canSignIn, clientCredentials, PASSWORD, provisionTenant, type TenantFixture } from './oidc-flows.js';
import { eventually, WebhookReceiver } from './webhook-receiver.js';

describe('outbound webhooks (real local receivers)', () => {
  let server: TestServer;
  let acme: TenantFixture;
  const receivers: WebhookReceiver[] = [];
  const api = (method: string, path: string, body?: unknown, token?: string) =>
    server.adminApi(method, path, body, token);

  beforeAll(async () => {
    server = await startTestServer({
      env: {
        WEBHOOK_RETRY_DELAYS: '50ms,50ms,50ms,50ms,50ms',
        WEBHOOK_POLL_INTERVAL: '20ms',
        WEBHOOK_DISABLE_AFTER_FAILURES: '6',
        // The health model's hold for receivers, shortened from 5 minutes.
        HEALTH_EXTERNAL_HOLD: '2s',
      },
    });
    acme = await provisionTenant(server, 'acme');
    await provisionTenant(server, 'globex');
  });
  afterAll(async () => {
    for (const receiver of receivers) await receiver.close();
    await server?.close();
  });

  async function receiver(script?: number[]) {
    const started = await new WebhookReceiver(script).start();
    receivers.push(started);
    return started;
  }

  async function endpoint(slug: string, url: string, eventTypes: string[]) {
    const created = await api('POST', `/admin/tenants/${slug}/webhooks`, { url, eventTypes });
    expect(created.status).toBe(201);
    return created.body as { id: string; secret: string };
  }

  const deliveries = async (id: string) => (await api('GET', `/admin/tenants/acme/webhooks/${id}/deliveries`)).body;

  it('a sign-in produces a delivery signed with the endpoint secret, carrying the event and no secret', async () => {
    const hook = await receiver();
    const { id, secret } = await endpoint('acme', hook.url, ['login.*']);
    expect(secret).toMatch(/^whsec_/);

    expect(await canSignIn(acme, acme.user.username, PASSWORD)).toBe(true);
    const [delivery] = await eventually(() => hook.of('login.success').length > 0 && hook.of('login.success'));

    const signature = delivery.headers['x-webhook-signature'] as string;
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifySignature(signature, delivery.body, secret)).toBe(true);
    expect(verifySignature(signature, delivery.body.replace('success', 'failure'), secret)).toBe(false);
    expect(delivery.headers['content-type']).toBe('application/json');

    const event = JSON.parse(delivery.body);
    expect(event).toEqual({
      id: delivery.headers['x-webhook-id'],
      type: 'login.success',
      occurredAt: expect.any(String),
      tenant: { id: expect.any(String), slug: 'acme' },
      actor: { type: 'user', id: acme.user.id },
      subject: expect.any(String),
      clientId: acme.spa.clientId,
      outcome: 'success',
      data: expect.any(Object),
    });
    expect(delivery.body).not.toContain(PASSWORD);

    // Subscribed to login.* only: an admin change is not sent.
    await api('POST', '/admin/tenants/acme/users', { username: 'not-sent', password: 'a-long-passphrase-1' });
    const log = await eventually(async () => {
      const page = await deliveries(id);
      return page.items.length > 0 && page;
    });
    expect(log.items[0]).toMatchObject({
      eventType: 'login.success',
      attempt: 1,
      status: 'succeeded',
      statusCode: 200,
    });
    expect(hook.received.every((d) => String(d.headers['x-webhook-event']).startsWith('login.'))).toBe(true);
  });

  it('the secret is shown at creation only: GET and the list never return it', async () => {
    const hook = await receiver();
    const { id, secret } = await endpoint('acme', hook.url, ['*']);
    const one = await api('GET', `/admin/tenants/acme/webhooks/${id}`);
    expect(one.status).toBe(200);
    expect(one.body).not.toHaveProperty('secret');
    expect(one.body).toMatchObject({ id, url: hook.url, enabled: true, status: 'healthy', consecutiveFailures: 0 });
    const list = await api('GET', '/admin/tenants/acme/webhooks');
    expect(list.body.items.map((e: { id: string }) => e.id)).toContain(id);
    expect(list.body.nextCursor).toBeNull();
    expect(JSON.stringify([one.body, list.body])).not.toContain(secret);
  });

  it('a receiver that fails twice then recovers gets the event on the third attempt; the log shows each status', async () => {
    const hook = await receiver([500, 503, 200]);
    const { id, secret } = await endpoint('acme', hook.url, ['mfa.enrolled']);
    const test = await api('POST', `/admin/tenants/acme/webhooks/${id}/test`);
    expect(test.status).toBe(202);

    await eventually(() => hook.received.some((d) => d.status === 200));
    expect(hook.received.map((d) => [d.status, d.headers['x-webhook-attempt']])).toEqual([
      [500, '1'],
      [503, '2'],
      [200, '3'],
    ]);
    // The same event each time: receivers deduplicate on X-Webhook-Id.
    expect(new Set(hook.received.map((d) => d.headers['x-webhook-id']))).toEqual(new Set([test.body.eventId]));
    expect(
      hook.received.every((d) => verifySignature(d.headers['x-webhook-signature'] as string, d.body, secret)),
    ).toBe(true);

    const log = await eventually(async () => {
      const page = await deliveries(id);
      return page.items.length === 3 && page;
    });
    expect(
      log.items.map((d: { attempt: number; status: string; statusCode: number }) => [
        d.attempt,
        d.status,
        d.statusCode,
      ]),
    ).toEqual([
      [3, 'succeeded', 200],
      [2, 'failed', 503],
      [1, 'failed', 500],
    ]);
    expect(log.items[1].error).toBe('HTTP 503');
    const state = (await api('GET', `/admin/tenants/acme/webhooks/${id}`)).body;
    expect(state).toMatchObject({ enabled: true, status: 'healthy', consecutiveFailures: 0 });
    expect(state.lastSuccessAt).toEqual(expect.any(String));

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^idp_webhook_deliveries_total\{outcome="succeeded"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^idp_webhook_deliveries_total\{outcome="failed"\} [1-9]\d*$/m);
  });

  it('repeated failures disable the endpoint (audited, reported unhealthy; readiness unaffected) until re-enabled', async () => {
    const hook = await receiver([500]);
    // Subscribed to nothing that happens here: only the test events below reach it.
    const { id } = await endpoint('acme', hook.url, ['mfa.enrolled']);
    await api('POST', `/admin/tenants/acme/webhooks/${id}/test`);

    const disabled = await eventually(async () => {
      const state = (await api('GET', `/admin/tenants/acme/webhooks/${id}`)).body;
      return !state.enabled && state;
    });
    expect(disabled).toMatchObject({
      status: 'unhealthy',
      consecutiveFailures: 6,
      disabledReason: '6 consecutive failed deliveries',
    });
    expect(hook.received).toHaveLength(6);
    const audit = await api('GET', '/admin/tenants/acme/audit-events?type=webhook.endpoint.disabled');
    expect(audit.body.items).toEqual([expect.objectContaining({ subject: id, outcome: 'failure' })]);
    expect((await fetch(`${server.url}/health/ready`)).status).toBe(200);

    // Disabled: nothing is sent to it, not even a test.
    const refused = await api('POST', `/admin/tenants/acme/webhooks/${id}/test`);
    expect(refused.status).toBe(409);

    hook.answer([200]);
    const enabled = await api('PATCH', `/admin/tenants/acme/webhooks/${id}`, { enabled: true });
    expect(enabled.body).toMatchObject({
      enabled: true,
      status: 'healthy',
      consecutiveFailures: 0,
      disabledReason: null,
    });
    const test = await api('POST', `/admin/tenants/acme/webhooks/${id}/test`);
    await eventually(() => hook.received.some((d) => d.headers['x-webhook-id'] === test.body.eventId));
    expect(hook.received.map((d) => d.status)).toEqual([500, 500, 500, 500, 500, 500, 200]);
  });

  it('health model: unhealthy after 5 failed deliveries, held despite a success, healthy after the hold and 3 successes', async () => {
    const hook = await receiver([500, 500, 500, 500, 500, 200]);
    const { id } = await endpoint('acme', hook.url, ['mfa.enrolled']);
    const state = async () => (await api('GET', `/admin/tenants/acme/webhooks/${id}`)).body;
    // Sends a test event and answers the endpoint once its (eventually) successful delivery is recorded.
    const test = async () => {
      const before = (await state()).lastSuccessAt;
      expect((await api('POST', `/admin/tenants/acme/webhooks/${id}/test`)).status).toBe(202);
      return eventually(async () => {
        const now = await state();
        return now.lastSuccessAt !== before && now;
      });
    };

    // Attempts 1–5 fail (unhealthy at the 5th), the 6th is delivered: inside the hold it does not heal.
    const held = await test();
    expect(hook.received.map((d) => d.status)).toEqual([500, 500, 500, 500, 500, 200]);
    expect(held).toMatchObject({ enabled: true, status: 'unhealthy', consecutiveSuccesses: 0 });
    const holdEnds = Date.parse(held.unhealthyUntil);
    expect(holdEnds).toBeGreaterThan(Date.now() - 2000);

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, holdEnds - Date.now()) + 50));
    expect(await test()).toMatchObject({ status: 'unhealthy', consecutiveSuccesses: 1 });
    expect(await test()).toMatchObject({ status: 'unhealthy', consecutiveSuccesses: 2 });
    const healed = await test();
    expect(healed).toMatchObject({ status: 'healthy', consecutiveSuccesses: 3, consecutiveFailures: 0 });
    expect(healed.unhealthyUntil).toBeUndefined();
  });

  it('rotating the secret: the old one no longer verifies; with a grace period both do', async () => {
    const hook = await receiver();
    const { id, secret: first } = await endpoint('acme', hook.url, ['*']);

    const rotated = await api('POST', `/admin/tenants/acme/webhooks/${id}/secret`, {});
    expect(rotated.status).toBe(200);
    const second = rotated.body.secret as string;
    expect(second).toMatch(/^whsec_/);
    expect(second).not.toBe(first);
    const sendTest = async () => {
      const { eventId } = (await api('POST', `/admin/tenants/acme/webhooks/${id}/test`)).body;
      return eventually(() => hook.received.find((d) => d.headers['x-webhook-id'] === eventId));
    };
    const afterRotation = await sendTest();
    const header = afterRotation.headers['x-webhook-signature'] as string;
    expect(verifySignature(header, afterRotation.body, second)).toBe(true);
    expect(verifySignature(header, afterRotation.body, first)).toBe(false);

    const graceful = await api('POST', `/admin/tenants/acme/webhooks/${id}/secret`, { keepPreviousForSeconds: 3600 });
    const third = graceful.body.secret as string;
    expect(graceful.body.previousSecretExpiresAt).toEqual(expect.any(String));
    const duringGrace = await sendTest();
    const both = duringGrace.headers['x-webhook-signature'] as string;
    expect(both.match(/v1=/g)).toHaveLength(2);
    expect(verifySignature(both, duringGrace.body, third)).toBe(true);
    expect(verifySignature(both, duringGrace.body, second)).toBe(true);
    expect(verifySignature(both, duringGrace.body, first)).toBe(false);
    expect(JSON.stringify((await api('GET', `/admin/tenants/acme/webhooks/${id}`)).body)).not.toMatch(/whsec_/);
  });

  it('events stay in their tenant, and a tenant admin cannot see or touch another tenant’s webhooks (403)', async () => {
    const acmeHook = await receiver();
    const globexHook = await receiver();
    await endpoint('acme', acmeHook.url, ['admin.*']);
    const globex = await endpoint('globex', globexHook.url, ['admin.*']);
    await api('POST', '/admin/tenants/acme/users', { username: 'only-acme', password: 'a-long-passphrase-3' });
    await eventually(() => acmeHook.received.length > 0);
    // The globex endpoint got nothing of acme's (its own events are admin.* of globex only).
    expect(globexHook.received.filter((d) => d.body.includes('"slug":"acme"'))).toEqual([]);

    const adminResource = `${server.publicUrl}/admin`;
    const client = (
      await api('POST', '/admin/tenants/acme/clients', {
        name: 'acme operator',
        applicationType: 'service',
        resources: [adminResource],
      })
    ).body;
    await api('PUT', `/admin/tenants/acme/clients/${client.clientId}/roles`, { roles: ['admin'] });
    const token = (await clientCredentials(acme.issuer, client, { scope: 'admin', resource: adminResource })).body
      .access_token as string;

    expect((await api('GET', '/admin/tenants/acme/webhooks', undefined, token)).status).toBe(200);
    for (const [method, path] of [
      ['GET', '/admin/tenants/globex/webhooks'],
      ['GET', `/admin/tenants/globex/webhooks/${globex.id}`],
      ['GET', `/admin/tenants/globex/webhooks/${globex.id}/deliveries`],
      ['POST', `/admin/tenants/globex/webhooks/${globex.id}/secret`],
      ['DELETE', `/admin/tenants/globex/webhooks/${globex.id}`],
    ]) {
      expect({
        method,
        path,
        status: (await api(method, path, method === 'POST' ? {} : undefined, token)).status,
      }).toEqual({
        method,
        path,
        status: 403,
      });
    }
    // Through its own tenant's path, another tenant's endpoint id is unknown.
    expect((await api('GET', `/admin/tenants/acme/webhooks/${globex.id}`, undefined, token)).status).toBe(404);
  });

  it.each([
    ['credentials in the URL', { url: 'https://user:pass@hooks.example.com/', eventTypes: ['*'] }],
    ['a non-http scheme', { url: 'ftp://hooks.example.com/', eventTypes: ['*'] }],
    ['a malformed event type', { url: 'https://hooks.example.com/', eventTypes: ['Login Success'] }],
    ['no event types', { url: 'https://hooks.example.com/', eventTypes: [] }],
    ['an unknown field', { url: 'https://hooks.example.com/', eventTypes: ['*'], secret: 'mine' }],
    ['a very long URL', { url: `https://hooks.example.com/${'a'.repeat(2100)}`, eventTypes: ['*'] }],
  ])('refuses %s (400)', async (_case, body) => {
    const response = await api('POST', '/admin/tenants/acme/webhooks', body);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: 'invalid_request', message: expect.any(String) });
  });

  it('unknown endpoint ids answer 404, and so does a deleted endpoint', async () => {
    for (const id of ['00000000-0000-0000-0000-000000000000', 'not-a-uuid']) {
      expect((await api('GET', `/admin/tenants/acme/webhooks/${id}`)).status).toBe(404);
      expect((await api('GET', `/admin/tenants/acme/webhooks/${id}/deliveries`)).status).toBe(404);
    }
    const hook = await receiver();
    const { id } = await endpoint('acme', hook.url, ['*']);
    expect((await api('DELETE', `/admin/tenants/acme/webhooks/${id}`)).status).toBe(204);
    expect((await api('GET', `/admin/tenants/acme/webhooks/${id}`)).status).toBe(404);
    expect((await api('DELETE', `/admin/tenants/acme/webhooks/${id}`)).status).toBe(404);
  });

  it('events the audit trail records outside HTTP (e.g. CLI) are delivered too', async () => {
    const hook = await receiver();
    await endpoint('acme', hook.url, ['custom.*']);
    const tenantId = (await api('GET', '/admin/tenants/acme')).body.id as string;
    await server.server.app.get(AuditService).record(tenantId, { type: 'custom.ping', outcome: 'success' });
    await eventually(() => hook.of('custom.ping').length === 1);
  });
});

describe('outbound webhooks with two instances sharing one queue', () => {
  let server: TestServer;
  let peer: TestServer;
  let hook: WebhookReceiver;
  const env = { WEBHOOK_RETRY_DELAYS: '50ms', WEBHOOK_POLL_INTERVAL: '20ms' };

  beforeAll(async () => {
    server = await startTestServer({ env });
    peer = await startTestServer({ sharingStoresWith: server, env });
    await server.adminApi('POST', '/admin/tenants', { slug: 'acme', displayName: 'Acme' });
    hook = await new WebhookReceiver().start();
  });
  // The peer first: both apps share passport's strategy registry in this jest process.
  afterAll(async () => {
    await hook?.close();
    await peer?.close();
    await server?.close();
  });

  it('deliver each event exactly once', async () => {
    const created = await server.adminApi('POST', '/admin/tenants/acme/webhooks', {
      url: hook.url,
      eventTypes: ['mfa.enrolled'],
    });
    const id = created.body.id as string;
    const sent = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const via = i % 2 ? peer : server;
        return (await via.adminApi('POST', `/admin/tenants/acme/webhooks/${id}/test`)).body.eventId as string;
      }),
    );
    await eventually(() => new Set(hook.received.map((d) => d.headers['x-webhook-id'])).size === 20);
    const log = await eventually(async () => {
      const page = await server.adminApi('GET', `/admin/tenants/acme/webhooks/${id}/deliveries?limit=100`);
      return page.body.items.length >= 20 && page.body;
    });
    expect(hook.received.map((d) => d.headers['x-webhook-id']).sort()).toEqual([...sent].sort());
    expect(log.items).toHaveLength(20);
  });

  it('an endpoint created on one instance gets the events the other one records', async () => {
    const other = await new WebhookReceiver().start();
    try {
      // The peer has looked up acme's endpoints (none) before this one exists…
      await peer.adminApi('POST', '/admin/tenants/acme/users', { username: 'before', password: 'a-long-passphrase-6' });
      await server.adminApi('POST', '/admin/tenants/acme/webhooks', { url: other.url, eventTypes: ['admin.users.*'] });
      // …and learns of it over the bus (asynchronously: retried until it has).
      let n = 0;
      await eventually(async () => {
        await peer.adminApi('POST', '/admin/tenants/acme/users', {
          username: `after-${n++}`,
          password: 'a-long-passphrase-7',
        });
        return other.of('admin.users.post').length > 0;
      });
    } finally {
      await other.close();
    }
  });
});
