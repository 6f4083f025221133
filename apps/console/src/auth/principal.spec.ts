import { can, decodeJwtPayload, principalFrom } from './principal';

const jwt = (payload: object) =>
  ['eyJhbGciOiJSUzI1NiJ9', Buffer.from(JSON.stringify(payload)).toString('base64url'), 'sig'].join('.');

describe('the signed-in principal, read from the admin access token', () => {
  it('an operator is signed in through the system tenant', () => {
    const token = jwt({
      iss: 'http://localhost:3000/t/system',
      sub: 'u1',
      roles: ['admin', 'user'],
      permissions: ['tenants:write', 'users:read'],
      exp: 1900000000,
    });
    const principal = principalFrom(token, { preferred_username: 'operator' });
    expect(principal).toEqual({
      tenant: 'system',
      subject: 'u1',
      username: 'operator',
      roles: ['admin', 'user'],
      permissions: ['tenants:write', 'users:read'],
      isOperator: true,
      expiresAt: 1900000000,
    });
    expect(can(principal, 'tenants:write')).toBe(true);
    expect(can(principal, 'users:write')).toBe(false);
  });

  it('a tenant admin is not an operator, and a token without permissions grants nothing', () => {
    const principal = principalFrom(jwt({ iss: 'https://id.example.com/idp/t/acme', sub: 'u2' }));
    expect(principal.tenant).toBe('acme');
    expect(principal.isOperator).toBe(false);
    expect(principal.permissions).toEqual([]);
    expect(can(principal, 'tenants:read')).toBe(false);
    expect(can(undefined, 'tenants:read')).toBe(false);
  });

  it('decodes UTF-8 claims and refuses what is not a JWT', () => {
    expect(decodeJwtPayload(jwt({ name: 'Zoë' })).name).toBe('Zoë');
    expect(() => decodeJwtPayload('opaque-token')).toThrow('not a JWT');
  });
});
