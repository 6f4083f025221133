import type { KoaContextWithOIDC } from 'oidc-provider';

type Next = () => Promise<void>;

/**
 * oidc-provider drops `offline_access` unless the request carries `prompt=consent` (a
 * strict reading of OIDC Core 11). Our contract: a code-flow client allowed the refresh
 * grant gets a refresh token when it asks. Adding `consent` keeps the user in the loop —
 * third-party clients show the consent page, first-party ones approve it automatically.
 */
export async function offlineAccessImpliesConsent(ctx: KoaContextWithOIDC, next: Next): Promise<void> {
  if (ctx.method === 'GET' && ctx.path === '/auth') {
    const { scope, prompt } = ctx.query;
    if (typeof scope === 'string' && scope.split(' ').includes('offline_access')) {
      const prompts = new Set(typeof prompt === 'string' && prompt ? prompt.split(' ') : []);
      if (!prompts.has('none') && !prompts.has('consent')) {
        prompts.add('consent');
        ctx.query = { ...ctx.query, prompt: [...prompts].join(' ') };
      }
    }
  }
  await next();
}

/**
 * RFC 7662 §2.1 / RFC 7009 §2.1: these endpoints require client authentication; a request
 * without any is answered 401 invalid_client (oidc-provider says 400 invalid_request).
 */
export async function clientAuthenticationRequired(ctx: KoaContextWithOIDC, next: Next): Promise<void> {
  await next();
  const route = ctx.oidc?.route;
  if (route !== 'introspection' && route !== 'revocation') return;
  const body = ctx.body as { error?: string; error_description?: string } | undefined;
  if (
    ctx.status === 400 &&
    body?.error === 'invalid_request' &&
    /no client authentication/.test(body.error_description ?? '')
  ) {
    ctx.status = 401;
    ctx.set('www-authenticate', 'Basic realm="token endpoint"');
    ctx.body = { error: 'invalid_client', error_description: 'client authentication is required' };
  }
}
