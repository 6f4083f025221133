import { currentRequest, type RawMiddleware, serveInRequestScope } from '@app/protocol';
import { areaOf, type Metrics } from '@app/platform';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccessLogEntry } from './access-log.js';

const CLIENT_REQUEST_ID = /^[\w.-]{1,128}$/;

type IdentifiedRequest = IncomingMessage & { id?: string };

/** The id of the request being served (set by observeRequests), for the logger. */
export function currentRequestId(): string | undefined {
  return (currentRequest() as IdentifiedRequest | undefined)?.id;
}

/** The caller's X-Request-Id when it is a plain token, otherwise a fresh one. */
function requestIdOf(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && CLIENT_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * First thing every request passes (Express routes and the direct provider routes alike):
 * gives it a request id (X-Request-Id answer header, `reqId` on every line logged while
 * serving it), and once the response is done, one access-log line and one latency sample.
 *
 * The line holds only request id, method, path without query (it can carry codes) and status,
 * so it needs no redaction pass. One `close` listener does both jobs: on a hot endpoint the
 * per-request child logger, serializers and second listener of pino-http cost more than the
 * provider's own work for an introspection (docs/performance.md).
 */
export function observeRequests(metrics: Metrics, accessLog: (entry: AccessLogEntry) => void): RawMiddleware {
  return (req: IncomingMessage, res: ServerResponse, next) => {
    const started = performance.now();
    const id = requestIdOf(req);
    (req as IdentifiedRequest).id = id;
    res.setHeader('x-request-id', id);
    res.once('close', () => {
      const path = ((req as { originalUrl?: string }).originalUrl ?? req.url ?? '').split('?')[0];
      const seconds = (performance.now() - started) / 1000;
      const status = res.statusCode;
      const method = req.method ?? '';
      metrics.httpRequests.observe({ area: areaOf(path), method, status: `${Math.floor(status / 100)}xx` }, seconds);
      if (path.startsWith('/health')) return;
      accessLog({
        id,
        method,
        path,
        statusCode: status,
        responseTimeMs: Math.round(seconds * 1000),
        aborted: !res.writableFinished,
      });
    });
    serveInRequestScope(req, next);
  };
}

/**
 * The security headers a configured helmet sets, learned once by replaying it on a stand-in
 * response and then set as a fixed list: they do not depend on the request, and running
 * helmet's eleven middlewares per request showed in the profile of every endpoint.
 */
export function precomputedHeaders(helmetMiddleware: RawMiddleware): RawMiddleware {
  const headers = new Map<string, string>();
  const standIn = {
    setHeader: (name: string, value: string | number | string[]) => headers.set(name.toLowerCase(), String(value)),
    removeHeader: (name: string) => headers.delete(name.toLowerCase()),
    getHeader: (name: string) => headers.get(name.toLowerCase()),
  } as unknown as ServerResponse;
  let passedOn = false;
  helmetMiddleware({ headers: {}, method: 'GET', url: '/' } as IncomingMessage, standIn, () => (passedOn = true));
  if (!passedOn) throw new Error('security header middleware did not pass the request on');
  const entries = [...headers];
  return (_req, res, next) => {
    for (const [name, value] of entries) res.setHeader(name, value);
    next();
  };
}
