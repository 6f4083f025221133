import { effectivePermissions, roleTree, topRoles } from './role-tree';

const roles = [
  { name: 'guest', permissions: [], includes: [] },
  { name: 'viewer', permissions: ['users:read', 'audit:read'], includes: ['guest'] },
  { name: 'user', permissions: [], includes: ['viewer'] },
  { name: 'admin', permissions: ['users:write', 'users:read'], includes: ['user', 'gone'] },
];

describe('composite roles', () => {
  it('shows what a role includes as a tree, marking roles that no longer exist', () => {
    const tree = roleTree('admin', roles);
    expect(tree.children.map((c) => c.name)).toEqual(['user', 'gone']);
    expect(tree.children[0].children[0].children[0]).toMatchObject({ name: 'guest', children: [] });
    expect(tree.children[1].missing).toBe(true);
  });

  it('stops at a cycle instead of recursing forever', () => {
    const cyclic = [
      { name: 'a', permissions: ['x:read'], includes: ['b'] },
      { name: 'b', permissions: ['y:read'], includes: ['a'] },
    ];
    expect(roleTree('a', cyclic).children[0].children[0]).toMatchObject({ name: 'a', repeated: true, children: [] });
    expect(topRoles(cyclic)).toEqual(['a']);
    expect(effectivePermissions('a', cyclic).map((p) => p.permission)).toEqual(['x:read', 'y:read']);
  });

  it('effective permissions come through includes, each credited to the nearest role that grants it', () => {
    expect(effectivePermissions('admin', roles)).toEqual([
      { permission: 'audit:read', from: 'viewer' },
      { permission: 'users:read', from: 'admin' },
      { permission: 'users:write', from: 'admin' },
    ]);
    expect(topRoles(roles)).toEqual(['admin']);
  });
});
