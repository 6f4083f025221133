export { bearerTokenOf } from './bearer-header.js';
export {
  errorResponse,
  InsufficientScopeError,
  InvalidRequestError,
  InvalidTokenError,
  IssuerUnavailableError,
  MissingTokenError,
  ResourceServerError,
  RETRY_AFTER_SECONDS,
  type ErrorResponse,
} from './errors.js';
export type { ResourceServerOptions } from './options.js';
export { tenantOfIssuer, type Principal } from './principal.js';
export { assertMeets, assertMeetsAll, requirement, type Requirement } from './requirements.js';
export { createResourceServer, isResourceServer, type ResourceServer } from './resource-server.js';
