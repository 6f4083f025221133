import { toProviderMetadata, type ApiResourceEntity, type ClientEntity } from '@app/clients';
import { userClaims, type UserEntity } from '@app/identity';
import type { PrivateSigningJwk } from '@app/keys';
import { constantTimeEqual, type FailureLimiter, sha256Base64Url } from '@app/platform';
import { effectiveSettings, type TenantEntity } from '@app/tenancy';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { createLocalJWKSet, type JWK } from 'jose';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { renderErrorPage, renderLoggedOutPage, renderLogoutPage, stylesheetHref } from '@app/pages';
import {
  clientAuthenticationRequired,
  limitClientAuthFailures,
  limitClientRequests,
  offlineAccessImpliesConsent,
} from './provider-hooks.js';
import { handleApiKeys, type ApiKeyEndpointOptions } from './api-key-tokens.js';
import { introspectionByResourceServers } from './introspection-policy.js';
import { resourceIndicators } from './resource-indicators.js';
import { handleStructuredToken } from './structured-tokens.js';
import { loadGrantWithImpliedConsent } from './first-party-consent.js';
import { auditTokenEvents, type TokenAuditSink } from './token-audit.js';
import { rejectMalformedProviderInput } from './malformed-input.js';
import { ADMIN_SCOPE, adminResourceIdentifier, effectiveTtls, sessionLifetimeSeconds } from './tenant-settings.js';

/** What a provider needs from our stores; every lookup here is cached per tenant by the caller. */
export interface TenantProviderSources {
  publicUrl: string;
  tenant: TenantEntity;
  signingKeys: PrivateSigningJwk[];
  cookieKeys: string[];
  adapter: Configuration['adapter'];
  findClient(clientId: string): Promise<ClientEntity | null>;
  findResource(identifier: string): Promise<ApiResourceEntity | null>;
  findUser(id: string): Promise<UserEntity | null>;
  /** Effective roles and permissions of a user (`user`, users.id) or client (`client`, clients.id). */
  accessOf(kind: 'user' | 'client', id: string): Promise<{ roles: string[]; permissions: string[] }>;
  denyList: { deny(jti: string, exp: number): Promise<void>; isDenied(jti: string): Promise<boolean> };
  apiKeys: Pick<ApiKeyEndpointOptions, 'find' | 'markUsed' | 'revoke'>;
  trustProxy: boolean;
  secureCookies: boolean;
  onServerError(error: Error): void;
  onTokenIssued(grantType: string): void;
  onClientAuthFailure(): void;
  /** A client was answered 429: too many wrong secrets, or past the tenant's request limit. */
  onClientLimited(kind: 'client_auth' | 'client_requests'): void;
  tokenAudit: TokenAuditSink;
  failures: FailureLimiter;
  throttle: ThrottlerStorage;
}

export interface TenantProvider {
  provider: Provider;
  issuer: string;
  publicJwks: JWK[];
  /** Admin/account APIs verify our own JWTs with this, no network round-trip. */
  verificationKeys: ReturnType<typeof createLocalJWKSet>;
  denyList: TenantProviderSources['denyList'];
}

const STANDARD_SCOPES = ['openid', 'offline_access', 'profile', 'email', 'roles'];
export const ROLES_SCOPE = 'roles';

function publicPart(jwk: PrivateSigningJwk): JWK {
  const { kid, kty, n, e, alg, use } = jwk;
  return { kid, kty, n, e, alg, use };
}

export function buildTenantProvider(sources: TenantProviderSources): TenantProvider {
  const { tenant, publicUrl } = sources;
  const issuer = `${publicUrl}/t/${tenant.slug}`;
  const ttl = effectiveTtls(tenant.settings);
  const adminResource = adminResourceIdentifier(publicUrl);
  const css = stylesheetHref(publicUrl);
  const publicJwks = sources.signingKeys.map(publicPart);
  const settings = effectiveSettings(tenant.settings);
  // The server's own origin too: the console (served here) calls the token endpoint, and a
  // browser sends Origin on every POST, same-origin included.
  const corsOrigins = new Set([...settings.corsOrigins, new URL(publicUrl).origin]);
  const sessionPolicy = settings.sessions;

  const findResource = async (identifier: string) => {
    if (identifier === adminResource) {
      return { identifier, scopes: [ADMIN_SCOPE], accessTokenTtl: null as number | null };
    }
    return sources.findResource(identifier);
  };
  const mayIntrospectFor = introspectionByResourceServers(sources.findResource);

  const configuration: Configuration = {
    adapter: sources.adapter,
    jwks: { keys: sources.signingKeys as never },
    cookies: {
      keys: sources.cookieKeys,
      long: { signed: true, httpOnly: true, sameSite: 'lax', secure: sources.secureCookies },
      short: { signed: true, httpOnly: true, sameSite: 'lax', secure: sources.secureCookies },
      names: {
        session: `_session_${tenant.slug}`,
        interaction: `_interaction_${tenant.slug}`,
        resume: `_resume_${tenant.slug}`,
      },
    },
    scopes: STANDARD_SCOPES,
    claims: {
      // How and when the user authenticated (amr: pwd, otp) travels in every ID token; so do
      // roles and permissions when the tenant asks for them (findAccount adds them only with
      // the roles scope granted).
      openid: ['sub', 'acr', 'amr', 'auth_time', ...(settings.rolesInIdToken ? ['roles', 'permissions'] : [])],
      profile: ['preferred_username', 'name', 'given_name', 'family_name', 'locale', 'picture'],
      email: ['email', 'email_verified'],
      roles: ['roles'],
    },
    responseTypes: ['code'],
    // A client may ask for a second factor with acr_values=urn:idp:acr:mfa.
    acrValues: ['urn:idp:acr:pwd', 'urn:idp:acr:mfa'],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    enabledJWA: {
      idTokenSigningAlgValues: ['RS256'],
      userinfoSigningAlgValues: ['RS256'],
      introspectionSigningAlgValues: ['RS256'],
    },
    // Every client, confidential included, must use PKCE (S256 is the only method in v9).
    pkce: { required: () => true },
    allowOmittingSingleRegisteredRedirectUri: false,
    rotateRefreshToken: () => true,
    issueRefreshToken: async (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    ttl: {
      AccessToken: (_ctx, token) => (token.resourceServer?.accessTokenTTL as number | undefined) ?? ttl.accessToken,
      ClientCredentials: (_ctx, token) =>
        (token.resourceServer?.accessTokenTTL as number | undefined) ?? ttl.accessToken,
      IdToken: ttl.idToken,
      RefreshToken: ttl.refreshToken,
      AuthorizationCode: ttl.authorizationCode,
      Interaction: ttl.interaction,
      // Sliding: every use of the session pushes its end by the idle timeout, never past the
      // absolute timeout counted from sign-in.
      Session: (_ctx, session) =>
        sessionLifetimeSeconds(sessionPolicy, (session as { loginTs?: number }).loginTs, Math.floor(Date.now() / 1000)),
      Grant: ttl.refreshToken,
    },
    // Scope claims (profile, email) travel in the ID token as well as at userinfo, as most
    // IdPs do (Keycloak, Entra ID): clients need not call userinfo for a name.
    conformIdTokenClaims: false,
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      userinfo: { enabled: true },
      // A client only ever learns about, or revokes, tokens issued to itself; a resource's
      // named resource servers also learn about tokens for that resource (introspectionClients).
      introspection: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) =>
          token.clientId === client.clientId || mayIntrospectFor(client, (token as { aud?: unknown }).aud),
      },
      revocation: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.type = 'html';
          ctx.body = renderLogoutPage({
            tenantName: tenant.displayName,
            clientName: ctx.oidc.client?.clientName,
            stylesheetHref: css,
            formHtml: form,
          });
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.type = 'html';
          ctx.body = renderLoggedOutPage({ tenantName: tenant.displayName, stylesheetHref: css });
        },
      },
      resourceIndicators: resourceIndicators({
        findResource,
        defaultAccessTokenTtl: ttl.accessToken,
        openIdScopes: STANDARD_SCOPES,
        rolesScope: ROLES_SCOPE,
      }),
    },
    extraClientMetadata: {
      properties: ['resources', 'first_party'],
    },
    loadExistingGrant: loadGrantWithImpliedConsent(sources.tokenAudit),
    // JWT access tokens carry roles and permissions: always for the admin API (its guard
    // reads them), for other APIs when the client asked for the `roles` scope.
    extraTokenClaims: async (ctx, token) => {
      if (!token.resourceServer) return undefined;
      const requested = new Set<string>([
        ...String(ctx.oidc.params?.scope ?? '').split(' '),
        ...String(ctx.oidc.entities.Grant?.getOIDCScope() ?? '').split(' '),
      ]);
      if (token.resourceServer.audience !== adminResource && !requested.has(ROLES_SCOPE)) return undefined;
      const accountId = (token as { accountId?: string }).accountId;
      if (accountId) return sources.accessOf('user', accountId);
      const client = await sources.findClient(token.clientId!);
      return client ? sources.accessOf('client', client.id) : { roles: [], permissions: [] };
    },
    findAccount: async (_ctx, sub) => {
      const user = await sources.findUser(sub);
      if (!user || user.disabled) return undefined;
      return {
        accountId: user.id,
        claims: async (use, scope) => {
          const scopes = new Set(String(scope ?? '').split(' '));
          if (!scopes.has(ROLES_SCOPE)) return { sub: user.id, ...userClaims(user, scopes) };
          // With conformIdTokenClaims off every scope claim would reach the ID token: roles go
          // there only when the tenant asks for them (rolesInIdToken), otherwise to userinfo.
          if (use === 'id_token' && !settings.rolesInIdToken) return { sub: user.id, ...userClaims(user, scopes) };
          const access = await sources.accessOf('user', user.id);
          const permissions = use === 'id_token' ? { permissions: access.permissions } : {};
          return { sub: user.id, ...userClaims(user, scopes), roles: access.roles, ...permissions };
        },
      };
    },
    interactions: {
      url: (_ctx, interaction) => `${new URL(issuer).pathname}/interaction/${interaction.uid}`,
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = renderErrorPage({
        title: 'Something went wrong',
        message: String(out.error_description ?? out.error),
        stylesheetHref: css,
      });
    },
    // CORS only for origins the tenant listed (its SPAs) and our own; everything else is refused.
    clientBasedCORS: (_ctx, origin) => corsOrigins.has(origin),
  };

  const provider = new Provider(issuer, configuration);
  shareKoaPrototypes(provider);
  provider.proxy = sources.trustProxy;
  // Protocol errors (4xx) are the client's business; only our own failures are logged.
  provider.on('server_error', (_ctx: unknown, error: Error) => sources.onServerError(error));
  provider.on('grant.success', (ctx: KoaContextWithOIDC) => sources.onTokenIssued(String(ctx.oidc.params?.grant_type)));

  // Stored "client_secret" is SHA-256(secret): compare hashes so the database never holds a
  // usable secret and sending the stored hash itself does not authenticate.
  provider.Client.prototype.compareClientSecret = function compareHashedSecret(
    this: { clientSecret?: string },
    actual: string,
  ) {
    return Promise.resolve(!!this.clientSecret && constantTimeEqual(this.clientSecret, sha256Base64Url(actual)));
  };

  const verificationKeys = createLocalJWKSet({ keys: publicJwks });
  provider.use(
    rejectMalformedProviderInput((message) => renderErrorPage({ title: 'Bad request', message, stylesheetHref: css })),
  );
  provider.use(auditTokenEvents(provider, sources.tokenAudit));
  provider.use(
    limitClientAuthFailures(sources.failures, tenant.id, sources.onClientAuthFailure, () =>
      sources.onClientLimited('client_auth'),
    ),
  );
  if (settings.rateLimits.clientRequestsPerMinute > 0) {
    provider.use(
      limitClientRequests(sources.throttle, tenant.id, settings.rateLimits.clientRequestsPerMinute, () =>
        sources.onClientLimited('client_requests'),
      ),
    );
  }
  provider.use(offlineAccessImpliesConsent);
  provider.use(clientAuthenticationRequired);
  provider.use(handleStructuredToken({ issuer, verificationKeys, denyList: sources.denyList, mayIntrospectFor }));
  provider.use(
    handleApiKeys({
      ...sources.apiKeys,
      tenantId: tenant.id,
      issuer,
      adminResource,
      rolesScope: ROLES_SCOPE,
      mayIntrospectFor,
      accessOf: (clientRowId) => sources.accessOf('client', clientRowId),
    }),
  );

  return { provider, issuer, publicJwks, verificationKeys, denyList: sources.denyList };
}

type KoaPrototypes = Pick<Provider, 'context' | 'request' | 'response'>;
let koaPrototypes: KoaPrototypes | undefined;

/**
 * Every tenant's provider inherits its request contexts from the same Koa prototypes. Koa
 * gives each app objects of its own to inherit from, so with many tenants active the request
 * contexts came in as many shapes, and every property access on them in Koa's and
 * oidc-provider's code fell back to V8's slowest (megamorphic) look-up. Neither oidc-provider
 * nor we put anything on these prototypes; `ctx.app` is still set per request.
 */
function shareKoaPrototypes(provider: Provider): void {
  koaPrototypes ??= { context: provider.context, request: provider.request, response: provider.response };
  Object.assign(provider, koaPrototypes);
}

export function clientMetadata(client: ClientEntity) {
  return {
    ...toProviderMetadata(client),
    resources: client.resources,
    first_party: client.firstParty,
  };
}

export type { KoaContextWithOIDC };
