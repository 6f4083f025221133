import { InvalidTokenError } from './errors.js';
import { principalFromClaims, tenantOfIssuer } from './principal.js';
import { assertMeets, assertMeetsAll, requirement } from './requirements.js';

const context = { tokenType: 'jwt' as const, tenant: 'acme' };

describe('principal of a token', () => {
  it("maps a user's token: sub is the user, client_id the application", () => {
    const claims = {
      sub: 'user-1',
      client_id: 'web-app',
      scope: 'openid read roles',
      roles: ['user', 'viewer'],
      permissions: ['orders:read'],
      exp: 1_900_000_000,
    };
    expect(principalFromClaims(claims, context)).toEqual({
      sub: 'user-1',
      clientId: 'web-app',
      subjectType: 'user',
      scopes: ['openid', 'read', 'roles'],
      roles: ['user', 'viewer'],
      permissions: ['orders:read'],
      tenant: 'acme',
      tokenType: 'jwt',
      expiresAt: new Date(1_900_000_000_000),
      claims,
    });
  });

  it('maps a client-credentials token (sub = client_id, or no sub at introspection) to a client', () => {
    expect(principalFromClaims({ sub: 'svc', client_id: 'svc' }, context)).toMatchObject({
      sub: 'svc',
      subjectType: 'client',
      scopes: [],
      roles: [],
      permissions: [],
    });
    expect(principalFromClaims({ client_id: 'svc', active: true }, { ...context, tokenType: 'opaque' })).toMatchObject({
      sub: 'svc',
      clientId: 'svc',
      subjectType: 'client',
      tokenType: 'opaque',
    });
  });

  it('ignores malformed role and permission claims, and refuses a token naming nobody', () => {
    expect(principalFromClaims({ sub: 'u', roles: 'admin', permissions: [1, 'a:b'] }, context)).toMatchObject({
      roles: [],
      permissions: ['a:b'],
    });
    expect(() => principalFromClaims({ scope: 'read' }, context)).toThrow(InvalidTokenError);
  });

  it('reads the tenant slug from an issuer {PUBLIC_URL}/t/{slug}', () => {
    expect(tenantOfIssuer('https://id.example.com/t/acme')).toBe('acme');
    expect(tenantOfIssuer('http://localhost:3000/base/t/globex-2')).toBe('globex-2');
    expect(tenantOfIssuer('https://login.example.com')).toBeUndefined();
    expect(tenantOfIssuer('https://id.example.com/t/acme/extra')).toBeUndefined();
  });
});

describe('route requirements', () => {
  const caller = principalFromClaims(
    { sub: 'u', client_id: 'c', scope: 'read', roles: ['support'], permissions: ['orders:read', 'tickets:write'] },
    context,
  );

  it('all-of requirements pass when everything is held and name every missing item otherwise', () => {
    expect(() => assertMeets(caller, requirement('permission', 'all', ['orders:read']))).not.toThrow();
    expect(() => assertMeets(caller, requirement('permission', 'all', ['orders:read', 'orders:write']))).toThrow(
      'missing permission orders:write',
    );
    expect(() => assertMeets(caller, requirement('permission', 'all', ['a:b', 'c:d']))).toThrow(
      'missing permissions a:b, c:d',
    );
    expect(() => assertMeets(caller, requirement('role', 'all', ['admin']))).toThrow('missing role admin');
    expect(() => assertMeets(caller, requirement('scope', 'all', ['write']))).toThrow('missing scope write');
  });

  it('any-of requirements pass with one item held and list the choices otherwise', () => {
    expect(() => assertMeets(caller, requirement('role', 'any', ['admin', 'support']))).not.toThrow();
    expect(() => assertMeets(caller, requirement('permission', 'any', ['reports:read', 'admin:all']))).toThrow(
      'requires one of the permissions reports:read, admin:all',
    );
  });

  it('several requirements all apply', () => {
    const both = [requirement('role', 'any', ['support']), requirement('permission', 'all', ['orders:write'])];
    expect(() => assertMeetsAll(caller, both)).toThrow('missing permission orders:write');
  });

  it('refuses to declare a requirement naming nothing', () => {
    expect(() => requirement('permission', 'all', [])).toThrow(TypeError);
    expect(() => requirement('role', 'any', [''])).toThrow(TypeError);
  });
});
