/** A role as composition needs it. */
export interface RoleLike {
  name: string;
  permissions: string[];
  includes: string[];
}

export interface RoleTreeNode {
  name: string;
  /** Already shown higher up this branch: a cycle, not expanded again. */
  repeated: boolean;
  /** Named in `includes` but no such role exists (it was deleted). */
  missing: boolean;
  children: RoleTreeNode[];
}

/** What a role includes, as a tree (the server tolerates cycles, so does this). */
export function roleTree(name: string, roles: RoleLike[], ancestors: string[] = []): RoleTreeNode {
  const role = roles.find((r) => r.name === name);
  const repeated = ancestors.includes(name);
  return {
    name,
    repeated,
    missing: !role,
    children: repeated || !role ? [] : role.includes.map((child) => roleTree(child, roles, [...ancestors, name])),
  };
}

/** The roles no other role includes: the tops of the forest. */
export function topRoles(roles: RoleLike[]): string[] {
  const included = new Set(roles.flatMap((r) => r.includes));
  const tops = roles.filter((r) => !included.has(r.name)).map((r) => r.name);
  // Every role in a cycle is included by another: start those somewhere too.
  return tops.length ? tops : roles.slice(0, 1).map((r) => r.name);
}

/**
 * A role's permissions through everything it includes, each with the role it comes from
 * (the same expansion as the server's effectiveAccess), sorted.
 */
export function effectivePermissions(name: string, roles: RoleLike[]): { permission: string; from: string }[] {
  const byName = new Map(roles.map((r) => [r.name, r]));
  const found = new Map<string, string>();
  const seen = new Set<string>();
  const pending = [name];
  while (pending.length) {
    const next = pending.shift()!;
    const role = byName.get(next);
    if (!role || seen.has(next)) continue;
    seen.add(next);
    for (const permission of role.permissions) if (!found.has(permission)) found.set(permission, next);
    pending.push(...role.includes);
  }
  return [...found]
    .map(([permission, from]) => ({ permission, from }))
    .sort((a, b) => a.permission.localeCompare(b.permission));
}
