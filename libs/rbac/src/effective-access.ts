/** A role as far as resolution needs it. */
export interface RoleNode {
  name: string;
  permissions: string[];
  includes: string[];
}

/**
 * Expands assigned roles through their `includes` (composite roles), tolerating cycles,
 * into the effective role names and permissions, both sorted for stable tokens.
 */
export function effectiveAccess(
  assigned: string[],
  roles: Map<string, RoleNode>,
): { roles: string[]; permissions: string[] } {
  const seen = new Set<string>();
  const permissions = new Set<string>();
  const pending = [...assigned];
  while (pending.length) {
    const name = pending.pop()!;
    const role = roles.get(name);
    if (!role || seen.has(name)) continue;
    seen.add(name);
    role.permissions.forEach((p) => permissions.add(p));
    pending.push(...role.includes);
  }
  return { roles: [...seen].sort(), permissions: [...permissions].sort() };
}

/** Would making `name` include `includes` create a cycle? */
export function createsCycle(name: string, includes: string[], roles: Map<string, RoleNode>): boolean {
  const pending = [...includes];
  const seen = new Set<string>();
  while (pending.length) {
    const next = pending.pop()!;
    if (next === name) return true;
    if (seen.has(next)) continue;
    seen.add(next);
    pending.push(...(roles.get(next)?.includes ?? []));
  }
  return false;
}
