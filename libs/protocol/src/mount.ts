import { isValidTenantSlug } from '@app/tenancy';
import type { NextFunction, Request, Response } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TenantProviderRegistry, TenantRuntime } from './tenant-provider.registry.js';

/** Paths under /t/{slug} that Nest serves itself (our pages and APIs), not oidc-provider. */
const NEST_OWNED = /^\/(interaction|account|password|email|broker|providers)(\/|$)/;

type ProviderHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

/** One Koa callback per provider instance (a rebuilt provider gets a new one). */
function providerHandlers() {
  const handlers = new WeakMap<object, ProviderHandler>();
  return (provider: { callback(): unknown }): ProviderHandler => {
    let handler = handlers.get(provider);
    if (!handler) {
      handler = provider.callback() as ProviderHandler;
      handlers.set(provider, handler);
    }
    return handler;
  };
}

/**
 * Express middleware mounted at /t/:tenant before Nest installs its body parsers (the
 * provider parses its own bodies): finds the tenant's provider and hands it the request.
 */
export function tenantProviderMiddleware(registry: TenantProviderRegistry) {
  const handlerOf = providerHandlers();
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const slug = /^\/t\/([^/?#]+)/.exec(req.originalUrl)?.[1] ?? '';
      const runtime = isValidTenantSlug(slug) ? await registry.get(slug) : null;
      if (!runtime) {
        res.status(404).json({ error: 'not_found', message: 'tenant not found' });
        return;
      }
      if (NEST_OWNED.test(req.path)) return next();
      await handlerOf(runtime.provider)(req, res);
    } catch (error) {
      next(error);
    }
  };
}

export type RawMiddleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

const PROVIDER_PATH = /^\/t\/([^/?#]+)([^?#]*)/;

/**
 * The HTTP server's request listener. Requests for oidc-provider's own endpoints of a known
 * tenant (/t/{slug}/token, /jwks, /.well-known/…) skip Express's router and Nest's adapter:
 * they pass through the same cross-cutting middlewares the Express app runs first (metrics,
 * access log, security headers) and go straight to the tenant's provider — on a small
 * machine those router layers cost more than the provider's own work (docs/performance.md).
 * Everything else (our pages and APIs, unknown tenants, errors) is Express's, as before.
 */
export function directProviderRoutes(
  registry: TenantProviderRegistry,
  middlewares: RawMiddleware[],
  express: (req: IncomingMessage, res: ServerResponse) => void,
) {
  const handlerOf = providerHandlers();
  return (req: IncomingMessage, res: ServerResponse): void => {
    const match = PROVIDER_PATH.exec(req.url ?? '');
    if (!match || !isValidTenantSlug(match[1]) || NEST_OWNED.test(match[2])) return express(req, res);
    const [prefix, slug] = match;
    const serve = (runtime: TenantRuntime | null): void => {
      if (!runtime) return express(req, res);
      const handler = handlerOf(runtime.provider);
      const request = req as IncomingMessage & { originalUrl?: string; baseUrl?: string };
      // What Express's mount at /t/:tenant presents: the provider sees its own path.
      request.originalUrl = req.url;
      request.baseUrl = prefix.slice(0, 3 + slug.length);
      const rest = req.url!.slice(3 + slug.length);
      const step = (index: number, error?: unknown): void => {
        if (error) return fail(res, error);
        if (index < middlewares.length) return middlewares[index](req, res, (e) => step(index + 1, e));
        req.url = rest.startsWith('/') ? rest : `/${rest}`;
        void Promise.resolve(handler(req, res)).catch((e: unknown) => fail(res, e));
      };
      step(0);
    };
    const built = registry.peek(slug);
    if (built === undefined) return void registry.get(slug).then(serve, () => express(req, res));
    try {
      serve(built);
    } catch (error) {
      fail(res, error);
    }
  };
}

function fail(res: ServerResponse, _error: unknown): void {
  if (res.headersSent) return void res.destroy();
  res.statusCode = 500;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ error: 'server_error', message: 'internal server error' }));
}
