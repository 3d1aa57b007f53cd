// Nobody can leave the server without an account that manages accounts and roles, by any
// path: own roles, groups, role edits, deletes, or several records of one /set.

import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing';
import { account, create, getOne, makeUser, set, snapshot, uniq, userAccount } from '../testkit';
import { LOCKOUT_MESSAGE, MANAGE_PERMISSIONS } from './lockout';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A fresh server, its administrator's id and the built-in role's id. */
async function fresh() {
  const server = await startTestServer();
  servers.push(server);
  const [, q] = await server.call('x:Account/query', { filter: { name: 'admin' } });
  const adminId = q.ids[0];
  expect((await getOne(server, 'x:Account', adminId))!.roles).toEqual({ '@type': 'Admin' });
  const adminRoleId = server.store.getMeta('adminRoleId')!;
  return { server, adminId, adminRoleId };
}

const asSet = (perms: readonly string[]) => Object.fromEntries(perms.map((p) => [p, true]));

/** A user holding exactly the ten permissions that make one able to manage accounts and roles. */
const manager = (server: TestServer) => makeUser(server, [...MANAGE_PERMISSIONS]);

function expectLockout(error: { type: string; description?: string; properties?: string[] } | undefined, properties?: string[]) {
  expect(error?.type, JSON.stringify(error)).toBe('forbidden');
  expect(error?.description).toBe(LOCKOUT_MESSAGE);
  expect(error?.properties).toEqual(properties);
}

describe('the only administrator', () => {
  it('cannot remove their own Administrator role, and nothing changes', async () => {
    const { server, adminId } = await fresh();
    const before = snapshot(server, 'x:Account');
    const res = await set(server, 'x:Account', { update: { [adminId]: { roles: { '@type': 'Custom', roleIds: {} } } } });
    expectLockout(res.notUpdated?.[adminId], ['roles']);
    expect(snapshot(server, 'x:Account')).toBe(before);
    expect((await account(server, 'admin', 'test-admin-password')).permissions).toEqual(expect.arrayContaining([...MANAGE_PERMISSIONS]));
  });

  it('cannot take a role or join a group that disables role editing', async () => {
    const { server, adminId, adminRoleId } = await fresh();
    const disabling = await create(server, 'x:Role', { description: uniq('no role edits '), disabledPermissions: { sysRoleUpdate: true } });
    const res = await set(server, 'x:Account', { update: { [adminId]: { roles: { '@type': 'Custom', roleIds: { [adminRoleId]: true, [disabling]: true } } } } });
    expectLockout(res.notUpdated?.[adminId], ['roles']);
    const group = await create(server, 'x:Account', { '@type': 'Group', name: uniq('g'), roles: { '@type': 'Custom', roleIds: { [disabling]: true } } });
    const joined = await set(server, 'x:Account', { update: { [adminId]: { memberGroupIds: { [group]: true } } } });
    expectLockout(joined.notUpdated?.[adminId], ['memberGroupIds']);
    // A change that takes nothing away goes through: another role, a new description.
    const other = await create(server, 'x:Role', { description: uniq('extra '), enabledPermissions: { sysTenantGet: true } });
    const ok = await set(server, 'x:Account', { update: { [adminId]: { roles: { '@type': 'Custom', roleIds: { [adminRoleId]: true, [other]: true } }, description: 'Me' } } });
    expect(ok.updated).toEqual({ [adminId]: null });
  });

  it('can step down once another account can manage accounts and roles', async () => {
    const { server, adminId } = await fresh();
    const m = await manager(server);
    const res = await set(server, 'x:Account', { update: { [adminId]: { roles: { '@type': 'Custom', roleIds: {} } } } });
    expect(res.updated).toEqual({ [adminId]: null });
    // The manager, now the only one, is held by the same rule.
    const self = await set(server, 'x:Account', { update: { [m.accountId]: { roles: { '@type': 'Custom', roleIds: {} } } } }, m);
    expectLockout(self.notUpdated?.[m.accountId], ['roles']);
  });
});

describe('a role the last managers depend on', () => {
  it('cannot lose an enabled permission, gain a disabled one, or a disabling parent', async () => {
    const { server, adminId } = await fresh();
    const m = await manager(server);
    await set(server, 'x:Account', { update: { [adminId]: { roles: { '@type': 'Custom', roleIds: {} } } } });
    const disabling = await create(server, 'x:Role', { description: uniq('no creates '), disabledPermissions: { sysRoleCreate: true } }, m);
    const before = snapshot(server, 'x:Role');
    const res = await set(server, 'x:Role', { update: { [m.roleId]: { 'enabledPermissions/sysAccountDestroy': null } } }, m);
    expectLockout(res.notUpdated?.[m.roleId], ['enabledPermissions']);
    const dis = await set(server, 'x:Role', { update: { [m.roleId]: { 'disabledPermissions/sysRoleCreate': true } } }, m);
    expectLockout(dis.notUpdated?.[m.roleId], ['disabledPermissions']);
    const parent = await set(server, 'x:Role', { update: { [m.roleId]: { roleIds: { [disabling]: true } } } }, m);
    expectLockout(parent.notUpdated?.[m.roleId], ['roleIds']);
    expect(snapshot(server, 'x:Role')).toBe(before);
    const renamed = await set(server, 'x:Role', { update: { [m.roleId]: { description: uniq('managers ') } } }, m);
    expect(renamed.updated).toEqual({ [m.roleId]: null });
  });

  it('a role reached through inheritance counts, and so does a parent that disables', async () => {
    const { server, adminId } = await fresh();
    const base = await create(server, 'x:Role', { description: uniq('base '), enabledPermissions: asSet(MANAGE_PERMISSIONS) });
    const m = await makeUser(server, [], { roleIds: [base] });
    await set(server, 'x:Account', { update: { [adminId]: { roles: { '@type': 'Custom', roleIds: {} } } } });
    const res = await set(server, 'x:Role', { update: { [base]: { 'disabledPermissions/sysAccountQuery': true } } }, m);
    expectLockout(res.notUpdated?.[base], ['disabledPermissions']);
  });
});

describe('groups', () => {
  it('members who manage through a group keep it: its roles and their membership', async () => {
    const { server, adminId } = await fresh();
    const role = await create(server, 'x:Role', { description: uniq('managers '), enabledPermissions: asSet(MANAGE_PERMISSIONS) });
    const group = await create(server, 'x:Account', { '@type': 'Group', name: uniq('admins'), roles: { '@type': 'Custom', roleIds: { [role]: true } } });
    const name = uniq('member');
    const id = await create(server, 'x:Account', userAccount(name, 'member-Passw0rd', undefined, { memberGroupIds: { [group]: true } }));
    const who = { user: name, password: 'member-Passw0rd' };
    await set(server, 'x:Account', { update: { [adminId]: { roles: { '@type': 'Custom', roleIds: {} } } } });
    const emptied = await set(server, 'x:Account', { update: { [group]: { roles: { '@type': 'Custom', roleIds: {} } } } }, who);
    expectLockout(emptied.notUpdated?.[group], ['roles']);
    const left = await set(server, 'x:Account', { update: { [id]: { memberGroupIds: {} } } }, who);
    expectLockout(left.notUpdated?.[id], ['memberGroupIds']);
  });
});

describe('one /set', () => {
  it('sees the records written before the one it checks', async () => {
    const { server, adminId, adminRoleId } = await fresh();
    const other = await makeUser(server, []);
    // Stepping down first, before the other account has the role: refused; the grant lands.
    const wrongOrder = await set(server, 'x:Account', {
      update: { [adminId]: { roles: { '@type': 'Custom', roleIds: {} } }, [other.accountId]: { [`roles/roleIds/${adminRoleId}`]: true } },
    });
    expectLockout(wrongOrder.notUpdated?.[adminId], ['roles']);
    expect(wrongOrder.updated).toEqual({ [other.accountId]: null });
    const rightOrder = await set(server, 'x:Account', { update: { [other.accountId]: { description: 'Admin now' }, [adminId]: { roles: { '@type': 'Custom', roleIds: {} } } } });
    expect(rightOrder.updated).toEqual({ [other.accountId]: null, [adminId]: null });
  });

  it('refuses deleting the last other manager after stepping down in the same request', async () => {
    const { server, adminId, adminRoleId } = await fresh();
    const other = await makeUser(server, [], { roleIds: [adminRoleId] });
    const res = await set(server, 'x:Account', { update: { [adminId]: { roles: { '@type': 'Custom', roleIds: {} } } }, destroy: [other.accountId] });
    expect(res.updated).toEqual({ [adminId]: null });
    expectLockout(res.notDestroyed?.[other.accountId], undefined);
    expect(server.store.get('x:Account', other.accountId)).not.toBeNull();
  });
});

describe('the built-in Administrator role', () => {
  it('holds every permission, is marked built in, and the schema says which property marks it', async () => {
    const { server, adminRoleId } = await fresh();
    const role = (await getOne(server, 'x:Role', adminRoleId))!;
    expect(role.builtIn).toBe(true);
    expect(role.disabledPermissions).toEqual({});
    const schema = (await (await server.raw('/api/schema')).json()) as { objects: Record<string, { builtInProperty?: string }> };
    expect(schema.objects['x:Role'].builtInProperty).toBe('builtIn');
    const mine = await create(server, 'x:Role', { description: uniq('mine ') });
    expect((await getOne(server, 'x:Role', mine))!.builtIn).toBe(false);
  });

  it('cannot be changed or deleted, even by an administrator; an unchanged write is no change', async () => {
    const { server, adminId, adminRoleId } = await fresh();
    const before = snapshot(server, 'x:Role');
    for (const patch of [{ description: 'Renamed' }, { 'disabledPermissions/sysRoleUpdate': true }, { 'enabledPermissions/sysTenantGet': null }]) {
      const res = await set(server, 'x:Role', { update: { [adminRoleId]: patch } });
      expect(res.notUpdated?.[adminRoleId]?.type).toBe('forbidden');
      expect(res.notUpdated?.[adminRoleId]?.description).toMatch(/^The "Administrator" role is built in: .*cannot be changed or deleted/);
    }
    expect(snapshot(server, 'x:Role')).toBe(before);
    const same = await set(server, 'x:Role', { update: { [adminRoleId]: { description: 'Administrator' } } });
    expect(same.updated).toEqual({ [adminRoleId]: null });
    // Unused (its only holder moved to a role of their own), it still cannot be deleted.
    const full = await create(server, 'x:Role', { description: uniq('everything '), enabledPermissions: (await getOne(server, 'x:Role', adminRoleId))!.enabledPermissions });
    await set(server, 'x:Account', { update: { [adminId]: { roles: { '@type': 'Custom', roleIds: { [full]: true } } } } });
    const gone = await set(server, 'x:Role', { destroy: [adminRoleId] });
    expect(gone.notDestroyed?.[adminRoleId]?.type).toBe('forbidden');
    expect(gone.notDestroyed?.[adminRoleId]?.description).toContain('built in');
  });

  it('clients can neither make a role built in nor clear the mark', async () => {
    const { server, adminRoleId } = await fresh();
    const made = await set(server, 'x:Role', { create: { r: { description: uniq('fake '), builtIn: true } } });
    expect(made.notCreated?.r).toMatchObject({ type: 'invalidProperties', properties: ['builtIn'] });
    const mine = await create(server, 'x:Role', { description: uniq('mine ') });
    const flagged = await set(server, 'x:Role', { update: { [mine]: { builtIn: true } } });
    expect(flagged.notUpdated?.[mine]).toMatchObject({ type: 'invalidProperties', properties: ['builtIn'] });
    const cleared = await set(server, 'x:Role', { update: { [adminRoleId]: { builtIn: false } } });
    expect(cleared.notUpdated?.[adminRoleId]?.type).toMatch(/^(invalidProperties|forbidden)$/);
  });
});

describe('login names', () => {
  it('are letters, digits and . _ - +, for users and groups, with the reason when not; the domain is apart', async () => {
    const { server } = await fresh();
    const res = await set(server, 'x:Account', {
      create: {
        spaced: userAccount('bad name!', 'some-Passw0rd'),
        group: { '@type': 'Group', name: 'Sales team' },
        dotted: { '@type': 'User', name: '.hidden' },
        empty: { '@type': 'User', name: '' },
        fine: { '@type': 'User', name: `j.doe+${uniq('x')}` },
        at: { '@type': 'User', name: 'j.doe@example.com' },
      },
    });
    expect(res.notCreated?.at).toMatchObject({ type: 'validationFailed', properties: ['name'] });
    expect(res.notCreated?.at.description).toBe('name: Give only the part before "@": the domain is chosen separately');
    expect(res.notCreated?.spaced).toMatchObject({ type: 'validationFailed', properties: ['name'] });
    expect(res.notCreated?.spaced.description).toBe('name: A login name cannot contain spaces, "!": use letters (a–z, A–Z), digits and . _ - + @');
    expect(res.notCreated?.group).toMatchObject({ type: 'validationFailed', properties: ['name'] });
    expect(res.notCreated?.dotted.description).toContain('cannot start or end with a dot');
    expect(res.notCreated?.empty).toMatchObject({ validationErrors: [{ type: 'Required', property: 'name' }] });
    expect(Object.keys(res.created ?? {})).toEqual(['fine']);
  });
});
