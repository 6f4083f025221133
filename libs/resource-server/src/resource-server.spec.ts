import { InvalidRequestError, InvalidTokenError, IssuerUnavailableError } from './errors.js';
import { createResourceServer } from './resource-server.js';

const ISSUER = 'https://id.example.com/t/acme';
const API = 'https://api.acme.example';
const unreachable = (() => Promise.reject(new TypeError('fetch failed'))) as typeof fetch;

describe('createResourceServer', () => {
  it.each([
    ['no issuer', { audience: API }, /"issuer"/],
    ['a relative issuer', { issuer: '/t/acme', audience: API }, /"issuer"/],
    ['no audience', { issuer: ISSUER, audience: [] }, /"audience"/],
    ['a client id without secret', { issuer: ISSUER, audience: API, clientId: 'x' }, /go together/],
    ['strict mode without credentials', { issuer: ISSUER, audience: API, strict: true }, /strict mode/],
    ['a negative clock skew', { issuer: ISSUER, audience: API, clockToleranceSeconds: -1 }, /clockToleranceSeconds/],
  ])('refuses to start with %s', (_case, options, message) => {
    expect(() => createResourceServer(options as never)).toThrow(message);
  });

  it('answers "no caller" for a request without a bearer token and 400 for a malformed one', async () => {
    const server = createResourceServer({ issuer: ISSUER, audience: API, fetch: unreachable });
    await expect(server.authenticate(undefined)).resolves.toBeUndefined();
    await expect(server.authenticate('Basic abc')).resolves.toBeUndefined();
    await expect(server.authenticate('Bearer a b')).rejects.toThrow(InvalidRequestError);
  });

  it('refuses an opaque token when no introspection credentials are configured, without calling the issuer', async () => {
    let calls = 0;
    const counting = (() => (calls++, Promise.reject(new Error('no')))) as typeof fetch;
    const server = createResourceServer({ issuer: ISSUER, audience: API, fetch: counting });
    await expect(server.verifyToken('opaque-token-value')).rejects.toThrow(InvalidTokenError);
    expect(calls).toBe(0);
  });

  it('is 503 when discovery fails, tells the operator why, and tries again on the next request', async () => {
    const seen: Error[] = [];
    let calls = 0;
    const server = createResourceServer({
      issuer: ISSUER,
      audience: API,
      clientId: 'api',
      clientSecret: 'secret',
      fetch: (() => (calls++, unreachable('x'))) as typeof fetch,
      onIssuerUnavailable: (error) => seen.push(error),
    });
    await expect(server.verifyToken('opaque')).rejects.toThrow(IssuerUnavailableError);
    await expect(server.verifyToken('opaque')).rejects.toThrow(IssuerUnavailableError);
    expect(calls).toBe(2);
    expect(seen.map((error) => error.message)).toEqual([
      "the token issuer's discovery document cannot be reached",
      "the token issuer's discovery document cannot be reached",
    ]);
    expect(JSON.stringify(seen.map((error) => String(error.cause)))).not.toContain('opaque');
  });

  it('refuses a discovery document of another issuer (503: misconfiguration, not the caller’s fault)', async () => {
    const foreign = (() =>
      Promise.resolve(
        Response.json({ issuer: 'https://evil.example', jwks_uri: 'https://evil.example/jwks' }),
      )) as typeof fetch;
    const server = createResourceServer({ issuer: ISSUER, audience: API, fetch: foreign });
    const jwtShaped = 'eyJhbGciOiJSUzI1NiIsInR5cCI6ImF0K2p3dCIsImtpZCI6ImsifQ.eyJzdWIiOiJ4In0.c2ln';
    const error = await server.verifyToken(jwtShaped).catch((caught: unknown) => caught as Error);
    expect(error).toBeInstanceOf(IssuerUnavailableError);
    expect(String((error as Error).cause)).toContain('not that of issuer');
  });
});
