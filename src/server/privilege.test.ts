// Nobody changes or deletes an account or role that holds permissions they lack.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from './testing';
import { userAccount } from './testkit';

let server: TestServer;
let adminId: string;
let adminRoleId: string;
const helpdesk = { user: 'helpdesk', password: 'helpdesk-Passw0rd' };

beforeAll(async () => {
  server = await startTestServer();
  const [, s] = await server.call('x:Account/query', { filter: { name: 'admin' } });
  adminId = s.ids[0];
  adminRoleId = server.store.getMeta('adminRoleId')!;
  const [, r] = await server.call('x:Role/set', {
    create: {
      h: {
        description: 'help desk',
        enabledPermissions: ['sysAccountGet', 'sysAccountQuery', 'sysAccountUpdate', 'sysAccountDestroy', 'sysRoleGet', 'sysRoleQuery', 'sysRoleUpdate', 'sysRoleDestroy'],
      },
    },
  });
  await server.call('x:Account/set', {
    create: { u: userAccount(helpdesk.user, helpdesk.password, [r.created!.h.id]) },
  });
});
afterAll(() => server.close());

it('a help-desk user cannot reset the administrator\'s password or delete the administrator', async () => {
  const [, u] = await server.call('x:Account/set', { update: { [adminId]: { credentials: { 0: { '@type': 'Password', secret: 'owned' } } } } }, helpdesk);
  expect(u.notUpdated![adminId].type).toBe('forbidden');
  const [, d] = await server.call('x:Account/set', { destroy: [adminId] }, helpdesk);
  expect(d.notDestroyed![adminId].type).toBe('forbidden');
  // The administrator still signs in with the old password.
  expect((await server.raw('/api/account', { user: 'admin', password: ADMIN_PASSWORD })).status).toBe(200);
});

it('nor strip or delete the administrator role', async () => {
  const [, u] = await server.call('x:Role/set', { update: { [adminRoleId]: { enabledPermissions: [] } } }, helpdesk);
  expect(u.notUpdated![adminRoleId].type).toBe('forbidden');
  const [, d] = await server.call('x:Role/set', { destroy: [adminRoleId] }, helpdesk);
  expect(['forbidden', 'objectIsLinked']).toContain(d.notDestroyed![adminRoleId].type);
});

it('but manages accounts that hold no more than they do', async () => {
  const [, c] = await server.call('x:Account/set', { create: { p: userAccount('plain-user', 'plain-Passw0rd') } });
  const id = c.created!.p.id;
  const [, u] = await server.call('x:Account/set', { update: { [id]: { credentials: { 0: { '@type': 'Password', secret: 'reset-Passw0rd' } } } } }, helpdesk);
  expect(u.updated).toEqual({ [id]: null });
  const [, d] = await server.call('x:Account/set', { destroy: [id] }, helpdesk);
  expect(d.destroyed).toEqual([id]);
});

it('a group that Replaces its permissions is still judged by what its members get from its roles', async () => {
  // A group holding the Administrator role, whose own permissions "Replace" with almost nothing
  // disabled: its members are administrators, so the help desk may neither change nor delete it.
  const [, g] = await server.call('x:Account/set', {
    create: { g: { '@type': 'Group', name: 'support', roles: { '@type': 'Custom', roleIds: { [adminRoleId]: true } }, permissions: { '@type': 'Replace', enabledPermissions: {}, disabledPermissions: { sysRoleCreate: true } } } },
  });
  const groupId = g.created!.g.id;
  const [, u] = await server.call('x:Account/set', { update: { [groupId]: { 'permissions/disabledPermissions': {} } } }, helpdesk);
  expect(u.notUpdated![groupId].type).toBe('forbidden');
  const [, d] = await server.call('x:Account/set', { destroy: [groupId] }, helpdesk);
  expect(d.notDestroyed![groupId].type).toBe('forbidden');
  await server.call('x:Account/set', { destroy: [groupId] });
});

it("nobody forwards, re-routes or unforwards the mail of an account that outranks them", async () => {
  const [, r] = await server.call('x:Role/set', { create: { f: { description: 'forwards only', enabledPermissions: ['sysAddressForwardCreate', 'sysAddressForwardUpdate', 'sysAddressForwardDestroy', 'sysAddressForwardGet', 'sysAddressForwardQuery'] } } });
  const clerk = { user: 'forward-clerk', password: 'clerk-Passw0rd' };
  await server.call('x:Account/set', { create: { c: userAccount(clerk.user, clerk.password, [r.created!.f.id]) } });
  const [, dom] = await server.call('x:Domain/set', { create: { d: { name: 'boss.test' } } });
  const domainId = dom.created!.d.id;
  await server.call('x:Account/set', {
    create: {
      boss: { '@type': 'User', name: 'boss', domainId, roles: { '@type': 'Admin' } },
      staff: { '@type': 'User', name: 'staff', domainId },
    },
  });
  const [, taken] = await server.call('x:AddressForward/set', { create: { f: { address: 'boss@boss.test', destinations: { 'evil@remote.test': true } } } }, clerk);
  expect(taken.notCreated!.f.type).toBe('forbidden');
  // The administrator's own forward can be neither changed nor removed by the clerk either.
  const [, own] = await server.call('x:AddressForward/set', { create: { f: { address: 'boss@boss.test', destinations: { 'boss@boss.test': true, 'deputy@boss.test': true } } } });
  const forwardId = own.created!.f.id;
  const [, u] = await server.call('x:AddressForward/set', { update: { [forwardId]: { destinations: { 'evil@remote.test': true } } } }, clerk);
  expect(u.notUpdated![forwardId].type).toBe('forbidden');
  const [, d] = await server.call('x:AddressForward/set', { destroy: [forwardId] }, clerk);
  expect(d.notDestroyed![forwardId].type).toBe('forbidden');
  // A user who holds nothing the clerk lacks: fine.
  const [, ok] = await server.call('x:AddressForward/set', { create: { f: { address: 'staff@boss.test', destinations: { 'elsewhere@remote.test': true } } } }, clerk);
  expect(ok.created?.f.id).toBeTruthy();
});

it("a relay password read from the server's environment or files takes everything the Administrator holds", async () => {
  const [, r] = await server.call('x:Role/set', { create: { m: { description: 'relay editor', enabledPermissions: ['sysMtaRouteCreate', 'sysMtaRouteGet', 'sysMtaRouteQuery', 'sysMtaRouteUpdate'] } } });
  const editor = { user: 'relay-editor', password: 'relay-Passw0rd' };
  await server.call('x:Account/set', { create: { e: userAccount(editor.user, editor.password, [r.created!.m.id]) } });
  for (const authSecret of [{ '@type': 'EnvironmentVariable', variableName: 'ADMIN_PASSWORD' }, { '@type': 'File', filePath: '/etc/shadow' }]) {
    const [, c] = await server.call('x:MtaRoute/set', { create: { x: { '@type': 'Relay', name: 'relay', address: '127.0.0.1', authUsername: 'me', authSecret } } }, editor);
    expect(c.notCreated!.x.type).toBe('forbidden');
    expect(c.notCreated!.x.properties).toEqual(['authSecret']);
  }
});
