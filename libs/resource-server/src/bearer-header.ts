import { InvalidRequestError } from './errors.js';

/** RFC 6750 §2.1: `Bearer` 1*SP b64token, b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=". */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
const SCHEME = /^Bearer(?: |$)/i;
/** Far above any token we issue; refusing longer ones keeps hashing and parsing cheap. */
export const MAX_TOKEN_LENGTH = 8192;

/**
 * The bearer token of an Authorization header, or undefined when the request carries none.
 * Another scheme (Basic, DPoP, …) is "no bearer token", not an error: the API simply does
 * not accept it. A header that says Bearer but is malformed is a 400 `invalid_request`.
 */
export function bearerTokenOf(authorization: string | string[] | undefined): string | undefined {
  if (Array.isArray(authorization)) {
    if (authorization.length > 1) throw new InvalidRequestError('only one Authorization header is allowed');
    authorization = authorization[0];
  }
  if (authorization === undefined || authorization === '') return undefined;
  if (!SCHEME.test(authorization)) return undefined;
  const match = BEARER.exec(authorization);
  if (!match) throw new InvalidRequestError('the Authorization header is not a well-formed Bearer credential');
  if (match[1].length > MAX_TOKEN_LENGTH) throw new InvalidRequestError('the bearer token is too long');
  return match[1];
}
