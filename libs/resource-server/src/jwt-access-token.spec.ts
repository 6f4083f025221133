import { createHmac } from 'node:crypto';
import {
  base64url,
  createLocalJWKSet,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWTVerifyGetKey,
} from 'jose';
import { InvalidTokenError } from './errors.js';
import { looksLikeJwt, verifyJwtAccessToken } from './jwt-access-token.js';

const ISSUER = 'https://id.example.com/t/acme';
const API = 'https://api.acme.example';
const expected = { issuer: ISSUER, audiences: [API], clockToleranceSeconds: 5 };
const now = () => Math.floor(Date.now() / 1000);

describe('rfc9068 JWT access token verification', () => {
  let privateKey: CryptoKey;
  let publicKey: CryptoKey;
  let keys: JWTVerifyGetKey;

  beforeAll(async () => {
    ({ privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true }));
    keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] });
  });

  const claims = () => ({
    iss: ISSUER,
    aud: API,
    sub: 'user-1',
    client_id: 'web',
    jti: 'j1',
    iat: now(),
    exp: now() + 600,
    scope: 'read',
  });

  function sign(payload: Record<string, unknown>, header: Record<string, unknown> = {}, key = privateKey) {
    return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'k1', ...header }).sign(key);
  }

  async function refusal(token: string, expectations = expected): Promise<string> {
    const error = await verifyJwtAccessToken(token, keys, expectations).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(InvalidTokenError);
    return (error as Error).message;
  }

  it('accepts a well-formed token of the issuer for this API', async () => {
    const payload = await verifyJwtAccessToken(await sign(claims()), keys, expected);
    expect(payload).toMatchObject({ sub: 'user-1', client_id: 'web', scope: 'read' });
  });

  it('accepts `typ: application/at+jwt` and an audience list including this API', async () => {
    const token = await sign({ ...claims(), aud: ['https://other.example', API] }, { typ: 'application/at+jwt' });
    await expect(verifyJwtAccessToken(token, keys, expected)).resolves.toBeDefined();
  });

  it('refuses an expired token, but allows the configured clock skew', async () => {
    expect(await refusal(await sign({ ...claims(), exp: now() - 10 }))).toBe('the token has expired');
    await expect(verifyJwtAccessToken(await sign({ ...claims(), exp: now() - 2 }), keys, expected)).resolves.toEqual(
      expect.objectContaining({ sub: 'user-1' }),
    );
    expect(await refusal(await sign({ ...claims(), exp: now() - 2 }), { ...expected, clockToleranceSeconds: 0 })).toBe(
      'the token has expired',
    );
  });

  it('refuses a token not valid yet (nbf) or issued in the future (iat) beyond the skew', async () => {
    expect(await refusal(await sign({ ...claims(), nbf: now() + 60 }))).toBe('the token is not valid yet');
    expect(await refusal(await sign({ ...claims(), iat: now() + 60 }))).toBe('the token was issued in the future');
    await expect(
      verifyJwtAccessToken(await sign({ ...claims(), nbf: now() + 3 }), keys, expected),
    ).resolves.toBeDefined();
  });

  it('refuses another issuer and another audience', async () => {
    expect(await refusal(await sign({ ...claims(), iss: 'https://id.example.com/t/globex' }))).toBe(
      'the token was issued by another issuer',
    );
    expect(await refusal(await sign({ ...claims(), aud: 'https://api.globex.example' }))).toBe(
      'the token is not meant for this API',
    );
  });

  it('refuses a JWT that is not an access token (an ID token: typ JWT, or no typ)', async () => {
    expect(await refusal(await sign(claims(), { typ: 'JWT' }))).toBe(
      'the token is not a JWT access token (typ at+jwt)',
    );
    expect(await refusal(await sign(claims(), { typ: undefined }))).toBe(
      'the token is not a JWT access token (typ at+jwt)',
    );
  });

  it('refuses a token lacking a claim RFC 9068 requires', async () => {
    const { client_id: _clientId, ...withoutClient } = claims();
    expect(await refusal(await sign(withoutClient))).toBe('the token lacks the client_id claim');
    const { exp: _exp, ...withoutExpiry } = claims();
    expect(await refusal(await sign(withoutExpiry))).toBe('the token lacks the exp claim');
  });

  it('refuses alg none', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'at+jwt' }));
    const token = `${header}.${base64url.encode(JSON.stringify(claims()))}.`;
    expect(await refusal(token)).toBe('the token is not signed with RS256');
  });

  it('refuses HS256 keyed with the public key (algorithm confusion)', async () => {
    const secret = await exportSPKI(publicKey);
    const header = base64url.encode(JSON.stringify({ alg: 'HS256', typ: 'at+jwt', kid: 'k1' }));
    const body = base64url.encode(JSON.stringify(claims()));
    const mac = createHmac('sha256', secret).update(`${header}.${body}`).digest('base64url');
    expect(await refusal(`${header}.${body}.${mac}`)).toBe('the token is not signed with RS256');
  });

  it('refuses a token signed by a key the issuer does not publish, and a tampered payload', async () => {
    const { privateKey: stranger } = await generateKeyPair('RS256');
    expect(await refusal(await sign(claims(), { kid: 'unknown' }, stranger))).toBe(
      'the token is signed by an unknown key',
    );
    expect(await refusal(await sign(claims(), {}, stranger))).toBe('the token signature is invalid');
    const [header, , signature] = (await sign(claims())).split('.');
    const elevated = base64url.encode(JSON.stringify({ ...claims(), permissions: ['admin:all'] }));
    expect(await refusal(`${header}.${elevated}.${signature}`)).toBe('the token signature is invalid');
  });

  it('tells JWTs from opaque tokens by their shape', async () => {
    expect(looksLikeJwt(await sign(claims()))).toBe(true);
    expect(looksLikeJwt('mF_9.B5f-4.1JqM')).toBe(false);
    expect(looksLikeJwt('Pj3kq0fKX1TmYv8cRz2uWbLa9sNdE4hG5iJ6oQ7pR8s')).toBe(false);
  });
});
