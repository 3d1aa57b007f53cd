// Effective permissions of roles: the union of enabledPermissions over the roles and
// everything they extend, minus the union of disabledPermissions over the same set.

import type { Store } from '../store/records';

type Obj = Record<string, unknown>;
/** Members of a set-valued property (`{"id": true}`), or none. */
export const members = (v: unknown): string[] => Object.keys((v as Obj | null | undefined) ?? {});

/** Roles reachable from `roleIds` (included), following roleIds; cycles are tolerated. */
export function roleClosure(store: Store, roleIds: string[], override?: [string, Obj]): Map<string, Obj> {
  const seen = new Map<string, Obj>();
  const stack = [...roleIds];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    const role = override && override[0] === id ? override[1] : store.get('x:Role', id);
    if (!role) continue;
    seen.set(id, role);
    stack.push(...members(role.roleIds));
  }
  return seen;
}

export function effectivePermissions(store: Store, roleIds: string[], override?: [string, Obj]): Set<string> {
  const enabled = new Set<string>();
  const disabled = new Set<string>();
  for (const role of roleClosure(store, roleIds, override).values()) {
    for (const p of members(role.enabledPermissions)) enabled.add(p);
    for (const p of members(role.disabledPermissions)) disabled.add(p);
  }
  for (const p of disabled) enabled.delete(p);
  return enabled;
}

/** The roles an account has: its own, and those of the groups it is a member of. */
export function accountRoleIds(store: Store, account: Obj | null | undefined): string[] {
  if (!account) return [];
  const roles = members(account.roles);
  for (const gid of members(account.memberGroupIds)) roles.push(...members(store.get('x:Account', gid)?.roles));
  return roles;
}

/** The path back to `id` if giving it `parents` would close a cycle, else null. */
export function findRoleCycle(store: Store, id: string, parents: string[]): string[] | null {
  const visit = (current: string, path: string[], seen: Set<string>): string[] | null => {
    if (current === id) return [...path, current];
    if (seen.has(current)) return null;
    seen.add(current);
    const role = store.get('x:Role', current);
    for (const next of members(role?.roleIds)) {
      const found = visit(next, [...path, current], seen);
      if (found) return found;
    }
    return null;
  };
  const seen = new Set<string>();
  for (const p of parents) {
    const found = visit(p, [id], seen);
    if (found) return found;
  }
  return null;
}
