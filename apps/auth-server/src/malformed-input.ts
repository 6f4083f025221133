import { malformedValue, urlHasNul } from '@app/platform';
import { renderErrorPage, stylesheetHref } from '@app/pages';
import type { NextFunction, Request, Response } from 'express';

/**
 * After the body parsers, before routing: a NUL byte in the URL or in any parsed field, or a
 * document nested too deep, is a 400 for every Express route (admin API, account API, sign-in
 * pages) — one guard instead of a check in each DTO. Pages get an HTML page, APIs
 * `{error, message}`.
 */
export function rejectMalformedInput(publicUrl: string) {
  const css = stylesheetHref(publicUrl);
  return (req: Request, res: Response, next: NextFunction): void => {
    const reason = urlHasNul(req.originalUrl) ? 'the URL contains a NUL byte' : malformedValue(req.body);
    if (!reason) return next();
    res.status(400);
    if (req.accepts(['json', 'html']) === 'html') {
      res.type('html').send(renderErrorPage({ title: 'Bad request', message: reason, stylesheetHref: css }));
    } else {
      res.json({ error: 'invalid_request', message: reason });
    }
  };
}
