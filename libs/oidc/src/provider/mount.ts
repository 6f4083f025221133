import { isValidTenantSlug } from '@app/tenancy';
import type { NextFunction, Request, Response } from 'express';
import type { TenantProviderRegistry } from './tenant-provider.registry.js';

/** Paths under /t/{slug} that Nest serves itself (our pages and APIs), not oidc-provider. */
const NEST_OWNED = /^\/(interaction|account|password|email)(\/|$)/;

/**
 * Express middleware mounted at /t/:tenant before Nest installs its body parsers (the
 * provider parses its own bodies): finds the tenant's provider and hands it the request.
 */
export function tenantProviderMiddleware(registry: TenantProviderRegistry) {
  const handlers = new WeakMap<object, (req: Request, res: Response) => unknown>();
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const slug = /^\/t\/([^/?#]+)/.exec(req.originalUrl)?.[1] ?? '';
      const runtime = isValidTenantSlug(slug) ? await registry.get(slug) : null;
      if (!runtime) {
        res.status(404).json({ error: 'not_found', message: 'tenant not found' });
        return;
      }
      if (NEST_OWNED.test(req.path)) return next();
      let handler = handlers.get(runtime.provider);
      if (!handler) {
        handler = runtime.provider.callback() as (req: Request, res: Response) => unknown;
        handlers.set(runtime.provider, handler);
      }
      await handler(req, res);
    } catch (error) {
      next(error);
    }
  };
}
