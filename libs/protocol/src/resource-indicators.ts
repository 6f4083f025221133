import { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';

type ResourceIndicators = NonNullable<NonNullable<Configuration['features']>['resourceIndicators']>;
type Client = NonNullable<KoaContextWithOIDC['oidc']['client']>;

export interface KnownResource {
  identifier: string;
  scopes: string[];
  accessTokenTtl: number | null;
}

export interface ResourceIndicatorOptions {
  /** Our stored resources and the built-in admin API; null when unknown. */
  findResource(identifier: string): Promise<KnownResource | null>;
  defaultAccessTokenTtl: number;
  /** The OpenID scopes (oidc-provider checks them against each client's own list). */
  openIdScopes: string[];
  rolesScope: string;
}

/** Scopes about a signed-in user: a client-credentials grant has none to speak of. */
const USER_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);

function allowedResources(client: Client): string[] {
  return (client as unknown as { resources?: string[] }).resources ?? [];
}

/** The requests whose `scope` asks for something new: authorization and client credentials. */
function asksForScopes(ctx: KoaContextWithOIDC): boolean {
  const route = ctx.oidc?.route;
  return route === 'authorization' || (route === 'token' && ctx.oidc.params?.grant_type === 'client_credentials');
}

/**
 * RFC 8707 resource indicators, and what oidc-provider leaves out of them: it drops a
 * requested scope that no resource defines and issues the token anyway. RFC 6749 §5.2 /
 * §4.1.2.1: a scope that is unknown, or that the client may not ask for, is `invalid_scope`.
 * So at the authorization endpoint and for client credentials every requested scope must be
 * an OpenID scope (which oidc-provider checks against the client's own list) or one a
 * requested resource — explicit, or the client's default — defines and the client is allowed;
 * client credentials may not ask for the OpenID scopes that are about a user.
 */
export function resourceIndicators(options: ResourceIndicatorOptions): ResourceIndicators {
  const checked = new WeakSet<object>();

  async function assertScopesDefined(ctx: KoaContextWithOIDC, client: Client, indicators: string[]): Promise<void> {
    if (!asksForScopes(ctx) || checked.has(ctx)) return;
    checked.add(ctx);
    const requested = String(ctx.oidc.params?.scope ?? '')
      .split(' ')
      .filter(Boolean);
    if (!requested.length) return;
    const clientCredentials = ctx.oidc.route === 'token';
    const defined = new Set([options.rolesScope, ...(clientCredentials ? [] : options.openIdScopes)]);
    for (const indicator of indicators) {
      if (!allowedResources(client).includes(indicator)) continue;
      (await options.findResource(indicator))?.scopes.forEach((scope) => defined.add(scope));
    }
    const refused = requested.find((scope) => !defined.has(scope));
    if (refused === undefined) return;
    const reason =
      clientCredentials && USER_SCOPES.has(refused)
        ? 'is about a user; client credentials have none'
        : indicators.length
          ? 'is not defined by the requested resource'
          : 'is not defined by any resource this request is for (name one with the resource parameter)';
    throw new errors.InvalidScope(`requested scope "${refused}" ${reason}`, refused);
  }

  const requestedIndicators = (ctx: KoaContextWithOIDC): string[] => {
    const resource = ctx.oidc.params?.resource;
    return (Array.isArray(resource) ? resource : [resource]).filter((r): r is string => typeof r === 'string');
  };

  return {
    enabled: true,
    // A client's first registered resource is its default (RFC 8707 leaves this to the AS).
    defaultResource: async (ctx, client, oneOf) => {
      if (oneOf) return oneOf;
      const registered = allowedResources(client)[0];
      // Without a resource the scopes are checked here; with one, where it is resolved below.
      if (registered === undefined) await assertScopesDefined(ctx, client, []);
      return (registered ?? undefined) as never;
    },
    useGrantedResource: async () => true,
    getResourceServerInfo: async (ctx, indicator, client) => {
      const resource = allowedResources(client).includes(indicator) ? await options.findResource(indicator) : null;
      if (!resource) throw new errors.InvalidTarget('the client is not allowed this resource');
      await assertScopesDefined(ctx, client, requestedIndicators(ctx));
      return {
        scope: resource.scopes.join(' '),
        audience: resource.identifier,
        accessTokenTTL: resource.accessTokenTtl ?? options.defaultAccessTokenTtl,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'RS256' } },
      };
    },
  };
}
