import {
  errorResponse,
  InsufficientScopeError,
  InvalidRequestError,
  InvalidTokenError,
  IssuerUnavailableError,
  MissingTokenError,
} from './errors.js';

describe('rfc6750 §3 error responses', () => {
  it('answers a request without a token 401 with a bare challenge (no error attribute)', () => {
    expect(errorResponse(new MissingTokenError(), 'https://api.example')).toEqual({
      status: 401,
      headers: { 'www-authenticate': 'Bearer realm="https://api.example"' },
      body: { error: 'unauthorized', message: 'a bearer token is required' },
    });
  });

  it('answers a bad token 401 invalid_token with its description', () => {
    expect(errorResponse(new InvalidTokenError('the token has expired'), 'api')).toEqual({
      status: 401,
      headers: {
        'www-authenticate': 'Bearer realm="api", error="invalid_token", error_description="the token has expired"',
      },
      body: { error: 'invalid_token', message: 'the token has expired' },
    });
  });

  it('answers a malformed header 400 invalid_request', () => {
    const response = errorResponse(new InvalidRequestError('not a Bearer credential'), 'api');
    expect(response.status).toBe(400);
    expect(response.headers['www-authenticate']).toContain('error="invalid_request"');
    expect(response.body.error).toBe('invalid_request');
  });

  it('answers a missing permission 403 insufficient_scope naming it, and lists required OAuth scopes', () => {
    const permission = errorResponse(new InsufficientScopeError('missing permission orders:write'), 'api');
    expect(permission.status).toBe(403);
    expect(permission.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="missing permission orders:write"',
    );
    expect(permission.body).toEqual({ error: 'insufficient_scope', message: 'missing permission orders:write' });
    const scope = errorResponse(new InsufficientScopeError('missing scopes read, write', ['read', 'write']), 'api');
    expect(scope.headers['www-authenticate']).toContain('scope="read write"');
  });

  it('answers an unreachable issuer 503 with Retry-After and no challenge', () => {
    const response = errorResponse(new IssuerUnavailableError('key set', new Error('ECONNREFUSED')), 'api');
    expect(response.status).toBe(503);
    expect(response.headers).toEqual({ 'retry-after': '5' });
    expect(response.body).toEqual({
      error: 'temporarily_unavailable',
      message: "the token issuer's key set cannot be reached",
    });
  });

  it('keeps quoted values within RFC 6750 quoted-string characters', () => {
    const header = errorResponse(new InvalidTokenError('a "quoted"\\ value\n'), 'my "realm"').headers[
      'www-authenticate'
    ];
    expect(header).toBe('Bearer realm="my  realm ", error="invalid_token", error_description="a  quoted   value "');
  });
});
