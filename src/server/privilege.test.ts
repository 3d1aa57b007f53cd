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
