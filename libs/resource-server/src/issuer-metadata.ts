import { IssuerUnavailableError } from './errors.js';
import type { ResolvedOptions } from './options.js';

interface DiscoveryDocument {
  jwks_uri?: unknown;
  introspection_endpoint?: unknown;
}

/** A GET or POST to the issuer that fails fast and never follows a redirect with our credentials. */
export async function callIssuer(options: ResolvedOptions, url: string, init: RequestInit = {}): Promise<Response> {
  return options.fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(options.timeoutMs) });
}

/**
 * The issuer's endpoints, from OpenID Connect Discovery (`{issuer}/.well-known/openid-configuration`)
 * unless configured. Fetched on first use and kept; a failed fetch is not kept, so the next
 * request tries again (concurrent requests share one fetch).
 */
export class IssuerMetadata {
  private document: Promise<DiscoveryDocument> | undefined;

  constructor(private readonly options: ResolvedOptions) {}

  async jwksUri(): Promise<string> {
    if (this.options.jwksUri) return this.options.jwksUri;
    const uri = (await this.discovered()).jwks_uri;
    if (typeof uri !== 'string') throw new IssuerUnavailableError('key set', new Error('discovery lists no jwks_uri'));
    return uri;
  }

  async introspectionEndpoint(): Promise<string> {
    if (this.options.introspectionEndpoint) return this.options.introspectionEndpoint;
    const endpoint = (await this.discovered()).introspection_endpoint;
    if (typeof endpoint !== 'string') {
      throw new IssuerUnavailableError(
        'introspection endpoint',
        new Error('discovery lists no introspection_endpoint'),
      );
    }
    return endpoint;
  }

  private discovered(): Promise<DiscoveryDocument> {
    this.document ??= this.fetchDocument().catch((error: unknown) => {
      this.document = undefined;
      throw error;
    });
    return this.document;
  }

  private async fetchDocument(): Promise<DiscoveryDocument> {
    const url = `${this.options.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    let body: unknown;
    try {
      const response = await callIssuer(this.options, url, { headers: { accept: 'application/json' } });
      if (response.status !== 200) throw new Error(`discovery answered HTTP ${response.status}`);
      body = await response.json();
    } catch (error) {
      throw new IssuerUnavailableError('discovery document', error);
    }
    const document = body as { issuer?: unknown } & DiscoveryDocument;
    // OpenID Connect Discovery §4.3: the document must be the configured issuer's own, or the
    // keys and endpoints it names could belong to anyone.
    if (typeof body !== 'object' || body === null || document.issuer !== this.options.issuer) {
      throw new IssuerUnavailableError(
        'discovery document',
        new Error(`the discovery document is not that of issuer ${this.options.issuer}`),
      );
    }
    return document;
  }
}
