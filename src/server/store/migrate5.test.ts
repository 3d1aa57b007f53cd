// Migration 5: accounts stored in the turn-one shape (a `password` hash, `roles` as a set of
// role ids) come up in Stalwart's shape with their data, and still sign in.

import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { hashPassword } from '../auth/passwords';
import { startTestServer, type TestServer } from '../testing';
import { account, getOne } from '../testkit';
import { migrate } from './db';

let server: TestServer | undefined;
afterAll(() => server?.close());

it('turns the password into a Password credential and the role set into Custom roles; the old password signs in', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-m5-'));
  const db = new Database(path.join(dir, 'postern.sqlite'));
  migrate(db, 4);
  const hash = hashPassword('old-shape-Passw0rd');
  const insert = db.prepare('INSERT INTO records (type, id, data) VALUES (?, ?, ?)');
  const ref = db.prepare('INSERT INTO refs (to_type, to_id, from_type, from_id) VALUES (?, ?, ?, ?)');
  insert.run('x:Role', 'adminrole', JSON.stringify({ description: 'Administrator', enabledPermissions: {}, disabledPermissions: {}, roleIds: {}, memberTenantId: null, builtIn: true }));
  insert.run('x:Role', 'reader', JSON.stringify({ description: 'Reader', enabledPermissions: { sysRoleGet: true }, disabledPermissions: {}, roleIds: {}, memberTenantId: null, builtIn: false }));
  insert.run('x:Account', 'admin1', JSON.stringify({ '@type': 'User', name: 'admin', description: 'Administrator', password: hashPassword('test-admin-password'), roles: { adminrole: true }, memberTenantId: null }));
  insert.run('x:Account', 'old1', JSON.stringify({ '@type': 'User', name: 'olduser', description: 'Old', password: hash, roles: { reader: true }, memberGroupIds: { grp1: true }, memberTenantId: null }));
  insert.run('x:Account', 'grp1', JSON.stringify({ '@type': 'Group', name: 'oldgroup', description: null, roles: {}, memberTenantId: null }));
  insert.run('x:Account', 'nopw', JSON.stringify({ '@type': 'User', name: 'nopassword', description: null, password: null, roles: {}, memberTenantId: null }));
  for (const [to, from] of [['adminrole', 'admin1'], ['reader', 'old1']]) ref.run('x:Role', to, 'x:Account', from);
  ref.run('x:Account', 'grp1', 'x:Account', 'old1');
  db.prepare("INSERT INTO meta (key, value) VALUES ('adminRoleId', 'adminrole')").run();
  db.close();

  server = await startTestServer(dir);
  const old = server.store.get('x:Account', 'old1')!;
  expect(old).toMatchObject({
    name: 'olduser',
    domainId: null,
    emailAddress: null,
    credentials: { 0: { '@type': 'Password', secret: hash, expiresAt: null, credentialId: '0' } },
    roles: { '@type': 'Custom', roleIds: { reader: true } },
    permissions: { '@type': 'Inherit' },
    memberGroupIds: { grp1: true },
    aliases: {},
    locale: 'en_US',
  });
  expect(old.password).toBeUndefined();
  expect(server.store.get('x:Account', 'grp1')).toMatchObject({ roles: { '@type': 'Custom', roleIds: {} }, permissions: { '@type': 'Inherit' } });
  expect(server.store.get('x:Account', 'grp1')!.credentials).toBeUndefined();
  expect(server.store.get('x:Account', 'nopw')!.credentials).toEqual({});
  // The old password still signs in, with the same permissions; /get never shows the hash.
  expect((await account(server, 'olduser', 'old-shape-Passw0rd')).permissions).toEqual(['sysRoleGet']);
  expect((await server.raw('/api/account', { user: 'nopassword', password: '' })).status).toBe(401);
  expect(JSON.stringify(await getOne(server, 'x:Account', 'old1'))).not.toContain('$scrypt$');
  // The first start does not run again (a user exists), and the User role is added.
  expect([...server.store.all('x:Account')].map(([id]) => id).sort()).toEqual(['admin1', 'grp1', 'nopw', 'old1']);
  expect(server.store.get('x:Role', server.store.getMeta('userRoleId')!)).toMatchObject({ description: 'User', builtIn: true, enabledPermissions: {} });
  // A migrated record takes a write in the new shape.
  const [, res] = await server.call('x:Account/set', { update: { old1: { description: 'Migrated' } } });
  expect(res.updated).toEqual({ old1: null });
  expect((await account(server, 'olduser', 'old-shape-Passw0rd')).permissions).toEqual(['sysRoleGet']);
});
