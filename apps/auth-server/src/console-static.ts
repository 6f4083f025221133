import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The console's policy: its own scripts, styles and API calls only. No inline script or
 * style (React sets none: the console styles with classes), never framed.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** dist/console beside the compiled server (dist/apps/…) or, from the sources (tests), under dist/. */
export function findConsoleBuild(): string | undefined {
  const here = fileURLToPath(new URL('.', import.meta.url));
  return [join(here, '../../../console'), join(here, '../../../dist/console')].find((dir) =>
    existsSync(join(dir, 'index.html')),
  );
}

/**
 * Serves the console's static build at /console: hashed assets with a long cache, and
 * index.html for every other path under it (deep links), its <base href> pointing at where
 * the console is mounted under PUBLIC_URL, so the relative asset URLs resolve from any depth.
 */
export function consoleStatic(publicUrl: string, buildDir: string | null = findConsoleBuild() ?? null) {
  const basePath = `${new URL(publicUrl).pathname.replace(/\/$/, '')}/console/`;
  const index = buildDir
    ? readFileSync(join(buildDir, 'index.html'), 'utf8').replace(/<base href="[^"]*"/, `<base href="${basePath}"`)
    : undefined;
  const assets = buildDir ? join(buildDir, 'assets') : undefined;

  return (req: IncomingMessage & { path?: string }, res: ServerResponse, next: (error?: unknown) => void): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    res.setHeader('content-security-policy', CONSOLE_CSP);
    if (!index || !assets) {
      res.statusCode = 404;
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      res.end('The console is not built: run npm run build.\n');
      return;
    }
    const path = (req.path ?? new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '');
    if (path.startsWith('assets/')) {
      const file = normalize(join(assets, path.slice('assets/'.length)));
      if (!file.startsWith(assets + sep)) return notFound(res);
      readFile(file).then(
        (body) => {
          res.setHeader('content-type', TYPES[extname(file)] ?? 'application/octet-stream');
          // File names carry a content hash: a new build is a new URL.
          res.setHeader('cache-control', 'public, max-age=31536000, immutable');
          res.end(req.method === 'HEAD' ? undefined : body);
        },
        () => notFound(res),
      );
      return;
    }
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.setHeader('cache-control', 'no-cache');
    res.end(req.method === 'HEAD' ? undefined : index);
  };
}

function notFound(res: ServerResponse): void {
  res.statusCode = 404;
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.end('not found\n');
}
