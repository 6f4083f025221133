import { isIP } from 'node:net';

/** Who we are to authenticators: one relying party for every tenant, named by PUBLIC_URL. */
export interface RelyingParty {
  /** PUBLIC_URL's host name: what passkeys are bound to. */
  id: string;
  /** PUBLIC_URL's origin: where ceremonies must have run. */
  origin: string;
  /** Browsers refuse an IP address as relying-party id: passkeys need a host name (localhost counts). */
  available: boolean;
}

export function relyingPartyOf(publicUrl: string): RelyingParty {
  const url = new URL(publicUrl);
  const id = url.hostname.replace(/^\[|\]$/g, '');
  return { id, origin: url.origin, available: isIP(id) === 0 };
}
