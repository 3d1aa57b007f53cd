// Management › Directory › Roles: x:Role (seed 001), and the escalation rules that
// x:Account (accounts.ts) shares with it.

import { ascending, labelled, listPage, textProperty } from './builders';
import type { ObjectDef, WriteContext } from './define';
import { effectivePermissions, findRoleCycle, members, roleClosure } from '../auth/permissions';
import type { SetError } from '../../shared/jmap/errors';
import { deepEqual } from '../../shared/equal';
import { lockoutCheck } from './lockout';

type Obj = Record<string, unknown>;

function forbiddenToGrant(missing: string[]): SetError {
  return { type: 'forbidden', description: `You are not authorized to grant permissions: ${missing.join(', ')}` };
}

/**
 * A caller cannot grant a permission it does not hold. What a change to a role (or to
 * an account's roles) can grant, wherever the role is used: permissions newly enabled,
 * disables lifted, everything an added parent role grants, and everything a removed
 * parent role was disabling. Checked on the change itself, so roles and accounts that
 * extend the changed one are covered too.
 */
export function escalation(
  ctx: WriteContext,
  change: { prev: Obj | null; next: Obj; enabled?: string; disabled?: string; parents: string; parentsOf: (v: Obj | null) => string[] },
): SetError | null {
  const gains = new Map<string, Set<string>>();
  const gain = (property: string, perms: Iterable<string>) => {
    for (const p of perms) {
      if (ctx.caller.permissions.has(p)) continue;
      if (!gains.has(property)) gains.set(property, new Set());
      gains.get(property)!.add(p);
    }
  };
  if (change.enabled) {
    const before = new Set(members(change.prev?.[change.enabled]));
    gain(change.enabled, members(change.next[change.enabled]).filter((p) => !before.has(p)));
  }
  if (change.disabled) {
    const after = new Set(members(change.next[change.disabled]));
    gain(change.disabled, members(change.prev?.[change.disabled]).filter((p) => !after.has(p)));
  }
  const before = new Set(change.parentsOf(change.prev));
  const after = new Set(change.parentsOf(change.next));
  const added = [...after].filter((r) => !before.has(r));
  const removed = [...before].filter((r) => !after.has(r));
  gain(change.parents, effectivePermissions(ctx.store, added));
  for (const r of roleClosure(ctx.store, removed).values()) gain(change.parents, members(r.disabledPermissions));
  if (gains.size === 0) return null;
  const missing = [...new Set([...gains.values()].flatMap((g) => [...g]))].sort();
  return { ...forbiddenToGrant(missing), properties: [...gains.keys()] };
}

/**
 * Nobody changes or deletes a role or account that has permissions they do not hold
 * themselves: a help-desk user with sysAccountUpdate must not reset the administrator's
 * password, nor strip the administrator role.
 */
export function outranks(ctx: WriteContext, what: string, held: Set<string>): SetError | null {
  const missing = [...held].filter((p) => !ctx.caller.permissions.has(p)).sort();
  if (missing.length === 0) return null;
  const shown = missing.length > 5 ? `${missing.slice(0, 5).join(', ')} and ${missing.length - 5} more` : missing.join(', ');
  return { type: 'forbidden', description: `${what} has permissions you do not hold (${shown}), so you cannot change or delete it` };
}

/** The properties of `keys` whose values differ between the stored record and the next one. */
export const changed = (prev: Obj | null, next: Obj | null, keys: string[]) => keys.filter((k) => !deepEqual(prev?.[k] ?? {}, next?.[k] ?? {}));

// The built-in roles: Administrator (every permission) and User (what every user has).
const builtInRefusal = (prev: Obj): SetError => ({
  type: 'forbidden',
  description:
    members(prev.enabledPermissions).length > 0
      ? `The "${String(prev.description)}" role is built in: it always holds every permission and cannot be changed or deleted. To give someone less, make a new role`
      : `The "${String(prev.description)}" role is built in: it is what every user holds and cannot be changed or deleted. To give someone more, make a new role`,
});

export const role: ObjectDef = {
  name: 'x:Role',
  description: 'Defines a named set of permissions that can be assigned to accounts, groups, or tenants.',
  permissionPrefix: 'sysRole',
  fields: {
    properties: {
      description: textProperty('Description of the role', 'mutable', { maxLength: 1024 }),
      memberTenantId: {
        description: 'Identifier for the tenant this role belongs to',
        type: { type: 'objectId', objectName: 'x:Tenant', nullable: true },
        update: 'mutable',
      },
      roleIds: {
        description: 'List of roles this role extends',
        type: { type: 'set', class: { type: 'objectId', objectName: 'x:Role' } },
        update: 'mutable',
      },
      enabledPermissions: {
        description: 'List of permissions that are explicitly enabled.',
        type: { type: 'set', class: { type: 'enum', enumName: 'Permission' } },
        update: 'mutable',
      },
      disabledPermissions: {
        description:
          'List of permissions that are explicitly disabled, even if they would be inherited through other roles or groups. This takes precedence over enabled permissions.',
        type: { type: 'set', class: { type: 'enum', enumName: 'Permission' } },
        update: 'mutable',
      },
      builtIn: {
        description:
          'Postern extension: true on a role the server made itself (the Administrator role). A built-in role always holds every permission and can be neither changed nor deleted.',
        type: { type: 'boolean' },
        update: 'serverSet',
      },
    },
  },
  builtInProperty: 'builtIn',
  indexed: ['description', 'memberTenantId'],
  // Only the server makes built-in roles (bootstrap.ts writes them directly).
  onCreate(value) {
    value.builtIn = false;
  },
  // A role in use cannot be deleted (referential integrity), so deleting one takes nothing
  // from anyone: no lock-out check here.
  checkDestroy(ctx, id, prev) {
    if (prev.builtIn === true) return builtInRefusal(prev);
    return outranks(ctx, `Role "${prev.description}"`, effectivePermissions(ctx.store, [id]));
  },
  check(ctx, id, next, prev) {
    if (prev?.builtIn === true && !deepEqual(prev, next)) return builtInRefusal(prev);
    if (prev) {
      const err = outranks(ctx, `Role "${prev.description}"`, effectivePermissions(ctx.store, [id]));
      if (err) return err;
    }
    const cycle = findRoleCycle(ctx.store, id, members(next.roleIds));
    if (cycle) {
      return {
        type: 'validationFailed',
        description: `A role cannot extend itself: ${cycle.join(' → ')}`,
        properties: ['roleIds'],
        validationErrors: [{ type: 'Invalid', property: 'roleIds', description: `Inheritance cycle: ${cycle.join(' → ')}` }],
      };
    }
    const escalated = escalation(ctx, {
      prev,
      next,
      enabled: 'enabledPermissions',
      disabled: 'disabledPermissions',
      parents: 'roleIds',
      parentsOf: (v) => members(v?.roleIds),
    });
    return escalated ?? lockoutCheck(ctx.store, { type: 'x:Role', id, prev, next }, changed(prev, next, ['enabledPermissions', 'disabledPermissions', 'roleIds']));
  },
  form: {
    title: 'Role',
    subtitle: 'A named set of permissions for accounts, groups and tenants',
    sections: [
      { title: 'Role', fields: labelled({ description: 'Description', memberTenantId: 'Tenant' }) },
      { title: 'Inheritance', fields: labelled({ roleIds: 'Extends roles' }) },
      { title: 'Permissions', fields: labelled({ enabledPermissions: 'Enabled permissions', disabledPermissions: 'Disabled permissions' }) },
    ],
  },
  list: listPage({
    title: 'Roles',
    subtitle: 'Named sets of permissions',
    singularName: 'role', pluralName: 'roles',
    labelProperty: 'description',
    columns: labelled({ description: 'Description', memberTenantId: 'Tenant', roleIds: 'Extends' }),
    filters: [{ type: 'text', field: 'description', label: 'Description' }, { type: 'objectId', field: 'memberTenantId', label: 'Tenant', objectName: 'x:Tenant' }],
    sort: ascending('description'),
    related: [{ type: 'query', label: 'Roles extending it', objectName: 'x:Role', fieldName: 'roleIds' }],
  }),
};
