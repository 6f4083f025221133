import type { ClientEntity } from './client.entity.js';

/** Scopes every OIDC client may ask for in addition to its own list. */
export const STANDARD_SCOPES = ['openid', 'profile', 'email', 'offline_access', 'roles'];

/**
 * Translates our application types into oidc-provider client metadata. The registered
 * `client_secret` is the SHA-256 of the real secret; the provider compares hashes (see
 * the per-tenant provider factory), so the database never holds a usable secret.
 */
export function toProviderMetadata(client: ClientEntity): Record<string, unknown> {
  // `scope` limits only the OIDC scopes; API scopes are governed by each resource.
  const oidcScopes = client.scopes.filter((s) => STANDARD_SCOPES.includes(s));
  const scope = (oidcScopes.length ? oidcScopes : STANDARD_SCOPES).join(' ');
  const common = { client_id: client.clientId, client_name: client.name, scope };
  switch (client.applicationType) {
    case 'service':
      return {
        ...common,
        client_secret: client.secretHash,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_basic',
      };
    case 'web':
      return {
        ...common,
        client_secret: client.secretHash,
        application_type: 'web',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: client.redirectUris,
        post_logout_redirect_uris: client.postLogoutRedirectUris,
        token_endpoint_auth_method: 'client_secret_basic',
      };
    case 'spa':
    case 'native':
      return {
        ...common,
        application_type: client.applicationType === 'native' ? 'native' : 'web',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: client.redirectUris,
        post_logout_redirect_uris: client.postLogoutRedirectUris,
        token_endpoint_auth_method: 'none',
      };
  }
}
