import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorResponse, MissingTokenError, ResourceServerError } from '../errors.js';
import type { ResourceServerOptions } from '../options.js';
import type { Principal } from '../principal.js';
import { assertMeets, requirement, type Requirement } from '../requirements.js';
import { createResourceServer, isResourceServer, type ResourceServer } from '../resource-server.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The caller, set by requireAuth / optionalAuth (undefined: anonymous under optionalAuth). */
      auth?: Principal;
    }
  }
}

/** Node's request and response types: what Express hands a middleware, without depending on Express. */
type AuthRequest = IncomingMessage & { auth?: Principal };
type Next = (error?: unknown) => void;
export type AuthMiddleware = (request: AuthRequest, response: ServerResponse, next: Next) => void;

/** Which realm challenged this request, so the permission middlewares answer in the same words. */
const REALM = Symbol('idp.resource-server.realm');

function send(response: ServerResponse, error: ResourceServerError, realm: string): void {
  const { status, headers, body } = errorResponse(error, realm);
  response.statusCode = status;
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.setHeader('cache-control', 'no-store');
  response.end(JSON.stringify(body));
}

function resourceServerOf(serverOrOptions: ResourceServer | ResourceServerOptions): ResourceServer {
  return isResourceServer(serverOrOptions) ? serverOrOptions : createResourceServer(serverOrOptions);
}

function authenticating(serverOrOptions: ResourceServer | ResourceServerOptions, required: boolean): AuthMiddleware {
  const server = resourceServerOf(serverOrOptions);
  return (request, response, next) => {
    (request as unknown as Record<symbol, string>)[REALM] = server.realm;
    server.authenticate(request.headers.authorization).then(
      (principal) => {
        if (!principal && required) return send(response, new MissingTokenError(), server.realm);
        request.auth = principal;
        next();
      },
      (error: unknown) => {
        if (error instanceof ResourceServerError) return send(response, error, server.realm);
        next(error);
      },
    );
  };
}

/**
 * Refuses a request without a valid access token (401, or 400 for a malformed header, 503
 * when the issuer is unreachable); otherwise puts the caller on `req.auth`. Pass one shared
 * `createResourceServer(...)` to every middleware, or options to build one here.
 */
export function requireAuth(serverOrOptions: ResourceServer | ResourceServerOptions): AuthMiddleware {
  return authenticating(serverOrOptions, true);
}

/**
 * Lets anonymous requests through (`req.auth` undefined), but a token that is sent must be
 * valid: a bad token is a 401, never a silent downgrade to anonymous.
 */
export function optionalAuth(serverOrOptions: ResourceServer | ResourceServerOptions): AuthMiddleware {
  return authenticating(serverOrOptions, false);
}

function requiring(required: Requirement): AuthMiddleware {
  return (request, response, next) => {
    const realm = (request as unknown as Record<symbol, string | undefined>)[REALM] ?? 'api';
    // Without requireAuth/optionalAuth before it there is no caller: refuse, never let it through.
    if (!request.auth) return send(response, new MissingTokenError(), realm);
    try {
      assertMeets(request.auth, required);
    } catch (error) {
      return send(response, error as ResourceServerError, realm);
    }
    next();
  };
}

/** 403 `insufficient_scope` naming what is missing unless the caller holds every one of `permissions`. */
export const requirePermission = (...permissions: string[]) => requiring(requirement('permission', 'all', permissions));
/** 403 unless the caller holds at least one of `permissions`. */
export const requireAnyPermission = (...permissions: string[]) =>
  requiring(requirement('permission', 'any', permissions));
/** 403 unless the caller holds every one of `roles`. */
export const requireRole = (...roles: string[]) => requiring(requirement('role', 'all', roles));
/** 403 unless the caller holds at least one of `roles`. */
export const requireAnyRole = (...roles: string[]) => requiring(requirement('role', 'any', roles));
/** 403 unless the token was granted every one of the OAuth `scopes` (API keys carry scopes, not permissions). */
export const requireScope = (...scopes: string[]) => requiring(requirement('scope', 'all', scopes));

export type { Principal, ResourceServer, ResourceServerOptions };
