import { FAILURE_RULES, type FailureLimiter } from '@app/platform';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { KoaContextWithOIDC } from 'oidc-provider';

type Next = () => Promise<void>;

/**
 * oidc-provider drops `offline_access` unless the request carries `prompt=consent` (a
 * strict reading of OIDC Core 11). Our contract: a code-flow client allowed the refresh
 * grant gets a refresh token when it asks. Adding `consent` keeps the user in the loop —
 * third-party clients show the consent page, first-party ones approve it automatically.
 */
export function offlineAccessImpliesConsent(ctx: KoaContextWithOIDC, next: Next): Promise<void> {
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
  return next();
}

/**
 * RFC 7662 §2.1 / RFC 7009 §2.1: these endpoints require client authentication; a request
 * without any is answered 401 invalid_client (oidc-provider says 400 invalid_request).
 */
export function clientAuthenticationRequired(ctx: KoaContextWithOIDC, next: Next): Promise<void> {
  return isTokenIntrospectionOrRevocation(ctx) ? answerMissingClientAuth(ctx, next) : next();
}

async function answerMissingClientAuth(ctx: KoaContextWithOIDC, next: Next): Promise<void> {
  await next();
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

const CLIENT_AUTH_PATHS = new Set(['/token', '/token/introspection', '/token/revocation']);

/**
 * Hooks that concern a few endpoints pass every other request straight on, without an async
 * frame of their own: each frame is promises that every AsyncLocalStorage must follow, on
 * every request of every endpoint.
 */
export function isTokenIntrospectionOrRevocation(ctx: KoaContextWithOIDC): boolean {
  return ctx.method === 'POST' && (ctx.path === '/token/introspection' || ctx.path === '/token/revocation');
}

function basicClientId(authorization: string | undefined): string | undefined {
  const [scheme, value] = authorization?.split(' ') ?? [];
  if (scheme?.toLowerCase() !== 'basic' || !value) return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  try {
    return decodeURIComponent(decoded.slice(0, colon)).slice(0, 200);
  } catch {
    return undefined;
  }
}

/**
 * Wrong client secrets are counted per IP and per client id; past the limit the endpoint
 * answers 429 with Retry-After. Only failures count: a correctly authenticated client,
 * however busy, is never throttled by this.
 */
export function limitClientAuthFailures(
  limiter: FailureLimiter,
  tenantId: string,
  onFailure: () => void,
  onLimited: () => void,
) {
  return function clientAuthFailures(ctx: KoaContextWithOIDC, next: Next): Promise<void> {
    return ctx.method === 'POST' && CLIENT_AUTH_PATHS.has(ctx.path) ? limited(ctx, next) : next();
  };

  async function limited(ctx: KoaContextWithOIDC, next: Next): Promise<void> {
    const ipKey = `client-auth:ip:${ctx.ip}`;
    const headerClient = () => basicClientId(ctx.headers.authorization);
    // Nothing blocked anywhere this instance knows of (the usual case): no keys to build.
    if (limiter.knowsBlocks()) {
      const client = headerClient();
      const keys: [string, typeof FAILURE_RULES.clientAuthPerIp][] = [[ipKey, FAILURE_RULES.clientAuthPerIp]];
      if (client) keys.push([`client-auth:client:${client}`, FAILURE_RULES.clientAuthPerClient]);
      const state = await limiter.check(tenantId, keys);
      if (state.blocked) {
        onLimited();
        ctx.status = 429;
        ctx.set('retry-after', String(state.retryAfterSeconds));
        ctx.body = {
          error: 'too_many_requests',
          error_description: 'too many failed client authentications; retry later',
        };
        return;
      }
    }
    await next();
    const body = ctx.body as { error?: string } | undefined;
    if (ctx.status !== 401 || body?.error !== 'invalid_client') return;
    onFailure();
    const clientId =
      headerClient() ?? (typeof ctx.oidc?.params?.client_id === 'string' ? ctx.oidc.params.client_id : undefined);
    await limiter.recordFailure(tenantId, ipKey, FAILURE_RULES.clientAuthPerIp);
    if (clientId)
      await limiter.recordFailure(tenantId, `client-auth:client:${clientId}`, FAILURE_RULES.clientAuthPerClient);
  }
}

/**
 * A tenant's own limit on successful traffic (`rateLimits.clientRequestsPerMinute`): token,
 * introspection and revocation requests per client (HTTP Basic client id; per IP for
 * clients that authenticate in the body) per minute, counted on every instance together.
 */
export function limitClientRequests(
  storage: ThrottlerStorage,
  tenantId: string,
  perMinute: number,
  onLimited: () => void,
) {
  return async function clientRequests(ctx: KoaContextWithOIDC, next: Next): Promise<void> {
    if (ctx.method !== 'POST' || !CLIENT_AUTH_PATHS.has(ctx.path)) return next();
    const caller = basicClientId(ctx.headers.authorization);
    const key = `${tenantId}:client-requests:${caller ? `client:${caller}` : `ip:${ctx.ip}`}`;
    const record = await storage.increment(key, 60_000, perMinute, 60_000, 'client-requests');
    if (record.isBlocked) {
      onLimited();
      ctx.status = 429;
      ctx.set('retry-after', String(Math.max(1, record.timeToBlockExpire)));
      ctx.body = { error: 'too_many_requests', error_description: `more than ${perMinute} requests per minute` };
      return;
    }
    await next();
  };
}
