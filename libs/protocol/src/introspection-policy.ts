import type { KoaContextWithOIDC } from 'oidc-provider';

type Client = NonNullable<KoaContextWithOIDC['oidc']['client']>;

/**
 * Who may learn about a token besides the client it was issued to: a confidential client that
 * an API resource names as its resource server (`introspectionClients`) — for tokens whose
 * audience is that resource. Opt-in per resource; a public client never (it cannot prove who
 * it is), and a token without an audience (refresh tokens, opaque tokens for no API) never.
 */
export function introspectionByResourceServers(
  findResource: (identifier: string) => Promise<{ introspectionClients: string[] } | null>,
) {
  return async function mayIntrospectFor(client: Client, audience: unknown): Promise<boolean> {
    if (client.clientAuthMethod === 'none') return false;
    const audiences = typeof audience === 'string' ? [audience] : Array.isArray(audience) ? audience : [];
    for (const identifier of audiences) {
      if (typeof identifier !== 'string') continue;
      if ((await findResource(identifier))?.introspectionClients.includes(client.clientId)) return true;
    }
    return false;
  };
}
