// The credential cache: unrelated writes cost no scrypt, while a changed password, a
// deleted account or a removed role takes effect on the very next request.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../store/db';
import { Store, type Data } from '../store/records';
import { API_KEY_PREFIX, hashApiSecret } from './apiKeys';
import { Authenticator } from './authenticate';
import { hashPassword, verifyPassword } from './passwords';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

let dir: string;
let store: Store;
let auth: Authenticator;
let scrypts: number;

/** A committed write, announced as the JMAP engine announces its own. */
function write(fn: (s: Store) => void, s = store) {
  s.transaction(() => fn(s));
  s.flushChanges();
}
const put = (type: string, id: string, data: Data, s = store) => write((x) => (x.get(type, id) ? x.update(type, id, data, []) : x.insert(type, id, data, [])), s);
const role = (id: string, perms: string[], extra: Data = {}) => put('x:Role', id, { description: id, enabledPermissions: Object.fromEntries(perms.map((p) => [p, true])), ...extra });
const credentials = (password: string) => ({ 0: { '@type': 'Password', secret: hashPassword(password), expiresAt: null, credentialId: '0' } });
const user = (id: string, name: string, password: string, roles: string[], extra: Data = {}) =>
  put('x:Account', id, {
    '@type': 'User', name, domainId: null, credentials: credentials(password),
    roles: { '@type': 'Custom', roleIds: Object.fromEntries(roles.map((r) => [r, true])) }, ...extra,
  });

async function permissionsOf(header: string): Promise<string[] | 'invalid'> {
  const r = await auth.authenticate(header);
  return 'caller' in r ? [...r.caller.permissions].sort() : 'invalid';
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-auth-'));
  store = new Store(openDatabase(dir));
  scrypts = 0;
  auth = new Authenticator(store, {
    verifyPassword: (password, hash) => {
      scrypts++;
      return verifyPassword(password, hash);
    },
  });
  role('ra', ['sysRoleGet']);
  role('rb', ['sysAllowedIpGet']);
  user('a', 'alice', 'alice-pw', ['ra']);
  user('b', 'bob', 'bob-pw', ['rb']);
});

afterEach(() => {
  store.db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('Basic credentials stay verified across unrelated writes', () => {
  it('a role write re-resolves permissions without running scrypt again', async () => {
    const alice = basic('alice', 'alice-pw'), bob = basic('bob', 'bob-pw');
    expect(await permissionsOf(alice)).toEqual(['sysRoleGet']);
    expect(await permissionsOf(bob)).toEqual(['sysAllowedIpGet']);
    expect(scrypts).toBe(2);
    role('ra', ['sysRoleGet', 'sysRoleQuery'], { description: 'renamed' });
    put('x:AllowedIp', 'ip1', { address: '192.0.2.1' });
    put('x:ApiKey', 'k1', { accountId: 'b', secret: 'x' });
    expect(await permissionsOf(alice)).toEqual(['sysRoleGet', 'sysRoleQuery']);
    expect(await permissionsOf(bob)).toEqual(['sysAllowedIpGet']);
    expect(scrypts).toBe(2);
  });

  it("another account's password change costs the others nothing", async () => {
    const alice = basic('alice', 'alice-pw');
    await permissionsOf(alice);
    user('b', 'bob', 'bob-new', ['rb']);
    expect(await permissionsOf(alice)).toEqual(['sysRoleGet']);
    expect(scrypts).toBe(1);
  });

  it('clients sharing credentials wait for one check', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => permissionsOf(basic('alice', 'alice-pw'))));
    expect(results.every((r) => r !== 'invalid')).toBe(true);
    expect(scrypts).toBe(1);
  });

  it('a wrong password is checked every time and never remembered', async () => {
    expect(await permissionsOf(basic('alice', 'nope'))).toBe('invalid');
    expect(await permissionsOf(basic('alice', 'nope'))).toBe('invalid');
    expect(scrypts).toBe(2);
  });
});

describe('what changed takes effect on the next request', () => {
  it('a changed password: the old one fails, the new one works', async () => {
    await permissionsOf(basic('alice', 'alice-pw'));
    user('a', 'alice', 'alice-new', ['ra']);
    expect(await permissionsOf(basic('alice', 'alice-pw'))).toBe('invalid');
    expect(await permissionsOf(basic('alice', 'alice-new'))).toEqual(['sysRoleGet']);
  });

  it('a deleted account', async () => {
    const alice = basic('alice', 'alice-pw');
    await permissionsOf(alice);
    write((s) => s.delete('x:Account', 'a'));
    expect(await permissionsOf(alice)).toBe('invalid');
    expect(auth.caller('a')).toBeNull();
  });

  it('a renamed account no longer signs in under its old name', async () => {
    const alice = basic('alice', 'alice-pw');
    await permissionsOf(alice);
    put('x:Account', 'a', { ...store.get('x:Account', 'a'), name: 'alicia' });
    expect(await permissionsOf(alice)).toBe('invalid');
    expect(await permissionsOf(basic('alicia', 'alice-pw'))).toEqual(['sysRoleGet']);
  });

  it('an account turned into a group', async () => {
    const alice = basic('alice', 'alice-pw');
    await permissionsOf(alice);
    put('x:Account', 'a', { ...store.get('x:Account', 'a'), '@type': 'Group' });
    expect(await permissionsOf(alice)).toBe('invalid');
  });

  it('a role taken from the account, a role deleted, a permission disabled', async () => {
    const alice = basic('alice', 'alice-pw'), bob = basic('bob', 'bob-pw');
    await permissionsOf(alice);
    await permissionsOf(bob);
    put('x:Account', 'a', { ...store.get('x:Account', 'a'), roles: { '@type': 'Custom', roleIds: {} } });
    expect(await permissionsOf(alice)).toEqual([]);
    write((s) => s.delete('x:Role', 'rb'));
    expect(await permissionsOf(bob)).toEqual([]);
    expect(scrypts).toBe(2);
  });

  it("a change to a parent role or to a group's role reaches its members", async () => {
    role('parent', ['sysRoleQuery']);
    role('ra', ['sysRoleGet'], { roleIds: { parent: true } });
    role('rg', ['sysAccountGet']);
    put('x:Account', 'g', { '@type': 'Group', name: 'staff', roles: { '@type': 'Custom', roleIds: { rg: true } } });
    put('x:Account', 'b', { ...store.get('x:Account', 'b'), memberGroupIds: { g: true } });
    const alice = basic('alice', 'alice-pw'), bob = basic('bob', 'bob-pw');
    expect(await permissionsOf(alice)).toEqual(['sysRoleGet', 'sysRoleQuery']);
    expect(await permissionsOf(bob)).toEqual(['sysAccountGet', 'sysAllowedIpGet']);
    role('parent', [], { disabledPermissions: { sysRoleGet: true } });
    role('rg', ['sysAccountQuery']);
    expect(await permissionsOf(alice)).toEqual([]);
    expect(await permissionsOf(bob)).toEqual(['sysAccountQuery', 'sysAllowedIpGet']);
    expect(scrypts).toBe(2);
  });

  it('a password changed or a role removed by another process', async () => {
    const other = new Store(openDatabase(dir));
    try {
      const alice = basic('alice', 'alice-pw'), bob = basic('bob', 'bob-pw');
      await permissionsOf(alice);
      await permissionsOf(bob);
      store.pollExternalWrites(); // the first poll takes the baseline
      put('x:Account', 'a', { ...other.get('x:Account', 'a'), credentials: credentials('changed-elsewhere') }, other);
      put('x:Account', 'b', { ...other.get('x:Account', 'b'), roles: { '@type': 'Custom', roleIds: {} } }, other);
      // The password is read with every request: no poll needed.
      expect(await permissionsOf(alice)).toBe('invalid');
      store.pollExternalWrites();
      expect(await permissionsOf(bob)).toEqual([]);
      expect(scrypts).toBe(3);
    } finally {
      other.db.close();
    }
  });
});

describe('API keys', () => {
  it('a destroyed key stops working at once', async () => {
    put('x:ApiKey', 'k1', { accountId: 'a', secret: hashApiSecret('s3cret-s3cret-s3cret') });
    const header = `Bearer ${API_KEY_PREFIX}k1_s3cret-s3cret-s3cret`;
    expect(await permissionsOf(header)).toEqual(['sysRoleGet']);
    write((s) => s.delete('x:ApiKey', 'k1'));
    expect(await permissionsOf(header)).toBe('invalid');
  });
});
