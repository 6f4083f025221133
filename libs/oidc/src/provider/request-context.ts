import type { RequestInfo } from '@app/sessions';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';

/**
 * Who is asking (IP, user agent), for the storage adapter, which oidc-provider calls without
 * the request. Read from the request the provider is serving (its own AsyncLocalStorage):
 * every additional AsyncLocalStorage costs a propagation step on every promise of every
 * request, and this one used to be ours.
 */
export function currentRequestInfo(): RequestInfo {
  const ctx = (Provider as unknown as { ctx?: KoaContextWithOIDC }).ctx;
  return ctx ? { ip: ctx.ip, userAgent: ctx.get('user-agent') || undefined } : {};
}
