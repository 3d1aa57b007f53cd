// `npm run reset-admin` restores an administrator while the server runs; usage and exit codes.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type Output } from './cli';
import { PERMISSIONS } from './objects';
import { startTestServer, type TestServer } from './testing';
import { account } from './testkit';

/** Runs the command as `npm run …` would, capturing what it prints. */
function run(argv: string[], env: Record<string, string | undefined>) {
  const lines: string[] = [];
  const errors: string[] = [];
  const out: Output = { log: (l) => lines.push(l), error: (l) => errors.push(l) };
  const code = main(argv, env, out);
  return { code, lines, errors };
}

let server: TestServer;
let adminId: string;
beforeAll(async () => {
  server = await startTestServer();
  const [, q] = await server.call('x:Account/query', { filter: { name: 'admin' } });
  adminId = q.ids[0];
});
afterAll(() => server.close());

const ALL = PERMISSIONS.map((p) => p.name).sort();

/** What the server answers a Basic sign-in with these credentials. */
const status = async (user: string, password: string) => (await server.raw('/api/account', { user, password })).status;

describe('reset-admin', () => {
  it('gives the administrator back every permission and a new password, while the server runs', async () => {
    // Locked out the hard way: straight into the store, past every rule the server keeps.
    const store = server.store;
    const roleId = store.getMeta('adminRoleId')!;
    const role = store.get('x:Role', roleId)!;
    store.update('x:Role', roleId, { ...role, disabledPermissions: { sysRoleUpdate: true, sysAccountUpdate: true } }, []);
    const disabling = 'disablerole';
    store.insert('x:Role', disabling, { description: 'No services', enabledPermissions: {}, disabledPermissions: { sysServiceGet: true }, roleIds: {}, memberTenantId: null, builtIn: false }, []);
    const admin = store.get('x:Account', adminId)!;
    store.update('x:Account', adminId, { ...admin, roles: { '@type': 'Custom', roleIds: { [disabling]: true } } }, [{ objectName: 'x:Role', id: disabling }]);
    store.db.prepare("INSERT INTO oauth (model, id, payload) VALUES ('Session', 'lost-session', json_object('accountId', ?))").run(adminId);
    store.flushChanges();
    await expect.poll(async () => (await account(server, 'admin', 'test-admin-password')).permissions, { timeout: 3000 }).not.toContain('sysRoleUpdate');

    const r = run(['reset-admin'], { DATA_DIR: server.dataDir, ADMIN_PASSWORD: 'restored-Passw0rd' });
    expect(r.errors).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.lines).toEqual([
      'The built-in Administrator role holds every permission again.',
      '"admin" has the Administrator role.',
      'Taken from "admin" because they disabled permissions: role "No services".',
      'Its password is now the one in ADMIN_PASSWORD.',
      'Its sessions have ended: it signs in again everywhere.',
    ]);
    // The server notices another process's write within a second.
    const soon = { timeout: 3000 };
    await expect.poll(async () => (await account(server, 'admin', 'restored-Passw0rd')).permissions.sort(), soon).toEqual(ALL);
    await expect.poll(() => status('admin', 'test-admin-password'), soon).toBe(401);
    expect(server.store.db.prepare("SELECT count(*) FROM oauth WHERE id = 'lost-session'").pluck().get()).toBe(0);
    expect(server.store.get('x:Role', roleId)).toMatchObject({ builtIn: true, disabledPermissions: {} });
  });

  it('makes another account an administrator with --user, printing a generated password once', async () => {
    const r = run(['reset-admin', '--user', 'rescue.admin'], { DATA_DIR: server.dataDir });
    expect(r.code).toBe(0);
    expect(r.lines[1]).toBe('Created the user "rescue.admin" with the Administrator role.');
    const password = /shown only this once: (\S+)$/.exec(r.lines.at(-1)!)?.[1];
    expect(password).toBeTruthy();
    expect((await account(server, 'rescue.admin', password!)).permissions.sort()).toEqual(ALL);
  });

  it('refuses a group, a bad name, unknown arguments, and a data directory never started', async () => {
    const [, made] = await server.call('x:Account/set', { create: { g: { '@type': 'Group', name: 'helpers' } } }, { user: 'admin', password: 'restored-Passw0rd' });
    expect(made.created?.g).toBeDefined();
    const group = run(['reset-admin', '--user', 'helpers'], { DATA_DIR: server.dataDir });
    expect(group).toMatchObject({ code: 1, errors: ['reset-admin failed: "helpers" is a group, not a user: name another account with --user'] });
    const bad = run(['reset-admin', '--user', 'my admin'], { DATA_DIR: server.dataDir });
    expect(bad.code).toBe(2);
    expect(bad.errors[0]).toMatch(/^A login name cannot contain spaces: .*\n\nusage:/);
    expect(run(['reset-admin', '--force'], { DATA_DIR: server.dataDir }).code).toBe(2);
    expect(run([], { DATA_DIR: server.dataDir }).errors[0]).toMatch(/^no command given\n\nusage:/);
    expect(run(['reset-admin', '--help'], {})).toMatchObject({ code: 0, errors: [] });
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-never-'));
    const never = run(['reset-admin'], { DATA_DIR: empty });
    expect(never.code).toBe(1);
    expect(never.errors[0]).toContain('has never started');
    fs.rmSync(empty, { recursive: true, force: true });
  });
});

describe('unblock', () => {
  it('still lists and removes blocks, and refuses what is not an address', () => {
    expect(run(['unblock', '--list'], { DATA_DIR: server.dataDir }).lines).toEqual(['No blocked addresses.']);
    expect(run(['unblock', '10.0.0.0/8'], { DATA_DIR: server.dataDir }).code).toBe(2);
    expect(run(['unblock', '192.0.2.9'], { DATA_DIR: server.dataDir }).lines).toEqual(['192.0.2.9 is not blocked.']);
  });
});
