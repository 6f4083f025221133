import type { Permission, Principal } from '../auth/principal';

/**
 * The tenant's screens in the side navigation. One entry per screen, shown only when the
 * signed-in principal may read what it shows; a new screen (identity providers) is one
 * more entry here and one route in routes.tsx.
 */
export interface NavEntry {
  path: string;
  label: string;
  permission: Permission;
  /** Only for principals of the system tenant. */
  operatorOnly?: boolean;
}

export const TENANT_NAVIGATION: NavEntry[] = [
  { path: '', label: 'Dashboard', permission: 'tenants:read' },
  { path: 'applications', label: 'Applications', permission: 'clients:read' },
  { path: 'resources', label: 'API resources', permission: 'clients:read' },
  { path: 'roles', label: 'Roles', permission: 'roles:read' },
  { path: 'users', label: 'Users', permission: 'users:read' },
  { path: 'audit', label: 'Audit trail', permission: 'audit:read' },
  { path: 'webhooks', label: 'Webhooks', permission: 'webhooks:read' },
  { path: 'settings', label: 'Settings', permission: 'tenants:read' },
];

export function visibleNavigation(principal: Principal, entries = TENANT_NAVIGATION): NavEntry[] {
  return entries.filter(
    (entry) => principal.permissions.includes(entry.permission) && (!entry.operatorOnly || principal.isOperator),
  );
}

/** Where a principal lands after signing in: operators on the tenant list, others in their tenant. */
export function homePath(principal: Principal): string {
  if (principal.isOperator && principal.permissions.includes('tenants:read')) return '/tenants';
  return `/t/${principal.tenant}`;
}
