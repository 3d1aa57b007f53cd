// Effective permissions of a role: the union of enabledPermissions over the role and
// every role reachable through roleIds, minus the union of disabledPermissions over
// the same roles, remembering which role grants or denies each permission.

import { setMembers } from '../../lib/set';

export interface RoleLike {
  roleIds?: unknown;
  enabledPermissions?: unknown;
  disabledPermissions?: unknown;
}

export interface Effective {
  /** Permission → ids of roles enabling it, for permissions that end up granted. */
  granted: Map<string, string[]>;
  /** Permission → ids of roles disabling it, with the roles that would have granted it. */
  denied: Map<string, { deniedBy: string[]; grantedBy: string[] }>;
  /** Every role taken into account, the root first, breadth first. */
  roles: string[];
  /** Reachable role ids not present in `roles` (not loaded yet, or gone). */
  missing: string[];
}

/** Roles reachable from `rootId` (itself included) through roleIds; cycles are cut. */
export function reachableRoles(rootId: string, lookup: (id: string) => RoleLike | undefined): { found: string[]; missing: string[] } {
  const found: string[] = [];
  const missing: string[] = [];
  const seen = new Set([rootId]);
  const queue = [rootId];
  while (queue.length > 0) {
    const id = queue.shift()!;
    const role = lookup(id);
    if (!role) {
      missing.push(id);
      continue;
    }
    found.push(id);
    for (const parent of setMembers(role.roleIds)) {
      if (!seen.has(parent)) {
        seen.add(parent);
        queue.push(parent);
      }
    }
  }
  return { found, missing };
}

export function effectivePermissions(rootId: string, lookup: (id: string) => RoleLike | undefined): Effective {
  const { found, missing } = reachableRoles(rootId, lookup);
  const enabled = new Map<string, string[]>();
  const disabled = new Map<string, string[]>();
  const add = (m: Map<string, string[]>, perm: string, id: string) => m.set(perm, [...(m.get(perm) ?? []), id]);
  for (const id of found) {
    const role = lookup(id)!;
    for (const p of setMembers(role.enabledPermissions)) add(enabled, p, id);
    for (const p of setMembers(role.disabledPermissions)) add(disabled, p, id);
  }
  const granted = new Map<string, string[]>();
  const denied = new Map<string, { deniedBy: string[]; grantedBy: string[] }>();
  for (const [perm, by] of enabled) {
    const deniedBy = disabled.get(perm);
    if (deniedBy) denied.set(perm, { deniedBy, grantedBy: by });
    else granted.set(perm, by);
  }
  for (const [perm, deniedBy] of disabled) if (!denied.has(perm)) denied.set(perm, { deniedBy, grantedBy: [] });
  return { granted, denied, roles: found, missing };
}
