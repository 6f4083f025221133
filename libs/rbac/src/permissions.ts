/** The permissions the admin API checks (`resource:action`). */
export const ADMIN_PERMISSIONS = [
  'tenants:read',
  'tenants:write',
  'clients:read',
  'clients:write',
  'users:read',
  'users:write',
  'roles:read',
  'roles:write',
  'sessions:read',
  'sessions:write',
  'audit:read',
  'webhooks:read',
  'webhooks:write',
  'providers:read',
  'providers:write',
] as const;
export type AdminPermission = (typeof ADMIN_PERMISSIONS)[number];

/** Seeded into every new tenant and editable afterwards: admin > user > viewer > guest. */
export const DEFAULT_ROLES = [
  { name: 'guest', description: 'Signed in, no rights of its own', permissions: [], includes: [] },
  {
    name: 'viewer',
    description: 'Reads the tenant (admin API) without changing it',
    permissions: ADMIN_PERMISSIONS.filter((p) => p.endsWith(':read')),
    includes: ['guest'],
  },
  {
    name: 'user',
    description: 'A regular member; add your applications’ permissions here',
    permissions: [],
    includes: ['viewer'],
  },
  {
    name: 'admin',
    description: 'Full rights over the tenant',
    permissions: [...ADMIN_PERMISSIONS],
    includes: ['user'],
  },
];
