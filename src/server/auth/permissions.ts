// Effective permissions. A role's are the union of enabledPermissions over it and everything
// it extends, minus the union of disabledPermissions over the same set. A user's `roles` is
// Stalwart's x:UserRoles: `User` (the built-in User role), `Admin` (the built-in
// Administrator role) or `Custom{roleIds}`; a group's is x:Roles: `Default` (none) or `Custom`. A user holds what its roles and its groups' roles give (one
// closure, so a disable anywhere in it wins), then each group's `permissions` (Merge and
// Replace both add their enabled and remove their disabled: a group cannot take its members'
// own roles away), then its own `permissions`: `Inherit` leaves that as it is, `Merge` adds
// enabledPermissions and removes disabledPermissions, `Replace` holds exactly
// enabledPermissions minus disabledPermissions, whatever the roles say.

type Obj = Record<string, unknown>;

/** What resolution reads: records, and the meta naming the built-in roles (the store, or the lock-out rule's view of it). */
export interface DirectoryReader {
  get(type: string, id: string): Obj | null;
  getMeta(key: string): string | null;
}

/** Meta keys of the built-in roles that the `Admin` and `User` variants stand for. */
export const BUILT_IN_ROLE_META = { Admin: 'adminRoleId', User: 'userRoleId' } as const;

/** Members of a set-valued property (`{"id": true}`), or none. */
export const members = (v: unknown): string[] => Object.keys((v as Obj | null | undefined) ?? {});

/** The role ids an account's `roles` value stands for. */
export function rolesOf(reader: DirectoryReader, roles: unknown): string[] {
  const r = roles as Obj | null | undefined;
  const kind = r?.['@type'];
  if (kind === 'Custom') return members(r!.roleIds);
  if (kind === 'Admin' || kind === 'User') {
    const id = reader.getMeta(BUILT_IN_ROLE_META[kind]);
    return id ? [id] : [];
  }
  return [];
}

/** Roles reachable from `roleIds` (included), following roleIds; cycles are tolerated. */
export function roleClosure(reader: DirectoryReader, roleIds: string[], override?: [string, Obj]): Map<string, Obj> {
  const seen = new Map<string, Obj>();
  const stack = [...roleIds];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    const role = override && override[0] === id ? override[1] : reader.get('x:Role', id);
    if (!role) continue;
    seen.set(id, role);
    stack.push(...members(role.roleIds));
  }
  return seen;
}

export function effectivePermissions(reader: DirectoryReader, roleIds: string[], override?: [string, Obj]): Set<string> {
  const enabled = new Set<string>();
  const disabled = new Set<string>();
  for (const role of roleClosure(reader, roleIds, override).values()) {
    for (const p of members(role.enabledPermissions)) enabled.add(p);
    for (const p of members(role.disabledPermissions)) disabled.add(p);
  }
  for (const p of disabled) enabled.delete(p);
  return enabled;
}

/** The groups of a user (none for a group). */
function groupsOf(reader: DirectoryReader, account: Obj): Obj[] {
  if (account['@type'] !== 'User') return [];
  return members(account.memberGroupIds).flatMap((g): Obj[] => {
    const group = reader.get('x:Account', g);
    return group ? [group] : [];
  });
}

/** The roles an account has: its own, and those of the groups it is a member of. */
export function accountRoleIds(reader: DirectoryReader, account: Obj | null | undefined): string[] {
  if (!account) return [];
  return [rolesOf(reader, account.roles), ...groupsOf(reader, account).map((g) => rolesOf(reader, g.roles))].flat();
}

/** The enabled and disabled permissions of a `permissions` value (none for Inherit). */
export function ownPermissions(permissions: unknown): { kind: 'Inherit' | 'Merge' | 'Replace'; enabled: string[]; disabled: string[] } {
  const p = permissions as Obj | null | undefined;
  const kind = p?.['@type'] === 'Merge' || p?.['@type'] === 'Replace' ? (p['@type'] as 'Merge' | 'Replace') : 'Inherit';
  return kind === 'Inherit' ? { kind, enabled: [], disabled: [] } : { kind, enabled: members(p!.enabledPermissions), disabled: members(p!.disabledPermissions) };
}

function apply(base: Set<string>, permissions: unknown, replaceable: boolean): Set<string> {
  const own = ownPermissions(permissions);
  if (own.kind === 'Inherit') return base;
  const out = own.kind === 'Replace' && replaceable ? new Set<string>() : new Set(base);
  for (const p of own.enabled) out.add(p);
  for (const p of own.disabled) out.delete(p);
  return out;
}

/**
 * What an account holds (a user), or what it gives its members on top of their own roles
 * (a group): see the rules at the top of this file.
 */
export function accountPermissions(reader: DirectoryReader, account: Obj | null | undefined): Set<string> {
  if (!account) return new Set();
  let perms = effectivePermissions(reader, accountRoleIds(reader, account));
  for (const g of groupsOf(reader, account)) perms = apply(perms, g.permissions, false);
  // A group's Replace does not empty what it gives: its members keep its roles' permissions
  // (less those it disables), so that is what the group is judged by too.
  return apply(perms, account.permissions, account['@type'] !== 'Group');
}

/** The path back to `id` if giving it `parents` would close a cycle, else null. */
export function findRoleCycle(reader: DirectoryReader, id: string, parents: string[]): string[] | null {
  const visit = (current: string, path: string[], seen: Set<string>): string[] | null => {
    if (current === id) return [...path, current];
    if (seen.has(current)) return null;
    seen.add(current);
    const role = reader.get('x:Role', current);
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
