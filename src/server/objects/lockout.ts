// The last administrator cannot be locked out: a change to a role or an account that would
// leave no user able to manage accounts and roles is refused (issue 14).
//
// "Able to manage accounts and roles" means holding all ten of MANAGE_PERMISSIONS: with them
// a person can make an account, give it roles and edit roles, which is what it takes to hand
// out everything else they hold. The check runs inside the /set transaction, on the records
// as they will be: earlier records of the same /set are already in the store, the one being
// written is the change's `next`.

import type { SetError } from '../../shared/jmap/errors';
import { accountPermissions, accountRoleIds, BUILT_IN_ROLE_META, members, ownPermissions, type DirectoryReader } from '../auth/permissions';
import type { Store } from '../store/records';
import { statement } from '../store/statements';

type Obj = Record<string, unknown>;

export const MANAGE_PERMISSIONS: readonly string[] = ['sysRole', 'sysAccount'].flatMap((prefix) =>
  ['Get', 'Query', 'Create', 'Update', 'Destroy'].map((verb) => `${prefix}${verb}`),
);

export const LOCKOUT_MESSAGE =
  'This change would leave no account that can manage accounts and roles; give another account the Administrator role first';

/** One record about to be written: a role or an account, `next` null when it is destroyed. */
export interface Change {
  type: 'x:Role' | 'x:Account';
  id: string;
  prev: Obj | null;
  next: Obj | null;
}

/** Roles and accounts as they would be after the change, read once each. */
class After implements DirectoryReader {
  private readonly cache = new Map<string, Obj | null>();

  constructor(readonly store: Store, readonly change: Change | null) {}

  get(type: string, id: string): Obj | null {
    return type === 'x:Role' || type === 'x:Account' ? this.read(type, id) : this.store.get(type, id);
  }

  getMeta(key: string): string | null {
    return this.store.getMeta(key);
  }

  read(type: Change['type'], id: string): Obj | null {
    const key = `${type}\u0000${id}`;
    if (!this.cache.has(key)) {
      const c = this.change;
      this.cache.set(key, c && c.type === type && c.id === id ? c.next : this.store.get(type, id));
    }
    return this.cache.get(key)!;
  }

  /** The roles an account has, directly and through its groups. */
  accountRoles(account: Obj | null): string[] {
    return accountRoleIds(this, account);
  }

  /** What the roles (and everything they extend) enable and disable, before subtracting. */
  grants(roleIds: string[]): { enabled: Set<string>; disabled: Set<string> } {
    const enabled = new Set<string>();
    const disabled = new Set<string>();
    const seen = new Set<string>();
    const stack = [...roleIds];
    while (stack.length) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      const role = this.read('x:Role', id);
      if (!role) continue;
      for (const p of members(role.enabledPermissions)) enabled.add(p);
      for (const p of members(role.disabledPermissions)) disabled.add(p);
      stack.push(...members(role.roleIds));
    }
    return { enabled, disabled };
  }

  /** A user that holds every one of MANAGE_PERMISSIONS. */
  canManage(account: Obj | null): boolean {
    if (account?.['@type'] !== 'User') return false;
    const held = accountPermissions(this, account);
    return MANAGE_PERMISSIONS.every((p) => held.has(p));
  }
}

/**
 * Whether the change can take a MANAGE permission from anyone. What a role or an account
 * contributes to whoever includes it is what its closure enables and disables: when the
 * enabled part keeps every MANAGE permission it had and the disabled part gains none,
 * nobody (the account itself, members of a group, users of a role or of roles extending
 * it) loses one. Most writes (a description, a password, a role added) stop here.
 */
function canReduce(store: Store, change: Change): boolean {
  const before = new After(store, null);
  const after = new After(store, change);
  // Own permissions (Merge, Replace) of the account or its groups: worked out in full.
  const explicit = (view: After, v: Obj | null) =>
    !!v && [v, ...members(v.memberGroupIds).map((g) => view.read('x:Account', g))].some((a) => !!a && ownPermissions(a.permissions).kind !== 'Inherit');
  if (change.type === 'x:Account' && (explicit(before, change.prev) || explicit(after, change.next))) return true;
  const parents = (view: After, value: Obj | null) => (change.type === 'x:Role' ? (value ? [change.id] : []) : view.accountRoles(value));
  const was = before.grants(parents(before, change.prev));
  const will = after.grants(parents(after, change.next));
  return MANAGE_PERMISSIONS.some((p) => (was.enabled.has(p) && !will.enabled.has(p)) || (!was.disabled.has(p) && will.disabled.has(p)));
}

/** Accounts that name a record (an x:Role in `roles`, a group in `memberGroupIds`), from the refs index. */
function accountsReferring(store: Store, type: string, id: string): string[] {
  return statement(store, "SELECT from_id FROM refs WHERE to_type = ? AND to_id = ? AND from_type = 'x:Account'", { pluck: true }).all(type, id) as string[];
}

/** Accounts whose `roles` or `permissions` is of one variant (migration 5's indexes serve it). */
function accountsOfKind(store: Store, property: 'roles' | 'permissions', kind: string): string[] {
  return statement(store, `SELECT id FROM records WHERE type = 'x:Account' AND json_extract(data, '$.${property}."@type"') = ?`, { pluck: true }).all(kind) as string[];
}

/**
 * Whether some user can still manage accounts and roles after the change. Only users with
 * a role that leads to one enabling sysRoleUpdate can, so only they are looked at (through
 * the refs index), and the search stops at the first that qualifies. The changed record's
 * own references are not yet rewritten: it is looked at directly instead.
 */
function someoneCanManage(store: Store, change: Change): boolean {
  const view = new After(store, change);
  if (change.type === 'x:Account' && view.canManage(change.next)) return true;
  // Roles leading to one that enables sysRoleUpdate: from those roles, down the inheritance.
  const extendedBy = new Map<string, string[]>();
  const seeds: string[] = [];
  for (const [id, stored] of store.all('x:Role')) {
    const role = change.type === 'x:Role' && id === change.id ? change.next : stored;
    if (!role) continue;
    if (members(role.enabledPermissions).includes('sysRoleUpdate')) seeds.push(id);
    for (const parent of members(role.roleIds)) extendedBy.set(parent, [...(extendedBy.get(parent) ?? []), id]);
  }
  const leading = new Set<string>();
  while (seeds.length) {
    const id = seeds.pop()!;
    if (leading.has(id)) continue;
    leading.add(id);
    seeds.push(...(extendedBy.get(id) ?? []));
  }
  const looked = new Set<string>([change.id]);
  const qualifies = (id: string) => {
    if (looked.has(id)) return false;
    looked.add(id);
    return view.canManage(view.read('x:Account', id));
  };
  const groups: string[] = [];
  if (change.type === 'x:Account' && change.next?.['@type'] === 'Group') groups.push(change.id);
  const candidate = (id: string) => {
    if (view.read('x:Account', id)?.['@type'] === 'Group') groups.push(id);
    else return qualifies(id);
    return false;
  };
  for (const roleId of leading) {
    for (const id of accountsReferring(store, 'x:Role', roleId)) if (candidate(id)) return true;
  }
  // Accounts whose `roles` is Admin or User name no role id (no refs): found by their kind,
  // as are those with permissions of their own (Merge, Replace), which may grant directly.
  for (const kind of ['Admin', 'User'] as const) {
    const roleId = store.getMeta(BUILT_IN_ROLE_META[kind]);
    if (!roleId || !leading.has(roleId)) continue;
    for (const id of accountsOfKind(store, 'roles', kind)) if (candidate(id)) return true;
  }
  for (const kind of ['Merge', 'Replace']) for (const id of accountsOfKind(store, 'permissions', kind)) if (candidate(id)) return true;
  for (const g of new Set(groups)) {
    for (const id of accountsReferring(store, 'x:Account', g)) if (qualifies(id)) return true;
  }
  return false;
}

/**
 * The refusal for a change that would leave nobody able to manage accounts and roles, or
 * null. `properties` names what the change touched (the role's permissions or parents, the
 * account's roles or groups); a destroy names none.
 */
export function lockoutCheck(store: Store, change: Change, properties: string[] = []): SetError | null {
  if (!change.prev || !canReduce(store, change) || someoneCanManage(store, change)) return null;
  return { type: 'forbidden', description: LOCKOUT_MESSAGE, ...(properties.length ? { properties } : {}) };
}
