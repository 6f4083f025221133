import type { RequestInfo } from '@app/sessions';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';

/** The request oidc-provider is serving, from its own AsyncLocalStorage (inside its routes). */
function servedRequest(): KoaContextWithOIDC | undefined {
  return (Provider as unknown as { ctx?: KoaContextWithOIDC }).ctx;
}

/**
 * Who is asking (IP, user agent), for the storage adapter, which oidc-provider calls without
 * the request. Read from the request the provider is serving (its own AsyncLocalStorage):
 * every additional AsyncLocalStorage costs a propagation step on every promise of every
 * request, and this one used to be ours.
 */
export function currentRequestInfo(): RequestInfo {
  const ctx = servedRequest();
  return ctx ? { ip: ctx.ip, userAgent: ctx.get('user-agent') || undefined } : {};
}

/**
 * The request id (set on the request by the request observer) of the request oidc-provider
 * is serving: the provider's endpoints run without our own request-id AsyncLocalStorage, for
 * the same reason as above, so a line logged inside them finds its id here.
 */
export function providerRequestId(): string | undefined {
  const id = (servedRequest()?.req as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
}
