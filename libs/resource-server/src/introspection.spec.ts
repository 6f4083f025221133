import { createHash } from 'node:crypto';
import { InvalidTokenError, IssuerUnavailableError } from './errors.js';
import { assertAnswerFitsThisApi, Introspector } from './introspection.js';
import { IssuerMetadata } from './issuer-metadata.js';
import { resolveOptions, type ResourceServerOptions } from './options.js';

const ISSUER = 'https://id.example.com/t/acme';
const API = 'https://api.acme.example';
const ENDPOINT = `${ISSUER}/token/introspection`;

/** An issuer that answers introspection from a table, and records what it was sent. */
function fakeIssuer(answers: Record<string, Record<string, unknown>>) {
  const requests: { authorization: string; body: URLSearchParams }[] = [];
  const fetch = (async (_url: string, init: RequestInit) => {
    const body = new URLSearchParams(init.body as string);
    requests.push({ authorization: (init.headers as Record<string, string>).authorization, body });
    const answer = answers[body.get('token')!] ?? { active: false };
    return new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

function introspector(fetch: typeof globalThis.fetch, overrides: Partial<ResourceServerOptions> = {}, now = Date.now) {
  const options = resolveOptions({
    issuer: ISSUER,
    audience: API,
    clientId: 'my api',
    clientSecret: 's3cr:t',
    introspectionEndpoint: ENDPOINT,
    fetch,
    ...overrides,
  });
  return new Introspector(options, new IssuerMetadata(options), now);
}

const inSeconds = (seconds: number) => Math.floor(Date.now() / 1000) + seconds;

describe('rfc7662 introspection', () => {
  it('authenticates with the API’s own credentials (client_secret_basic, form-encoded) and hints an access token', async () => {
    const issuer = fakeIssuer({ good: { active: true, client_id: 'c', exp: inSeconds(60) } });
    await introspector(issuer.fetch).activeAnswer('good');
    expect(issuer.requests).toHaveLength(1);
    expect(issuer.requests[0].authorization).toBe(`Basic ${Buffer.from('my+api:s3cr%3At').toString('base64')}`);
    expect(issuer.requests[0].body.get('token_type_hint')).toBe('access_token');
  });

  it('reuses an active answer within the cache window, never past the token’s exp', async () => {
    let now = Date.now();
    const issuer = fakeIssuer({
      long: { active: true, exp: Math.floor(now / 1000) + 3600 },
      short: { active: true, exp: Math.floor(now / 1000) + 2 },
    });
    const cached = introspector(issuer.fetch, { introspectionCache: { activeSeconds: 30 } }, () => now);
    await cached.activeAnswer('long');
    await cached.activeAnswer('short');
    now += 10_000;
    await cached.activeAnswer('long');
    expect(issuer.requests).toHaveLength(2);
    await cached.activeAnswer('short').catch(() => undefined);
    expect(issuer.requests).toHaveLength(3);
    now += 21_000;
    await cached.activeAnswer('long');
    expect(issuer.requests).toHaveLength(4);
  });

  it('in strict mode asks the issuer on every request, so a revocation counts at once', async () => {
    const answers: Record<string, Record<string, unknown>> = { t: { active: true, exp: inSeconds(600) } };
    const issuer = fakeIssuer(answers);
    const strict = introspector(issuer.fetch, { strict: true });
    await strict.activeAnswer('t');
    answers.t = { active: false };
    await expect(strict.activeAnswer('t')).rejects.toThrow(InvalidTokenError);
    expect(issuer.requests).toHaveLength(2);
  });

  it('remembers an inactive answer, so a repeated bad token does not reach the issuer again', async () => {
    const issuer = fakeIssuer({});
    const cached = introspector(issuer.fetch);
    for (let attempt = 0; attempt < 3; attempt++) {
      await expect(cached.activeAnswer('revoked')).rejects.toThrow('the token is not active');
    }
    expect(issuer.requests).toHaveLength(1);
  });

  it('keys its cache by SHA-256 of the token, never the token, and bounds its size', async () => {
    const issuer = fakeIssuer({});
    const bounded = introspector(issuer.fetch, { introspectionCache: { maxEntries: 2 } });
    for (const token of ['one', 'two', 'three']) await bounded.activeAnswer(token).catch(() => undefined);
    const entries = (bounded as unknown as { answers: { entries: Map<string, unknown> } }).answers.entries;
    const digest = (token: string) => createHash('sha256').update(token).digest('base64url');
    expect([...entries.keys()]).toEqual([digest('two'), digest('three')]);
    await bounded.activeAnswer('one').catch(() => undefined);
    expect(issuer.requests).toHaveLength(4);
  });

  it('shares one round trip between concurrent requests with the same token', async () => {
    const issuer = fakeIssuer({ t: { active: true, exp: inSeconds(60) } });
    const shared = introspector(issuer.fetch);
    await Promise.all([shared.activeAnswer('t'), shared.activeAnswer('t'), shared.activeAnswer('t')]);
    expect(issuer.requests).toHaveLength(1);
  });

  it.each([
    ['a network failure', () => Promise.reject(new TypeError('fetch failed'))],
    ['an error status (our credentials refused)', () => Promise.resolve(new Response('{}', { status: 401 }))],
    ['a server error', () => Promise.resolve(new Response('oops', { status: 500 }))],
    ['an answer that is not RFC 7662', () => Promise.resolve(new Response('{"ok":true}', { status: 200 }))],
  ])('is "issuer unavailable" (503), not a refusal, on %s — and caches nothing', async (_case, respond) => {
    let calls = 0;
    const failing = introspector((() => (calls++, respond())) as typeof globalThis.fetch);
    await expect(failing.activeAnswer('t')).rejects.toThrow(IssuerUnavailableError);
    await expect(failing.activeAnswer('t')).rejects.toThrow(IssuerUnavailableError);
    expect(calls).toBe(2);
  });
});

describe('an active introspection answer must fit this API', () => {
  const expected = { issuer: ISSUER, audiences: [API], acceptTokensWithoutAudience: false, clockToleranceSeconds: 5 };
  const active = { active: true, client_id: 'c', token_type: 'Bearer', iss: ISSUER, aud: API, exp: inSeconds(60) };

  it('accepts an access token of this issuer for this API', () => {
    expect(() => assertAnswerFitsThisApi(active, expected)).not.toThrow();
    expect(() =>
      assertAnswerFitsThisApi({ ...active, aud: ['x', API], token_type: undefined }, expected),
    ).not.toThrow();
  });

  it.each([
    ['a refresh token', { token_type: 'refresh_token' }, 'the token is not an access token'],
    ['another issuer', { iss: 'https://id.example.com/t/globex' }, 'the token was issued by another issuer'],
    ['another audience', { aud: 'https://api.globex.example' }, 'the token is not meant for this API'],
    ['no audience', { aud: undefined }, 'the token is not meant for this API (it has no audience)'],
    ['an expired token', { exp: inSeconds(-10) }, 'the token has expired'],
    ['a token not valid yet', { nbf: inSeconds(60) }, 'the token is not valid yet'],
  ])('refuses %s', (_case, change, message) => {
    expect(() => assertAnswerFitsThisApi({ ...active, ...change }, expected)).toThrow(message);
  });

  it('accepts a token without audience only when told to, and then only if it says it is a bearer token', () => {
    const lenient = { ...expected, acceptTokensWithoutAudience: true };
    expect(() => assertAnswerFitsThisApi({ ...active, aud: undefined }, lenient)).not.toThrow();
    // How the server answers for a refresh token: active, no aud, no token_type.
    const refreshToken = { active: true, client_id: 'c', sub: 'u', iss: ISSUER, exp: inSeconds(3600) };
    expect(() => assertAnswerFitsThisApi(refreshToken, lenient)).toThrow('the token is not an access token');
  });
});
