import { bearerTokenOf, MAX_TOKEN_LENGTH } from './bearer-header.js';
import { InvalidRequestError } from './errors.js';

describe('rfc6750 §2.1 bearer token in the Authorization header', () => {
  it('reads the token after the case-insensitive Bearer scheme', () => {
    expect(bearerTokenOf('Bearer abc.DEF-_~+/xyz==')).toBe('abc.DEF-_~+/xyz==');
    expect(bearerTokenOf('bearer abc')).toBe('abc');
    expect(bearerTokenOf('BEARER   abc ')).toBe('abc');
  });

  it('is "no token" when there is no header or another scheme is used', () => {
    expect(bearerTokenOf(undefined)).toBeUndefined();
    expect(bearerTokenOf('')).toBeUndefined();
    expect(bearerTokenOf('Basic dXNlcjpwYXNz')).toBeUndefined();
    expect(bearerTokenOf('DPoP abc')).toBeUndefined();
    expect(bearerTokenOf('Bearerabc')).toBeUndefined();
  });

  it.each([
    ['a scheme without a token', 'Bearer'],
    ['a scheme with only spaces', 'Bearer    '],
    ['two tokens', 'Bearer abc def'],
    ['characters outside b64token', 'Bearer abc"def'],
    ['a comma-separated list', 'Bearer abc, Basic xyz'],
    ['padding in the middle', 'Bearer ab=c'],
  ])('refuses %s with invalid_request', (_case, header) => {
    expect(() => bearerTokenOf(header)).toThrow(InvalidRequestError);
  });

  it('refuses several Authorization headers and an oversized token with invalid_request', () => {
    expect(() => bearerTokenOf(['Bearer a', 'Bearer b'])).toThrow(InvalidRequestError);
    expect(bearerTokenOf(['Bearer a'])).toBe('a');
    expect(() => bearerTokenOf(`Bearer ${'a'.repeat(MAX_TOKEN_LENGTH + 1)}`)).toThrow('too long');
  });
});
