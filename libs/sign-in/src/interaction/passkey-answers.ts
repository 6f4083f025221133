import type { Response } from 'express';
import { field } from './interaction-state.js';

/** What the page's script put into the form's `response` field: the authenticator's answer, as JSON. */
export function passkeyAnswer(body: unknown): unknown {
  const raw = field(body, 'response');
  if (!raw || raw.length > 65_536) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

/** The options endpoints answer the page's script in JSON, errors included. */
export function sendJsonError(res: Response, status: number, message: string): void {
  const error = status === 403 ? 'forbidden' : 'invalid_request';
  res.status(status).set('cache-control', 'no-store').json({ error, message });
}
