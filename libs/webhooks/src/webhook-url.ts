import { ValidationError } from '@app/platform';
import { isIP } from 'node:net';
import { isPrivateAddress } from './safe-destination.js';

/**
 * Where the server may POST events. https only in production (http is allowed elsewhere, for
 * local receivers); never credentials in the URL (they would be stored and shown in clear).
 */
export function assertWebhookUrl(raw: string, production: boolean): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ValidationError('url must be an absolute URL');
  }
  const allowed = production ? ['https:'] : ['https:', 'http:'];
  if (!allowed.includes(url.protocol)) {
    throw new ValidationError(production ? 'url must use https' : 'url must use https or http');
  }
  if (url.username || url.password) throw new ValidationError('url must not contain credentials');
  if (url.hash) throw new ValidationError('url must not have a fragment');
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const local = host === 'localhost' || host.endsWith('.localhost') || (isIP(host) > 0 && isPrivateAddress(host));
  // Names are checked again on every delivery, on the address actually connected to.
  if (production && local) throw new ValidationError('url must point to a public address');
  return url.href;
}
