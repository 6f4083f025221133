import { urlHasNul } from '@app/platform';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Readable } from 'node:stream';

const NUL_IN_BODY = 'the request body contains a NUL byte';

/**
 * The protocol engine's guard against input Postgres cannot store (a NUL in `client_id`
 * became a failed client look-up: a 500). First in the provider's chain: a NUL in the URL is
 * answered here (RFC 6749 `invalid_request`, or the error page for a browser); a NUL in a
 * form body makes the provider's own body reader fail, which it answers `invalid_request`
 * — the body is checked as it streams in, never buffered twice.
 */
export function rejectMalformedProviderInput(renderPage: (message: string) => string) {
  return async function malformedInput(ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> {
    const where = urlHasNul(ctx.originalUrl ?? ctx.url)
      ? 'the request URL'
      : basicCredentialsHaveNul(ctx.get('authorization'))
        ? 'the Authorization header'
        : null;
    if (where) {
      const message = `${where} contains a NUL byte`;
      ctx.status = 400;
      if (ctx.accepts('json', 'html') === 'html') {
        ctx.type = 'html';
        ctx.body = renderPage(message);
      } else {
        ctx.body = { error: 'invalid_request', error_description: message };
      }
      return;
    }
    if (ctx.method === 'POST') refuseNulWhileReading(ctx.req);
    return next();
  };
}

/** HTTP Basic client credentials are base64: their NUL shows only once decoded (RFC 6749 §2.3.1). */
function basicCredentialsHaveNul(header: string): boolean {
  const match = /^basic\s+(\S+)/i.exec(header);
  if (!match) return false;
  const decoded = Buffer.from(match[1], 'base64').toString('latin1');
  return urlHasNul(decoded);
}

/** Wraps the stream's async iterator (what the provider reads bodies with) to fail on NUL. */
function refuseNulWhileReading(req: Readable): void {
  const original = req.iterator.bind(req);
  req.iterator = (options) =>
    (async function* checked() {
      // `%00` may straddle two chunks: keep the last two characters of the previous one.
      let tail = '';
      for await (const chunk of original(options)) {
        const text = tail + (Buffer.isBuffer(chunk) ? chunk.toString('latin1') : String(chunk));
        if (urlHasNul(text)) throw new Error(NUL_IN_BODY);
        tail = text.slice(-2);
        yield chunk;
      }
    })();
}
