import type { Principal } from '../auth/principal';
import { homePath, visibleNavigation } from './navigation';

const principal = (tenant: string, permissions: string[]): Principal => ({
  tenant,
  subject: 's',
  roles: [],
  permissions,
  isOperator: tenant === 'system',
  expiresAt: 0,
});

describe('what the navigation offers', () => {
  it('shows only the screens whose read permission the token carries', () => {
    const labels = visibleNavigation(principal('acme', ['users:read', 'audit:read'])).map((e) => e.label);
    expect(labels).toEqual(['Users', 'Audit trail']);
  });

  it('hides operator-only entries from tenant admins', () => {
    const entries = [{ path: 'x', label: 'X', permission: 'tenants:read' as const, operatorOnly: true }];
    expect(visibleNavigation(principal('acme', ['tenants:read']), entries)).toEqual([]);
    expect(visibleNavigation(principal('system', ['tenants:read']), entries)).toHaveLength(1);
  });

  it('lands operators on the tenant list and tenant admins in their tenant', () => {
    expect(homePath(principal('system', ['tenants:read']))).toBe('/tenants');
    expect(homePath(principal('acme', ['tenants:read']))).toBe('/t/acme');
  });
});
