import type { ClientEntity } from './client.entity.js';
import { toProviderMetadata } from './client-metadata.js';

const client = (overrides: Partial<ClientEntity>): ClientEntity =>
  ({
    clientId: 'c1',
    name: 'App',
    applicationType: 'web',
    secretHash: 'hash',
    redirectUris: ['https://app.example/cb'],
    postLogoutRedirectUris: [],
    scopes: [],
    resources: [],
    firstParty: false,
    ...overrides,
  }) as ClientEntity;

describe('toProviderMetadata', () => {
  it('web: confidential, code + refresh, registered redirect URIs', () => {
    expect(toProviderMetadata(client({}))).toMatchObject({
      client_secret: 'hash',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      redirect_uris: ['https://app.example/cb'],
    });
  });

  it.each(['spa', 'native'] as const)('%s: public client with no secret', (applicationType) => {
    const metadata = toProviderMetadata(client({ applicationType, secretHash: null }));
    expect(metadata.token_endpoint_auth_method).toBe('none');
    expect(metadata.client_secret).toBeUndefined();
    expect(metadata.grant_types).toEqual(['authorization_code', 'refresh_token']);
  });

  it('service: client credentials only, no redirects', () => {
    expect(toProviderMetadata(client({ applicationType: 'service', redirectUris: [] }))).toMatchObject({
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
    });
  });

  it('limits OIDC scopes to the ones the client lists, and ignores API scopes there', () => {
    expect(toProviderMetadata(client({ scopes: ['openid', 'email', 'read:things'] })).scope).toBe('openid email');
    expect(toProviderMetadata(client({ scopes: [] })).scope).toBe('openid profile email offline_access roles');
  });
});
