import { currentRequestInfo, requestScopeSharedWithProvider } from '@app/protocol';
import type { RequestInfo } from '@app/sessions';
import { Metrics } from '@app/platform';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { createLogger } from './logger.js';
import { currentRequestId, observeRequests } from './request-observer.js';

/**
 * oidc-provider's endpoints are served outside Express (directProviderRoutes); a line logged
 * while the provider serves a request must still carry that request's id.
 */
describe('request id on lines logged inside the provider', () => {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('trace', { write: (line: string) => lines.push(JSON.parse(line)) }, currentRequestId);
  const seenByProvider: RequestInfo[] = [];
  const seenOutside: RequestInfo[] = [];
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const provider = new Provider('http://127.0.0.1/t/acme', {
      clients: [
        {
          client_id: 'spa',
          token_endpoint_auth_method: 'none',
          redirect_uris: ['https://rp.example/callback'],
          grant_types: ['authorization_code'],
          response_types: ['code'],
        },
      ],
      features: { devInteractions: { enabled: false } },
      interactions: {
        url: (_ctx, interaction) => {
          logger.info('interaction started');
          seenByProvider.push(currentRequestInfo());
          return `/sign-in/${interaction.uid}`;
        },
      },
    });
    const handler = provider.callback();
    const observe = observeRequests(new Metrics(), () => undefined);
    // /own stands for our Express routes: served in the request scope, not by the provider.
    server = createServer((req, res) =>
      observe(req, res, () => {
        if (req.url !== '/own') return void handler(req, res);
        setImmediate(() => {
          logger.info('own route');
          seenOutside.push(currentRequestInfo());
          res.end('ok');
        });
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  async function authorize(requestId?: string) {
    const query = new URLSearchParams({
      client_id: 'spa',
      response_type: 'code',
      redirect_uri: 'https://rp.example/callback',
      scope: 'openid',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    });
    return fetch(`${base}/auth?${query}`, {
      redirect: 'manual',
      headers: requestId ? { 'x-request-id': requestId } : {},
    });
  }

  it('carries the id of the request being served, whether the server made it or the caller sent it', async () => {
    const made = await authorize();
    const sent = await authorize('caller-chosen.id-1');
    expect(made.status).toBe(303);
    expect(made.headers.get('location')).toMatch(/^\/sign-in\//);
    expect(sent.headers.get('x-request-id')).toBe('caller-chosen.id-1');
    const logged = lines.filter((line) => line.msg === 'interaction started').map((line) => line.reqId);
    expect(logged).toEqual([made.headers.get('x-request-id'), 'caller-chosen.id-1']);
    expect(logged[0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('carries the id on our own routes too, after the handler has gone async', async () => {
    const answer = await fetch(`${base}/own`, { headers: { 'x-request-id': 'own-route-1' } });
    expect(await answer.text()).toBe('ok');
    expect(lines.find((line) => line.msg === 'own route')).toMatchObject({ reqId: 'own-route-1' });
  });

  it("shares oidc-provider's own request storage: one AsyncLocalStorage, not two", () => {
    expect(requestScopeSharedWithProvider).toBe(true);
  });

  it("tells the client's address and user agent only while the provider serves the request", async () => {
    await fetch(`${base}/own`, { headers: { 'user-agent': 'own-agent/1' } });
    await authorize();
    expect(seenOutside.at(-1)).toEqual({});
    expect(seenByProvider.at(-1)).toEqual({ ip: expect.stringMatching(/127\.0\.0\.1$/), userAgent: 'node' });
  });

  it('is absent on a line logged outside any request', () => {
    logger.info('between requests');
    expect(lines.find((line) => line.msg === 'between requests')).not.toHaveProperty('reqId');
  });
});
