// Management › Directory: x:Role (seed 001), x:Tenant and x:Account (users and groups,
// enough to sign in as non-admin users whose permissions come from roles).

import { ascending, descriptionProperty, labelled, listPage, textProperty } from './builders';
import type { ObjectDef, WriteContext } from './define';
import { accountRoleIds, effectivePermissions, findRoleCycle, members, roleClosure } from '../auth/permissions';
import type { SetError } from '../../shared/jmap/errors';
import { deepEqual } from '../../shared/equal';
import { endAccountSessions } from '../auth/oauthStore';
import type { FieldsEntry, ItemAction, List, ListFilter } from '../../shared/schema/types';
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
function escalation(
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
function outranks(ctx: WriteContext, what: string, held: Set<string>): SetError | null {
  const missing = [...held].filter((p) => !ctx.caller.permissions.has(p)).sort();
  if (missing.length === 0) return null;
  const shown = missing.length > 5 ? `${missing.slice(0, 5).join(', ')} and ${missing.length - 5} more` : missing.join(', ');
  return { type: 'forbidden', description: `${what} has permissions you do not hold (${shown}), so you cannot change or delete it` };
}

/** The properties of `keys` whose values differ between the stored record and the next one. */
const changed = (prev: Obj | null, next: Obj | null, keys: string[]) => keys.filter((k) => !deepEqual(prev?.[k] ?? {}, next?.[k] ?? {}));

const builtInRefusal = (prev: Obj): SetError => ({
  type: 'forbidden',
  description: `The "${String(prev.description)}" role is built in: it always holds every permission and cannot be changed or deleted. To give someone less, make a new role`,
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

export const tenant: ObjectDef = {
  name: 'x:Tenant',
  description: 'A tenant: an organisation whose accounts and roles are managed together.',
  permissionPrefix: 'sysTenant',
  fields: {
    properties: {
      name: textProperty('Unique name of the tenant', 'mutable', { maxLength: 255 }),
      description: descriptionProperty('Description of the tenant'),
    },
  },
  unique: ['name'],
  indexed: ['name'],
  form: { title: 'Tenant', sections: [{ fields: labelled({ name: 'Name', description: 'Description' }) }] },
  list: listPage({
    title: 'Tenants',
    subtitle: 'Organisations sharing this server',
    singularName: 'tenant', pluralName: 'tenants',
    labelProperty: 'name',
    columns: labelled({ name: 'Name', description: 'Description' }),
    filters: [{ type: 'text', field: 'name', label: 'Name' }],
    sort: ascending('name'),
    related: [{ type: 'query', label: 'Show roles', objectName: 'x:Role', fieldName: 'memberTenantId' }],
  }),
};

const common = {
  name: textProperty('Login name of the account, or name of the group: letters, digits and . _ - + @', 'immutable', {
    format: 'loginName',
    maxLength: 255,
  }),
  description: descriptionProperty('Full name or description'),
  roles: {
    description: 'Roles whose permissions this account has',
    type: { type: 'set', class: { type: 'objectId', objectName: 'x:Role' } },
    update: 'mutable',
  },
  memberTenantId: {
    description: 'Tenant this account belongs to',
    type: { type: 'objectId', objectName: 'x:Tenant', nullable: true },
    update: 'mutable',
  },
} satisfies FieldsEntry['properties'];

const userFields: FieldsEntry = {
  properties: {
    ...common,
    password: {
      description: 'Password used to sign in. Stored hashed and never returned.',
      type: { type: 'string', format: 'secret', nullable: true, maxLength: 1024 },
      update: 'mutable',
    },
    memberGroupIds: {
      description: 'Groups this account is a member of; it has their roles too',
      type: { type: 'set', class: { type: 'objectId', objectName: 'x:Account/Group' } },
      update: 'mutable',
    },
  },
};

const accountRoles = (ctx: WriteContext, value: Obj | null): string[] => accountRoleIds(ctx.store, value);

const nameFilter: ListFilter = { type: 'text', field: 'name', label: 'Name' };
const roleFilter: ListFilter = { type: 'objectId', field: 'roles', label: 'Role', objectName: 'x:Role' };

/** The accounts list and its views' lists differ only in their words, filters, kind and jumps. */
function accountList(
  words: Pick<List, 'title' | 'subtitle' | 'singularName' | 'pluralName'>,
  filters: ListFilter[],
  kind?: 'User' | 'Group',
  related: ItemAction[] = [],
): List {
  return listPage({
    ...words,
    labelProperty: 'name',
    columns: labelled({ name: 'Name', description: 'Description', roles: 'Roles' }),
    filters,
    ...(kind ? { filtersStatic: { '@type': kind } } : {}),
    sort: ascending('name'),
    related,
  });
}

export const account: ObjectDef = {
  name: 'x:Account',
  description: 'A user who can sign in, or a group of users.',
  permissionPrefix: 'sysAccount',
  variants: [
    { name: 'User', label: 'User', fields: userFields },
    { name: 'Group', label: 'Group', fields: { properties: { ...common } } },
  ],
  unique: ['name'],
  indexed: ['name', '@type'],
  // A new password ends the account's OAuth sessions: whoever knew the old one is out.
  afterWrite(ctx, id, next, prev) {
    if (prev && next.password !== prev.password) {
      endAccountSessions(ctx.store.db, id);
    }
  },
  checkDestroy(ctx, id, prev) {
    if (id === ctx.caller.accountId) return { type: 'forbidden', description: 'You cannot delete the account you are signed in with' };
    return (
      outranks(ctx, `Account "${prev.name}"`, effectivePermissions(ctx.store, accountRoles(ctx, prev))) ??
      lockoutCheck(ctx.store, { type: 'x:Account', id, prev, next: null })
    );
  },
  check(ctx, id, next, prev) {
    if (prev) {
      const err = outranks(ctx, `Account "${prev.name}"`, effectivePermissions(ctx.store, accountRoles(ctx, prev)));
      if (err) return err;
    }
    const groupsChanged = !deepEqual(members(prev?.memberGroupIds).sort(), members(next.memberGroupIds).sort());
    const escalated = escalation(ctx, {
      prev,
      next,
      parents: groupsChanged ? 'memberGroupIds' : 'roles',
      parentsOf: (v) => accountRoles(ctx, v),
    });
    return escalated ?? lockoutCheck(ctx.store, { type: 'x:Account', id, prev, next }, changed(prev, next, ['roles', 'memberGroupIds']));
  },
  form: {
    title: 'Account',
    sections: [
      { title: 'Account', fields: labelled({ name: 'Name', description: 'Description', password: 'Password' }) },
      { title: 'Access', fields: labelled({ roles: 'Roles', memberGroupIds: 'Member of groups', memberTenantId: 'Tenant' }) },
    ],
  },
  list: accountList({ title: 'Accounts', subtitle: 'Users and groups', singularName: 'account', pluralName: 'accounts' }, [nameFilter, roleFilter]),
  views: {
    'x:Account/User': {
      description: 'Users who can sign in',
      filter: { '@type': 'User' },
      list: accountList(
        { title: 'Users', subtitle: 'People who can sign in', singularName: 'user', pluralName: 'users' },
        [nameFilter, roleFilter],
        'User',
      ),
    },
    'x:Account/Group': {
      description: 'Groups of users',
      filter: { '@type': 'Group' },
      list: accountList(
        { title: 'Groups', subtitle: 'Groups of users that share roles', singularName: 'group', pluralName: 'groups' },
        [nameFilter],
        'Group',
        [{ type: 'query', label: 'Show members', objectName: 'x:Account/User', fieldName: 'memberGroupIds' }],
      ),
      form: {
        title: 'Group',
        sections: [
          { title: 'Group', fields: labelled({ name: 'Name', description: 'Description' }) },
          { title: 'Access', fields: labelled({ roles: 'Roles', memberTenantId: 'Tenant' }) },
        ],
      },
    },
  },
};
