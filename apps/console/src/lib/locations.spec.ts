import { consoleLocations } from './locations';

describe('console locations from the <base href> the server writes', () => {
  it('at the root of the public URL', () => {
    const at = consoleLocations('http://localhost:3000/console/');
    expect(at).toMatchObject({
      publicUrl: 'http://localhost:3000',
      basePath: '/console',
      redirectUri: 'http://localhost:3000/console/callback',
      postLogoutRedirectUri: 'http://localhost:3000/console',
      adminApi: 'http://localhost:3000/admin',
    });
    expect(at.issuer('acme')).toBe('http://localhost:3000/t/acme');
  });

  it('under a path prefix of the public URL', () => {
    const at = consoleLocations('https://example.com/idp/console/');
    expect(at.publicUrl).toBe('https://example.com/idp');
    expect(at.basePath).toBe('/idp/console');
    expect(at.issuer('system')).toBe('https://example.com/idp/t/system');
  });
});
