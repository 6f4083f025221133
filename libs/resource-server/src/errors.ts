/**
 * Why a request was refused, as RFC 6750 §3 describes it to the client. Every description
 * is one of our own fixed sentences — never a library's message and never a token or claim
 * value — so nothing the caller sent is echoed back.
 */
export abstract class ResourceServerError extends Error {
  abstract readonly status: 400 | 401 | 403 | 503;
  /** RFC 6750 error code; absent when the request carried no token at all (§3.1). */
  abstract readonly error: 'invalid_request' | 'invalid_token' | 'insufficient_scope' | undefined;
  /** The `error` field of the JSON body. */
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** No bearer token in the request: 401 with a bare challenge, no `error` attribute. */
export class MissingTokenError extends ResourceServerError {
  readonly status = 401;
  readonly error = undefined;
  readonly code = 'unauthorized';
  constructor() {
    super('a bearer token is required');
  }
}

/** An Authorization header that is not a well-formed bearer credential (RFC 6750 §2.1). */
export class InvalidRequestError extends ResourceServerError {
  readonly status = 400;
  readonly error = 'invalid_request';
  readonly code = 'invalid_request';
}

/** Expired, revoked, forged, foreign or otherwise unacceptable token. */
export class InvalidTokenError extends ResourceServerError {
  readonly status = 401;
  readonly error = 'invalid_token';
  readonly code = 'invalid_token';
}

/** A valid token that lacks a permission, role or scope the route requires. */
export class InsufficientScopeError extends ResourceServerError {
  readonly status = 403;
  readonly error = 'insufficient_scope';
  readonly code = 'insufficient_scope';
  constructor(
    message: string,
    /** OAuth scopes the route requires, for the challenge's `scope` attribute (RFC 6750 §3). */
    readonly requiredScopes: string[] = [],
  ) {
    super(message);
  }
}

/**
 * The issuer's discovery document, JWKS or introspection endpoint could not be used. The
 * caller is not at fault, so this is 503 — not 401, which would make clients drop good
 * tokens, and never 500. `cause` says why, for the operator's logs; it holds no token.
 */
export class IssuerUnavailableError extends ResourceServerError {
  readonly status = 503;
  readonly error = undefined;
  readonly code = 'temporarily_unavailable';
  constructor(what: string, cause?: unknown) {
    super(`the token issuer's ${what} cannot be reached`, { cause });
  }
}

/** Seconds a client should wait after a 503 before trying again. */
export const RETRY_AFTER_SECONDS = 5;

export interface ErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: { error: string; message: string };
}

/** RFC 6750 §3: quoted-string values hold no `"` or `\` and only printable ASCII. */
function quoted(value: string): string {
  return `"${value.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, ' ')}"`;
}

/** The status, headers and JSON body a client receives for `error`. */
export function errorResponse(error: ResourceServerError, realm: string): ErrorResponse {
  const body = { error: error.code, message: error.message };
  if (error instanceof IssuerUnavailableError) {
    return { status: error.status, headers: { 'retry-after': String(RETRY_AFTER_SECONDS) }, body };
  }
  const attributes = [`realm=${quoted(realm)}`];
  if (error.error) {
    attributes.push(`error=${quoted(error.error)}`, `error_description=${quoted(error.message)}`);
  }
  if (error instanceof InsufficientScopeError && error.requiredScopes.length > 0) {
    attributes.push(`scope=${quoted(error.requiredScopes.join(' '))}`);
  }
  return { status: error.status, headers: { 'www-authenticate': `Bearer ${attributes.join(', ')}` }, body };
}
