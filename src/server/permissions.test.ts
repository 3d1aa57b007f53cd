// Permissions: sys<Prefix><Verb> on every call, role inheritance, escalation, cycles,
// and password handling.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './testing';
import { account, create, getOne, makeUser, set, snapshot, stored, uniq, userAccount } from './testkit';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('permission checks', () => {
  it('a user without sysRoleCreate gets forbidden and nothing is stored', async () => {
    const u = await makeUser(server, ['sysRoleGet', 'sysRoleQuery']);
    const snap = snapshot(server, 'x:Role');
    const [name, err] = await server.call('x:Role/set', { create: { r: { description: 'not allowed' } } }, u);
    expect(name).toBe('error');
    expect(err.type).toBe('forbidden');
    expect(err.description).toContain('sysRoleCreate');
    expect(snapshot(server, 'x:Role')).toBe(snap);
  });

  it('each verb needs its own permission', async () => {
    const target = await create(server, 'x:Tenant', { name: uniq('perm-target') });
    const u = await makeUser(server, ['sysTenantGet']);
    const ok = async (name: string, args: object) => {
      const r = await server.api([[name, args, 'c']], u);
      return r.methodResponses[0];
    };
    expect((await ok('x:Tenant/get', { ids: [target] }))[0]).toBe('x:Tenant/get');
    expect((await ok('x:Tenant/changes', { sinceState: '0' }))[0]).toBe('x:Tenant/changes');
    for (const [name, args, perm] of [
      ['x:Tenant/query', {}, 'sysTenantQuery'],
      ['x:Tenant/queryChanges', { sinceQueryState: '0' }, 'sysTenantQuery'],
      ['x:Tenant/set', { create: { t: { name: uniq('no') } } }, 'sysTenantCreate'],
      ['x:Tenant/set', { update: { [target]: { description: 'no' } } }, 'sysTenantUpdate'],
      ['x:Tenant/set', { destroy: [target] }, 'sysTenantDestroy'],
      ['x:Role/get', { ids: null }, 'sysRoleGet'],
      ['x:AllowedIp/query', {}, 'sysAllowedIpQuery'],
    ] as const) {
      const [n, err] = await ok(name, args);
      expect(n, `${name} ${JSON.stringify(args)}`).toBe('error');
      expect(err.type).toBe('forbidden');
      expect(err.description).toContain(perm);
    }
    expect(stored(server, 'x:Tenant', target)!.description).toBeNull();
  });

  it('an update permission does not allow creating', async () => {
    const t = await create(server, 'x:Tenant', { name: uniq('upd-only') });
    const u = await makeUser(server, ['sysTenantUpdate', 'sysTenantGet']);
    const res = await set(server, 'x:Tenant', { update: { [t]: { description: 'by user' } } }, u);
    expect(res.updated).toEqual({ [t]: null });
    const [name, err] = await server.call('x:Tenant/set', { create: { n: { name: uniq('x') } } }, u);
    expect(name).toBe('error');
    expect(err.type).toBe('forbidden');
  });

  it('GET /api/account tells the caller\'s permissions, edition and locale', async () => {
    const u = await makeUser(server, ['sysRoleGet', 'sysTenantQuery']);
    const me = await account(server, u.user, u.password);
    expect(me.permissions).toEqual(['sysRoleGet', 'sysTenantQuery']);
    expect(['oss', 'community', 'enterprise']).toContain(me.edition);
    expect(typeof me.locale).toBe('string');
    const admin = await (await server.raw('/api/account')).json();
    expect(admin.permissions).toEqual(expect.arrayContaining(['sysRoleCreate', 'sysAllowedIpDestroy', 'sysClusterRoleUpdate']));
  });

  it('/api/account without credentials is 401', async () => {
    const res = await fetch(`${server.url}/api/account`);
    expect(res.status).toBe(401);
  });
});

describe('role inheritance', () => {
  it('effective permissions follow roleIds; disabledPermissions win at any depth', async () => {
    const base = await create(server, 'x:Role', {
      description: 'inh base',
      enabledPermissions: { sysRoleGet: true, sysRoleQuery: true, sysTenantGet: true },
    });
    const mid = await create(server, 'x:Role', {
      description: 'inh mid',
      roleIds: { [base]: true },
      enabledPermissions: { sysTenantQuery: true },
      disabledPermissions: { sysRoleQuery: true },
    });
    const top = await create(server, 'x:Role', {
      description: 'inh top',
      roleIds: { [mid]: true },
      // Enabling again does not beat a disable further down.
      enabledPermissions: { sysRoleQuery: true, sysAllowedIpGet: true },
    });
    const name = uniq('inh');
    await create(server, 'x:Account', userAccount(name, 'inherit-pass', [top]));
    const me = await account(server, name, 'inherit-pass');
    expect(me.permissions).toEqual(['sysAllowedIpGet', 'sysRoleGet', 'sysTenantGet', 'sysTenantQuery']);
    // And it is enforced, not only reported.
    const [n1] = await server.call('x:Role/get', { ids: [] }, { user: name, password: 'inherit-pass' });
    expect(n1).toBe('x:Role/get');
    const [n2, err] = await server.call('x:Role/query', {}, { user: name, password: 'inherit-pass' });
    expect(n2).toBe('error');
    expect(err.type).toBe('forbidden');

    // A change to an inherited role takes effect on the next request.
    await set(server, 'x:Role', { update: { [base]: { 'enabledPermissions/sysBlockedIpGet': true } } });
    expect((await account(server, name, 'inherit-pass')).permissions).toContain('sysBlockedIpGet');
    await set(server, 'x:Role', { update: { [mid]: { 'disabledPermissions/sysRoleQuery': null } } });
    expect((await account(server, name, 'inherit-pass')).permissions).toContain('sysRoleQuery');
  });

  it('a user gets the roles of the groups it is a member of', async () => {
    const r = await create(server, 'x:Role', { description: 'group role', enabledPermissions: { sysBlockedIpQuery: true } });
    const g = await create(server, 'x:Account', { '@type': 'Group', name: uniq('grp'), roles: { '@type': 'Custom', roleIds: { [r]: true } } });
    const name = uniq('member');
    await create(server, 'x:Account', userAccount(name, 'member-pass', undefined, { memberGroupIds: { [g]: true } }));
    expect((await account(server, name, 'member-pass')).permissions).toEqual(['sysBlockedIpQuery']);
  });

  it('a user with no roles has no permissions', async () => {
    const name = uniq('bare');
    await create(server, 'x:Account', userAccount(name, 'bare-pass'));
    expect((await account(server, name, 'bare-pass')).permissions).toEqual([]);
  });
});

describe('escalation', () => {
  let u: { user: string; password: string; accountId: string; roleId: string };
  let powerful: string;
  beforeAll(async () => {
    u = await makeUser(server, ['sysRoleCreate', 'sysRoleUpdate', 'sysRoleGet', 'sysRoleQuery', 'sysAllowedIpGet', 'sysAccountCreate', 'sysAccountUpdate', 'sysAccountGet']);
    powerful = await create(server, 'x:Role', { description: 'has destroy', enabledPermissions: { sysAllowedIpDestroy: true } });
  });

  it('a user can create a role with permissions it holds', async () => {
    const res = await set(server, 'x:Role', { create: { r: { description: 'fine', enabledPermissions: { sysAllowedIpGet: true } } } }, u);
    expect(res.notCreated).toBeNull();
    expect(res.created!.r.id).toBeDefined();
  });

  it('cannot create a role enabling a permission it lacks', async () => {
    const snap = snapshot(server, 'x:Role');
    const res = await set(server, 'x:Role', {
      create: { r: { description: 'escalate', enabledPermissions: { sysAllowedIpGet: true, sysAllowedIpDestroy: true } } },
    }, u);
    expect(res.created).toBeNull();
    expect(res.notCreated!.r.type).toBe('forbidden');
    expect(res.notCreated!.r.description).toContain('sysAllowedIpDestroy');
    expect(res.notCreated!.r.description).not.toContain('sysAllowedIpGet');
    expect(snapshot(server, 'x:Role')).toBe(snap);
  });

  it('cannot create a role extending a role that has a permission it lacks', async () => {
    const res = await set(server, 'x:Role', { create: { r: { description: 'extend', roleIds: { [powerful]: true } } } }, u);
    expect(res.notCreated!.r.type).toBe('forbidden');
    expect(res.notCreated!.r.description).toContain('sysAllowedIpDestroy');
  });

  it('cannot update a role to enable, or to extend, what it lacks', async () => {
    const mine = await create(server, 'x:Role', { description: 'mine', enabledPermissions: { sysAllowedIpGet: true } });
    const before = stored(server, 'x:Role', mine);
    let res = await set(server, 'x:Role', { update: { [mine]: { 'enabledPermissions/sysAllowedIpDestroy': true } } }, u);
    expect(res.notUpdated![mine].type).toBe('forbidden');
    expect(res.notUpdated![mine].description).toContain('sysAllowedIpDestroy');
    res = await set(server, 'x:Role', { update: { [mine]: { [`roleIds/${powerful}`]: true } } }, u);
    expect(res.notUpdated![mine].type).toBe('forbidden');
    expect(res.notUpdated![mine].description).toContain('sysAllowedIpDestroy');
    expect(stored(server, 'x:Role', mine)).toEqual(before);
    // A role holding more than the caller is out of reach altogether, even its description.
    res = await set(server, 'x:Role', { update: { [powerful]: { description: 'renamed by user' } } }, u);
    expect(res.notUpdated![powerful].type).toBe('forbidden');
    expect(res.notUpdated![powerful].description).toContain('sysAllowedIpDestroy');
  });

  it('cannot lift a disable that keeps a permission it lacks away from a role extending it', async () => {
    // Y extends X (disables sysAllowedIpDestroy) and Z (enables it): Y has no sysAllowedIpDestroy.
    const x = await create(server, 'x:Role', { description: 'X disables', disabledPermissions: { sysAllowedIpDestroy: true } });
    const z = await create(server, 'x:Role', { description: 'Z enables', enabledPermissions: { sysAllowedIpDestroy: true } });
    const y = await create(server, 'x:Role', {
      description: 'Y',
      roleIds: { [x]: true, [z]: true },
      enabledPermissions: { sysRoleUpdate: true, sysRoleGet: true },
    });
    const name = uniq('lifter');
    await create(server, 'x:Account', userAccount(name, 'lifter-pass', [y]));
    const creds = { user: name, password: 'lifter-pass' };
    expect((await account(server, name, 'lifter-pass')).permissions).not.toContain('sysAllowedIpDestroy');
    // Lifting the disable on X would hand sysAllowedIpDestroy to Y, and so to the caller.
    const res = await set(server, 'x:Role', { update: { [x]: { 'disabledPermissions/sysAllowedIpDestroy': null } } }, creds);
    expect(res.updated).toBeNull();
    expect(res.notUpdated?.[x]?.type).toBe('forbidden');
    expect(res.notUpdated?.[x]?.description).toContain('sysAllowedIpDestroy');
    expect((await account(server, name, 'lifter-pass')).permissions).not.toContain('sysAllowedIpDestroy');
  });

  it('cannot create an account with a role granting what it lacks, nor give one to itself', async () => {
    let res = await set(server, 'x:Account', {
      create: { a: userAccount(uniq('esc'), 'p-esc-123', [powerful]) },
    }, u);
    expect(res.notCreated!.a.type).toBe('forbidden');
    expect(res.notCreated!.a.description).toContain('sysAllowedIpDestroy');
    res = await set(server, 'x:Account', { update: { [u.accountId]: { [`roles/roleIds/${powerful}`]: true } } }, u);
    expect(res.notUpdated![u.accountId].properties).toEqual(['roles']);
    expect(res.notUpdated![u.accountId].type).toBe('forbidden');
    expect((await account(server, u.user, u.password)).permissions).not.toContain('sysAllowedIpDestroy');
  });

  it('forbidden grants name the property they concern (wire.md: properties on every per-record error that concerns properties)', async () => {
    const res = await set(server, 'x:Role', {
      create: {
        direct: { description: 'direct', enabledPermissions: { sysAllowedIpDestroy: true } },
        inherit: { description: 'inherit', roleIds: { [powerful]: true } },
      },
    }, u);
    expect(res.notCreated!.direct.type).toBe('forbidden');
    expect(res.notCreated!.direct.properties).toEqual(['enabledPermissions']);
    expect(res.notCreated!.inherit.properties).toEqual(['roleIds']);
  });
});

describe('roleIds cycles', () => {
  it('rejects a cycle through other roles and a role extending itself', async () => {
    const a = await create(server, 'x:Role', { description: 'cycle a' });
    const b = await create(server, 'x:Role', { description: 'cycle b', roleIds: { [a]: true } });
    const c = await create(server, 'x:Role', { description: 'cycle c', roleIds: { [b]: true } });
    const before = stored(server, 'x:Role', a);
    let res = await set(server, 'x:Role', { update: { [a]: { [`roleIds/${c}`]: true } } });
    expect(res.updated).toBeNull();
    expect(res.notUpdated![a].type).toBe('validationFailed');
    expect(res.notUpdated![a].properties).toEqual(['roleIds']);
    expect(res.notUpdated![a].validationErrors![0]).toMatchObject({ type: 'Invalid', property: 'roleIds' });
    res = await set(server, 'x:Role', { update: { [a]: { roleIds: { [a]: true } } } });
    expect(res.notUpdated![a].type).toBe('validationFailed');
    expect(res.notUpdated![a].properties).toEqual(['roleIds']);
    expect(stored(server, 'x:Role', a)).toEqual(before);
    // Diamonds are not cycles.
    const d = await create(server, 'x:Role', { description: 'diamond', roleIds: { [b]: true, [c]: true, [a]: true } });
    expect(d).toBeDefined();
  });
});

describe('passwords', () => {
  it('are stored hashed, never returned, and work for sign-in', async () => {
    const name = uniq('pw');
    const id = await create(server, 'x:Account', userAccount(name, 'correct horse battery'));
    const row = stored(server, 'x:Account', id)!;
    expect((row.credentials as Record<string, Record<string, unknown>>)[0].secret).toMatch(/^\$scrypt\$/);
    expect(JSON.stringify(row)).not.toContain('correct horse battery');
    expect((await getOne(server, 'x:Account', id))!.credentials).toEqual({ 0: { '@type': 'Password', secret: null, expiresAt: null, credentialId: '0' } });
    const [, withProp] = await server.call('x:Account/get', { ids: [id], properties: ['credentials'] });
    expect(JSON.stringify(withProp.list)).not.toContain('$scrypt$');
    expect((await server.raw('/api/account', { user: name, password: 'correct horse battery' })).status).toBe(200);
    expect((await server.raw('/api/account', { user: name, password: 'wrong' })).status).toBe(401);
  });

  it('a change of password takes effect at once, and other updates keep it', async () => {
    const name = uniq('pw2');
    const id = await create(server, 'x:Account', userAccount(name, 'first-pass'));
    const hash = () => (stored(server, 'x:Account', id)!.credentials as Record<string, Record<string, unknown>>)[0].secret;
    expect((await server.raw('/api/account', { user: name, password: 'first-pass' })).status).toBe(200);
    const first = hash();
    await set(server, 'x:Account', { update: { [id]: { description: 'only the description' } } });
    // A whole record read back (secrets null) is a valid write and keeps the secret.
    const shown = (await getOne(server, 'x:Account', id))!;
    await set(server, 'x:Account', { update: { [id]: { credentials: shown.credentials } } });
    expect(hash()).toBe(first);
    expect((await server.raw('/api/account', { user: name, password: 'first-pass' })).status).toBe(200);
    const res = await set(server, 'x:Account', { update: { [id]: { 'credentials/0/secret': 'second-pass' } } });
    expect(res.updated).toEqual({ [id]: null });
    expect(hash()).toMatch(/^\$scrypt\$/);
    expect(hash()).not.toBe(first);
    expect((await server.raw('/api/account', { user: name, password: 'first-pass' })).status).toBe(401);
    expect((await server.raw('/api/account', { user: name, password: 'second-pass' })).status).toBe(200);
  });

  it('cannot be filtered or sorted on', async () => {
    const [n1, e1] = await server.call('x:Account/query', { filter: { credentials: '$scrypt$' } });
    expect(n1).toBe('error');
    expect(e1.type).toBe('unsupportedFilter');
    const [n2, e2] = await server.call('x:Account/query', { filter: { passwordIsGreaterThan: '$' } });
    expect(n2).toBe('error');
    expect(e2.type).toBe('unsupportedFilter');
    const [n3, e3] = await server.call('x:Account/query', { sort: [{ property: 'password' }] });
    expect(n3).toBe('error');
    expect(e3.type).toBe('unsupportedSort');
  });

  it('a user cannot delete the account it is signed in with', async () => {
    const u = await makeUser(server, ['sysAccountDestroy', 'sysAccountGet']);
    const res = await set(server, 'x:Account', { destroy: [u.accountId] }, u);
    expect(res.notDestroyed![u.accountId].type).toBe('forbidden');
    expect(stored(server, 'x:Account', u.accountId)).not.toBeNull();
  });

  it('a deleted user can no longer sign in', async () => {
    const u = await makeUser(server, ['sysRoleGet']);
    expect((await server.raw('/api/account', u)).status).toBe(200);
    await set(server, 'x:Account', { destroy: [u.accountId] });
    expect((await server.raw('/api/account', u)).status).toBe(401);
  });
});
