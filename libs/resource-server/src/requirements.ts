import { InsufficientScopeError } from './errors.js';
import type { Principal } from './principal.js';

/** What a route asks of the caller's token: all, or at least one, of some permissions, roles or scopes. */
export interface Requirement {
  kind: 'permission' | 'role' | 'scope';
  mode: 'all' | 'any';
  values: string[];
}

const HELD: Record<Requirement['kind'], (principal: Principal) => string[]> = {
  permission: (principal) => principal.permissions,
  role: (principal) => principal.roles,
  scope: (principal) => principal.scopes,
};

export function requirement(kind: Requirement['kind'], mode: Requirement['mode'], values: string[]): Requirement {
  // An empty list would be satisfied by anyone (all of nothing) or no one (any of nothing):
  // neither is what the author meant, so say so when the route is declared.
  if (values.length === 0 || values.some((value) => typeof value !== 'string' || value === '')) {
    throw new TypeError(`a ${kind} requirement needs at least one non-empty name`);
  }
  return { kind, mode, values: [...values] };
}

function plural(kind: string, count: number): string {
  return count === 1 ? kind : `${kind}s`;
}

/** Throws 403 `insufficient_scope` naming what is missing, or returns when the principal meets `required`. */
export function assertMeets(principal: Principal, required: Requirement): void {
  const held = new Set(HELD[required.kind](principal));
  const scopes = required.kind === 'scope' ? required.values : [];
  if (required.mode === 'any') {
    if (required.values.some((value) => held.has(value))) return;
    const message = `requires one of the ${plural(required.kind, 2)} ${required.values.join(', ')}`;
    throw new InsufficientScopeError(message, scopes);
  }
  const missing = required.values.filter((value) => !held.has(value));
  if (missing.length === 0) return;
  throw new InsufficientScopeError(`missing ${plural(required.kind, missing.length)} ${missing.join(', ')}`, scopes);
}

export function assertMeetsAll(principal: Principal, requirements: readonly Requirement[]): void {
  for (const required of requirements) assertMeets(principal, required);
}
