// What the mail daemons are told (MailDirectory), read live from records written through JMAP.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../auth/passwords';
import { startTestServer, type TestServer } from '../testing';
import { create, set } from '../testkit';
import { mailDirectory, type MailDirectory } from './directory';

let server: TestServer;
let dir: MailDirectory;
const ids: Record<string, string> = {};

const user = (name: string, domainId: string, extra: object = {}) => ({
  '@type': 'User', name, domainId, credentials: { 0: { '@type': 'Password', secret: `${name}-Passw0rd` } }, ...extra,
});

beforeAll(async () => {
  server = await startTestServer();
  dir = mailDirectory(server.store);
  ids.d = await create(server, 'x:Domain', { name: 'Example.Test', aliases: { 'alias.test': true }, catchAllAddress: 'catch@example.test' });
  ids.off = await create(server, 'x:Domain', { name: 'off.test', isEnabled: false });
  ids.bare = await create(server, 'x:Domain', { name: 'bare.test' });
  ids.u1 = await create(server, 'x:Account', user('user1', ids.d, {
    aliases: { 0: { name: 'first', domainId: ids.d }, 1: { name: 'old', domainId: ids.d, enabled: false }, 2: { name: 'u1', domainId: ids.bare } },
    credentials: {
      0: { '@type': 'Password', secret: 'user1-Passw0rd' },
      1: { '@type': 'AppPassword', description: 'phone', secret: 'user1-app-pass' },
      2: { '@type': 'Password', secret: 'user1-expired', expiresAt: '2020-01-01T00:00:00Z' },
    },
  }));
  ids.u2 = await create(server, 'x:Account', user('user2', ids.d));
  ids.u3 = await create(server, 'x:Account', user('user3', ids.d));
  ids.offUser = await create(server, 'x:Account', user('someone', ids.off));
  ids.g = await create(server, 'x:Account', { '@type': 'Group', name: 'sales', domainId: ids.d });
  ids.list = await create(server, 'x:MailingList', {
    name: 'team', domainId: ids.d, recipients: { 'User1@example.test': true, 'user2@example.test': true, 'ext@elsewhere.org': true },
    aliases: { 0: { name: 'everyone', domainId: ids.d } },
  });
  ids.fwd = await create(server, 'x:AddressForward', { address: 'user2@example.test', destinations: { 'user2@example.test': true, 'user3@example.test': true } });
});
afterAll(() => server.close());

describe('MailDirectory', () => {
  it('isLocalDomain: enabled domains and their aliases, any case', () => {
    expect(dir.isLocalDomain('example.test')).toBe(true);
    expect(dir.isLocalDomain('EXAMPLE.test')).toBe(true);
    expect(dir.isLocalDomain('alias.test')).toBe(true);
    expect(dir.isLocalDomain('off.test')).toBe(false);
    expect(dir.isLocalDomain('nowhere.test')).toBe(false);
  });

  it('mailbox: primary addresses of users and groups in enabled domains only', () => {
    expect(dir.mailbox('user1@example.test')).toBe('user1@example.test');
    expect(dir.mailbox('USER1@Example.Test')).toBe('user1@example.test');
    expect(dir.mailbox('sales@example.test')).toBe('sales@example.test');
    expect(dir.mailbox('first@example.test')).toBeNull(); // an alias: virtual_alias_maps rewrites it
    expect(dir.mailbox('team@example.test')).toBeNull(); // a list
    expect(dir.mailbox('user1@alias.test')).toBeNull(); // a domain alias: rewritten first
    expect(dir.mailbox('someone@off.test')).toBeNull();
    expect(dir.mailbox('nobody@example.test')).toBeNull();
    expect(dir.mailbox('not-an-address')).toBeNull();
  });

  it('aliasTargets: every rule of the contract', () => {
    expect(dir.aliasTargets('first@example.test')).toEqual(['user1@example.test']); // account alias
    expect(dir.aliasTargets('u1@bare.test')).toEqual(['user1@example.test']); // alias in another domain
    // A disabled alias answers with itself, which no mailbox has: refused, not caught by the catch-all.
    expect(dir.aliasTargets('old@example.test')).toEqual(['old@example.test']);
    expect(dir.mailbox('old@example.test')).toBeNull();
    expect(dir.aliasTargets('anyone@alias.test')).toEqual(['anyone@example.test']); // domain alias
    expect(dir.aliasTargets('team@example.test')).toEqual(['user1@example.test', 'user2@example.test', 'ext@elsewhere.org']); // list
    expect(dir.aliasTargets('everyone@example.test')).toEqual(['user1@example.test', 'user2@example.test', 'ext@elsewhere.org']); // list alias
    expect(dir.aliasTargets('user2@example.test')).toEqual(['user2@example.test', 'user3@example.test']); // forward keeping a copy
    expect(dir.aliasTargets('user1@example.test')).toEqual(['user1@example.test']); // mailbox, no forward
    expect(dir.aliasTargets('sales@example.test')).toEqual(['sales@example.test']);
    expect(dir.aliasTargets('@example.test')).toEqual(['catch@example.test']); // catch-all
    expect(dir.aliasTargets('@alias.test')).toEqual(['catch@example.test']);
    expect(dir.aliasTargets('@bare.test')).toBeNull();
    expect(dir.aliasTargets('nobody@example.test')).toBeNull();
    expect(dir.aliasTargets('someone@off.test')).toBeNull(); // disabled domain
    expect(dir.aliasTargets('@off.test')).toBeNull();
    expect(dir.aliasTargets('x@nowhere.test')).toBeNull();
  });

  it('login: users by address or alias with their usable secrets; groups with none; nothing else', async () => {
    const login = dir.login('User1@example.test')!;
    expect(login).toMatchObject({ accountId: ids.u1, address: 'user1@example.test', home: 'example.test/user1' });
    expect(login.secrets).toHaveLength(2); // the expired password is left out
    expect(await verifyPassword('user1-Passw0rd', login.secrets[0])).toBe(true);
    expect(await verifyPassword('user1-app-pass', login.secrets[1])).toBe(true);
    expect(dir.login('first@example.test')?.accountId).toBe(ids.u1);
    expect(dir.login('user1@alias.test')?.accountId).toBe(ids.u1);
    expect(dir.login('old@example.test')).toBeNull();
    expect(dir.login('sales@example.test')).toMatchObject({ accountId: ids.g, secrets: [], home: 'example.test/sales' });
    expect(dir.login('team@example.test')).toBeNull();
    expect(dir.login('someone@off.test')).toBeNull();
    expect(dir.login('admin')).toBeNull(); // no domain, no mailbox
    expect(dir.login('nobody@example.test')).toBeNull();
  });

  it('answers from the store as it is now: changes take effect at once', async () => {
    await set(server, 'x:Account', { update: { [ids.u3]: { 'credentials/0/secret': 'user3-changed' } } });
    expect(await verifyPassword('user3-changed', dir.login('user3@example.test')!.secrets[0])).toBe(true);
    await set(server, 'x:Domain', { update: { [ids.d]: { catchAllAddress: null } } });
    expect(dir.aliasTargets('@example.test')).toBeNull();
    await set(server, 'x:AddressForward', { destroy: [ids.fwd] });
    expect(dir.aliasTargets('user2@example.test')).toEqual(['user2@example.test']);
    await set(server, 'x:Account', { destroy: [ids.u3] });
    expect(dir.login('user3@example.test')).toBeNull();
    expect(dir.mailbox('user3@example.test')).toBeNull();
    await set(server, 'x:Domain', { update: { [ids.d]: { isEnabled: false } } });
    expect(dir.isLocalDomain('alias.test')).toBe(false);
    expect(dir.login('user1@example.test')).toBeNull();
    await set(server, 'x:Domain', { update: { [ids.d]: { isEnabled: true } } });
    expect(dir.login('user1@example.test')?.accountId).toBe(ids.u1);
  });
});
