import {
  expandWildcards,
  grantableNames,
  permissionCatalog,
  unknownPermissions,
  type ResourcePermissionSource,
} from './permission-catalog.js';
import { ADMIN_PERMISSIONS } from './permissions.js';

const orders: ResourcePermissionSource = {
  identifier: 'https://orders.example',
  name: 'Orders API',
  scopes: ['orders:read', 'orders:write', 'read'],
  scopeDescriptions: { 'orders:write': 'Place and cancel orders' },
};
const billing: ResourcePermissionSource = { identifier: 'https://billing.example', name: 'Billing', scopes: ['read'] };

describe('permission catalog', () => {
  const catalog = permissionCatalog([orders, billing]);

  it('lists every admin permission with its resource type and a description', () => {
    const builtIn = catalog.filter((entry) => ADMIN_PERMISSIONS.includes(entry.permission as never));
    expect(builtIn.map((entry) => entry.permission)).toEqual([...ADMIN_PERMISSIONS]);
    expect(builtIn.find((entry) => entry.permission === 'users:read')).toEqual({
      resource: 'users',
      permission: 'users:read',
      description: expect.stringMatching(/^Admin API: read users/),
    });
    for (const entry of builtIn) expect(entry.description.length).toBeGreaterThan(15);
  });

  it("then each API's scopes as that API's permissions, APIs by identifier, with the given or a generated description", () => {
    const apis = catalog.slice(ADMIN_PERMISSIONS.length);
    expect(apis).toEqual([
      { resource: 'https://billing.example', permission: 'read', description: '"read" of Billing' },
      { resource: 'https://orders.example', permission: 'orders:read', description: '"orders:read" of Orders API' },
      { resource: 'https://orders.example', permission: 'orders:write', description: 'Place and cancel orders' },
      { resource: 'https://orders.example', permission: 'read', description: '"read" of Orders API' },
    ]);
  });

  it('names each unknown permission once, typos of built-in ones included', () => {
    expect(
      unknownPermissions(['users:read', 'users:delete', 'orders:read', 'users:delete', 'ordres:read'], catalog),
    ).toEqual(['users:delete', 'ordres:read']);
    expect(unknownPermissions([], catalog)).toEqual([]);
  });

  it('accepts type:* for the resource types it knows, and nothing broader', () => {
    const grantable = grantableNames(catalog);
    expect(grantable.has('users:*')).toBe(true);
    expect(grantable.has('orders:*')).toBe(true);
    expect(unknownPermissions(['tickets:*', '*:*', '*', 'read:*'], catalog)).toEqual([
      'tickets:*',
      '*:*',
      '*',
      'read:*',
    ]);
  });

  it('expands a wildcard into every registered action of its type, keeping the wildcard', () => {
    expect(expandWildcards(['users:*', 'audit:read'], catalog)).toEqual([
      'audit:read',
      'users:*',
      'users:read',
      'users:write',
    ]);
    expect(expandWildcards(['orders:*'], catalog)).toEqual(['orders:*', 'orders:read', 'orders:write']);
    expect(expandWildcards(['read'], catalog)).toEqual(['read']);
  });
});
