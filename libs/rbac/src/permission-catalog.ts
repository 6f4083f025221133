import { ADMIN_PERMISSIONS } from './permissions.js';

/** One permission a role may grant: what it is about, its name, and what it allows. */
export interface PermissionEntry {
  /** The resource type (`users`) for the admin API's own; the API resource's identifier for an API's. */
  resource: string;
  permission: string;
  description: string;
}

/** What the registry needs of an API resource: its scopes are its permissions. */
export interface ResourcePermissionSource {
  identifier: string;
  name: string;
  scopes: string[];
  scopeDescriptions?: Record<string, string>;
}

const ADMIN_NOUNS: Record<string, string> = {
  tenants: 'tenants and their settings',
  clients: 'applications, their secrets and API keys, and API resources',
  users: 'users, their passwords, second factors and lockouts',
  roles: 'roles and who holds them',
  sessions: 'sessions of users',
  audit: 'the audit trail',
  webhooks: 'webhook endpoints and their deliveries',
  providers: 'upstream identity providers (sign-in with another provider)',
};

function adminDescription(permission: string): string {
  const [type, action] = permission.split(':');
  const noun = ADMIN_NOUNS[type] ?? type;
  if (action === 'read') return `Admin API: read ${noun}`;
  if (action === 'write') return `Admin API: create, change and delete ${noun}`;
  return `Admin API: ${action} ${noun}`;
}

/** The admin API's permissions, by resource type (`tenants:read`, …). */
export function builtInPermissions(): PermissionEntry[] {
  return ADMIN_PERMISSIONS.map((permission) => ({
    resource: permission.split(':')[0],
    permission,
    description: adminDescription(permission),
  }));
}

export function isBuiltInPermission(permission: string): boolean {
  return (ADMIN_PERMISSIONS as readonly string[]).includes(permission);
}

/** Every permission of a tenant: the built-in ones first, then each API's scopes, by identifier. */
export function permissionCatalog(resources: ResourcePermissionSource[]): PermissionEntry[] {
  const apis = [...resources]
    .sort((a, b) => (a.identifier < b.identifier ? -1 : a.identifier > b.identifier ? 1 : 0))
    .flatMap((resource) =>
      resource.scopes.map((scope) => ({
        resource: resource.identifier,
        permission: scope,
        description: resource.scopeDescriptions?.[scope] ?? `"${scope}" of ${resource.name}`,
      })),
    );
  return [...builtInPermissions(), ...apis];
}

const WILDCARD = '*';

function typeOf(permission: string): string | undefined {
  const colon = permission.indexOf(':');
  return colon > 0 ? permission.slice(0, colon) : undefined;
}

function wildcardType(permission: string): string | undefined {
  return permission.endsWith(`:${WILDCARD}`) ? typeOf(permission) : undefined;
}

/**
 * The names a role may hold: each registered permission, and `type:*` (every action of a
 * resource type) for each type with at least one registered permission.
 */
export function grantableNames(catalog: PermissionEntry[]): Set<string> {
  const names = new Set<string>();
  for (const { permission } of catalog) {
    names.add(permission);
    const type = typeOf(permission);
    if (type) names.add(`${type}:${WILDCARD}`);
  }
  return names;
}

/** The permissions in `permissions` that the catalog does not know, in their order. */
export function unknownPermissions(permissions: string[], catalog: PermissionEntry[]): string[] {
  const grantable = grantableNames(catalog);
  return [...new Set(permissions)].filter((permission) => !grantable.has(permission));
}

/** `users:*` also stands for every registered `users:` permission, so tokens carry the real names. */
export function expandWildcards(permissions: string[], catalog: PermissionEntry[]): string[] {
  const expanded = new Set(permissions);
  for (const permission of permissions) {
    const type = wildcardType(permission);
    if (!type) continue;
    for (const entry of catalog) if (typeOf(entry.permission) === type) expanded.add(entry.permission);
  }
  return [...expanded].sort();
}

export function hasWildcard(permissions: string[]): boolean {
  return permissions.some((permission) => wildcardType(permission) !== undefined);
}
