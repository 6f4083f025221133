import { createsCycle, effectiveAccess, type RoleNode } from './effective-access.js';

const roles = new Map<string, RoleNode>([
  ['guest', { name: 'guest', permissions: ['profile:read'], includes: [] }],
  ['viewer', { name: 'viewer', permissions: ['users:read'], includes: ['guest'] }],
  ['user', { name: 'user', permissions: ['orders:write'], includes: ['viewer'] }],
  ['admin', { name: 'admin', permissions: ['users:write'], includes: ['user'] }],
  ['loop-a', { name: 'loop-a', permissions: ['a'], includes: ['loop-b'] }],
  ['loop-b', { name: 'loop-b', permissions: ['b'], includes: ['loop-a'] }],
]);

describe('effectiveAccess', () => {
  it('expands a hierarchy admin > user > viewer > guest', () => {
    expect(effectiveAccess(['admin'], roles)).toEqual({
      roles: ['admin', 'guest', 'user', 'viewer'],
      permissions: ['orders:write', 'profile:read', 'users:read', 'users:write'],
    });
    expect(effectiveAccess(['viewer'], roles).permissions).toEqual(['profile:read', 'users:read']);
  });

  it('ignores unknown roles and survives cycles', () => {
    expect(effectiveAccess(['nope'], roles)).toEqual({ roles: [], permissions: [] });
    expect(effectiveAccess(['loop-a'], roles)).toEqual({ roles: ['loop-a', 'loop-b'], permissions: ['a', 'b'] });
  });

  it('detects a cycle before it is stored', () => {
    expect(createsCycle('guest', ['admin'], roles)).toBe(true);
    expect(createsCycle('admin', ['viewer'], roles)).toBe(false);
    expect(createsCycle('x', ['x'], roles)).toBe(true);
  });
});
