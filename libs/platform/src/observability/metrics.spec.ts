import { areaOf } from './metrics.js';

describe('areaOf', () => {
  it.each([
    ['/admin/tenants', 'admin'],
    ['/health/ready', 'ops'],
    ['/t/acme/token', 'token'],
    ['/t/acme/token/introspection', 'introspection'],
    ['/t/acme/token/revocation', 'revocation'],
    ['/t/acme/.well-known/openid-configuration', 'discovery'],
    ['/t/acme/jwks', 'jwks'],
    ['/t/acme/interaction/abc/login', 'pages'],
    ['/t/acme/auth?client_id=x', 'auth'],
    ['/favicon.ico', 'other'],
  ])('%s → %s', (path, area) => {
    expect(areaOf(path)).toBe(area);
  });
});
