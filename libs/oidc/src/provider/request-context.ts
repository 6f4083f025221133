import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestInfo } from '@app/sessions';
import type { KoaContextWithOIDC } from 'oidc-provider';

/** Carries who is asking (IP, user agent) down to the storage adapter, which oidc-provider calls without a request. */
export const requestContext = new AsyncLocalStorage<RequestInfo>();

export function captureRequestInfo(ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> {
  return requestContext.run({ ip: ctx.ip, userAgent: ctx.get('user-agent') || undefined }, next);
}
