import type { RequestInfo } from '@app/sessions';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage } from 'node:http';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';
import providerStorage from 'oidc-provider/lib/helpers/als.js';

/**
 * The request this code is serving. While oidc-provider serves a request, its scope is the
 * provider's Koa context (which has `req`); around that, and on our own Express routes, it is
 * one of these.
 */
class OwnRequestScope {
  constructor(readonly req: IncomingMessage) {}
}
type RequestScope = OwnRequestScope | KoaContextWithOIDC;

/**
 * The one AsyncLocalStorage that tells which request is being served. oidc-provider keeps its
 * Koa context in an AsyncLocalStorage of its own; we run our requests in that same storage
 * rather than a second one, because on Node 20 every enabled AsyncLocalStorage writes itself
 * onto every promise of every request (7 KB of allocation per token request, measured in
 * docs/performance.md). oidc-provider exports no API for it, hence the deep import; should a
 * later version change what that module is, the check below falls back to a storage of our
 * own, which costs the old price and changes nothing else.
 */
function sharedStorage(): AsyncLocalStorage<RequestScope> {
  const candidate: unknown = providerStorage;
  if (candidate instanceof AsyncLocalStorage) {
    const probe = new OwnRequestScope({} as IncomingMessage);
    if (candidate.run(probe, () => providerContext() === probe)) return candidate as AsyncLocalStorage<RequestScope>;
  }
  return new AsyncLocalStorage<RequestScope>();
}

function providerContext(): unknown {
  return (Provider as unknown as { ctx?: unknown }).ctx;
}

const requestScope = sharedStorage();

/** Whether our request scope is oidc-provider's own storage (one AsyncLocalStorage, not two). */
export const requestScopeSharedWithProvider = requestScope === (providerStorage as unknown);

/** Runs `next` as the serving of `req`. */
export function serveInRequestScope(req: IncomingMessage, next: () => void): void {
  requestScope.run(new OwnRequestScope(req), next);
}

/** The request being served, if any. */
export function currentRequest(): IncomingMessage | undefined {
  return requestScope.getStore()?.req;
}

/**
 * Who is asking (IP, user agent), for the storage adapter, which oidc-provider calls without
 * the request. Only while the provider serves the request: its context knows the client's
 * address as the provider's proxy setting reads it.
 */
export function currentRequestInfo(): RequestInfo {
  const ctx = providerContext();
  if (!ctx || ctx instanceof OwnRequestScope) return {};
  const koa = ctx as KoaContextWithOIDC;
  return { ip: koa.ip, userAgent: koa.get('user-agent') || undefined };
}
