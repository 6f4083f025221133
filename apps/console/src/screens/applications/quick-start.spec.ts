import { quickStartSnippet } from './quick-start';

const issuer = 'https://id.example.com/t/acme';

describe('the quick-start snippet of an application', () => {
  it('a service gets a client-credentials example with its secret from the environment', () => {
    const snippet = quickStartSnippet({
      issuer,
      clientId: 'svc1',
      applicationType: 'service',
      resource: 'https://api.acme',
    });
    expect(snippet).toContain(`new URL('${issuer}')`);
    expect(snippet).toContain("'svc1'");
    expect(snippet).toContain('clientCredentialsGrant');
    expect(snippet).toContain("resource: 'https://api.acme'");
    expect(snippet).not.toContain('buildAuthorizationUrl');
    const withoutResource = quickStartSnippet({ issuer, clientId: 'svc1', applicationType: 'service' });
    expect(withoutResource).toContain("clientCredentialsGrant(config, {\n  // resource: 'https://api.example.com'");
    expect(withoutResource).toContain('\n});\nconsole.log');
  });

  it('a web app signs users in with code + PKCE and its secret', () => {
    const snippet = quickStartSnippet({
      issuer,
      clientId: 'web1',
      applicationType: 'web',
      redirectUri: 'https://app/cb',
    });
    expect(snippet).toContain('process.env.CLIENT_SECRET');
    expect(snippet).toContain("code_challenge_method: 'S256'");
    expect(snippet).toContain("redirect_uri: 'https://app/cb'");
  });

  it('public clients (spa, native) authenticate with none and never mention a secret', () => {
    for (const applicationType of ['spa', 'native'] as const) {
      const snippet = quickStartSnippet({ issuer, clientId: 'pub', applicationType });
      expect(snippet).toContain('client.None()');
      expect(snippet).not.toContain('CLIENT_SECRET');
    }
  });
});
