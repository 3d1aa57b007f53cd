// Seed 002 › Administrating users on the WebAdmin listener: every curl example as written
// (plus the Authorization header), the password really changing the sign-in, bad input.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailDirectory } from '../mail/directory';
import { get, query } from '../testkit';
import { expectError, startWebAdminTest, unchanged, type WebAdminTest } from './testing';

let t: WebAdminTest;

beforeAll(async () => {
  t = await startWebAdminTest();
  expect((await t.call('PUT', '/domains/example.test')).status).toBe(204);
});
afterAll(() => t.close());

/** Whether these credentials sign in on the JMAP listener. */
async function signsIn(user: string, password: string): Promise<boolean> {
  const res = await t.server.raw('/api/account', { user, password });
  await res.text();
  return res.status === 200;
}

async function usernames(): Promise<string[]> {
  const r = await t.curl('curl -XGET http://ip:port/users');
  expect(r.status).toBe(200);
  return (r.json as { username: string }[]).map((u) => u.username);
}

describe('seed 002 curl examples', () => {
  it('PUT /users/usernameToBeUsed -d {"password": …} creates a user who can sign in', async () => {
    const r = await t.curl(`curl -XPUT http://ip:port/users/usernameToBeUsed -d '{"password":"passwordToBeUsed"}'`);
    expect(r.status, JSON.stringify(r.json)).toBe(204);
    expect(r.json).toBeNull();
    expect(await usernames()).toContain('usernameToBeUsed');
    expect(await signsIn('usernameToBeUsed', 'passwordToBeUsed')).toBe(true);
  });

  it('the same PUT on an existing user updates its password: the old one stops working', async () => {
    expect((await t.curl(`curl -XPUT http://ip:port/users/usernameToBeUsed -d '{"password":"anotherPassword"}'`)).status).toBe(204);
    expect(await signsIn('usernameToBeUsed', 'anotherPassword')).toBe(true);
    expect(await signsIn('usernameToBeUsed', 'passwordToBeUsed')).toBe(false);
    expect((await usernames()).filter((u) => u === 'usernameToBeUsed')).toHaveLength(1);
  });

  it('DELETE /users/userToBeDeleted removes the user (204); again is 204 and changes nothing', async () => {
    expect((await t.curl(`curl -XPUT http://ip:port/users/userToBeDeleted -d '{"password":"passwordToBeUsed"}'`)).status).toBe(204);
    expect(await usernames()).toContain('userToBeDeleted');
    expect((await t.curl('curl -XDELETE http://ip:port/users/userToBeDeleted')).status).toBe(204);
    expect(await usernames()).not.toContain('userToBeDeleted');
    expect(await signsIn('userToBeDeleted', 'passwordToBeUsed')).toBe(false);
    await unchanged(t.server, ['x:Account'], async () => {
      expect((await t.curl('curl -XDELETE http://ip:port/users/userToBeDeleted')).status).toBe(204);
    });
  });

  it('GET /users lists [{"username": …}] for every user, full addresses for users in a domain', async () => {
    expect((await t.call('PUT', '/users/bob@example.test', { body: '{"password":"bob secret 1"}' })).status).toBe(204);
    expect((await t.call('PUT', '/users/alice@Example.TEST', { body: '{"password":"alice secret 1"}' })).status).toBe(204);
    const r = await t.curl('curl -XGET http://ip:port/users');
    expect(r.status).toBe(200);
    const list = r.json as { username: string }[];
    for (const u of list) expect(Object.keys(u)).toEqual(['username']);
    const names = list.map((u) => u.username);
    expect(names).toEqual(expect.arrayContaining(['admin', 'alice@example.test', 'bob@example.test']));
    expect(names).toEqual([...names].sort());
    const users = await query(t.server, 'x:Account/User', { calculateTotal: true });
    expect(names).toHaveLength(users.total!);
  });
});

describe('a user in a domain', () => {
  it('is an x:Account User with name and domainId, signs in by address, and its secret is stored hashed', async () => {
    expect((await t.call('PUT', '/users/carol@example.test', { body: '{"password":"carol secret 1"}' })).status).toBe(204);
    const domainId = (await query(t.server, 'x:Domain', { filter: { name: 'example.test' } })).ids[0];
    const ids = (await query(t.server, 'x:Account/User', { filter: { name: 'carol', domainId } })).ids;
    expect(ids).toHaveLength(1);
    const account = (await get(t.server, 'x:Account', ids)).list[0];
    expect(account).toMatchObject({ '@type': 'User', name: 'carol', domainId, emailAddress: 'carol@example.test' });
    expect(JSON.stringify(t.server.store.get('x:Account', ids[0]))).not.toContain('carol secret 1');
    expect(await signsIn('carol@example.test', 'carol secret 1')).toBe(true);
    // The type's own write hooks ran: the mail daemons' directory knows the new mailbox.
    expect(mailDirectory(t.server.store).mailbox('carol@example.test')).toBe('carol@example.test');
    expect(mailDirectory(t.server.store).login('carol@example.test')?.secrets).toHaveLength(1);
    // A new password keeps the account (same id) and replaces the old secret.
    expect((await t.call('PUT', '/users/carol@example.test', { body: '{"password":"carol secret 2"}' })).status).toBe(204);
    expect((await query(t.server, 'x:Account/User', { filter: { name: 'carol', domainId } })).ids).toEqual(ids);
    expect(await signsIn('carol@example.test', 'carol secret 2')).toBe(true);
    expect(await signsIn('carol@example.test', 'carol secret 1')).toBe(false);
  });
});

describe('bad input (400 or 409 with the error body, nothing changed)', () => {
  const pw = '{"password":"a good secret"}';
  const cases: [string, string, string | undefined, number, RegExp][] = [
    ['a domain that does not exist', '/users/dave@nowhere.test', pw, 400, /PUT \/domains\/nowhere\.test/],
    ['a name with / (encoded)', '/users/da%2Fve@example.test', pw, 400, /\//],
    ['a name over 255 characters', `/users/${'d'.repeat(250)}@example.test`, pw, 400, /255/],
    ['an empty local part', '/users/@example.test', pw, 400, /empty/],
    ['a local part over 64 characters', `/users/${'d'.repeat(65)}@example.test`, pw, 400, /name/],
    ['a local part with a space', '/users/da%20ve@example.test', pw, 400, /name/],
    ['a body that is not JSON', '/users/dave@example.test', 'password=x', 400, /JSON/],
    ['no password', '/users/dave@example.test', '{}', 400, /password/],
    ['a password that is not a string', '/users/dave@example.test', '{"password":12}', 400, /password/],
    ['an unknown property', '/users/dave@example.test', '{"password":"x y z w","admin":true}', 400, /admin/],
    ['an empty password', '/users/dave@example.test', '{"password":""}', 400, /secret|password/i],
    ['no body', '/users/dave@example.test', undefined, 400, /JSON/],
  ];
  for (const [what, path, body, status, cause] of cases) {
    it(what, async () => {
      await unchanged(t.server, ['x:Account', 'x:Domain'], async () => {
        expectError(await t.call('PUT', path, { body }), status, 'InvalidArgument', cause);
      });
    });
  }

  it('a body over 64 KB: 400 before it is read', async () => {
    await unchanged(t.server, ['x:Account'], async () => {
      expectError(await t.call('PUT', '/users/gina@example.test', { body: JSON.stringify({ password: 'x'.repeat(70_000) }) }), 400, 'InvalidArgument');
    });
  });

  it('an address a mailing list already has: 409', async () => {
    expect((await t.call('PUT', '/address/groups/team@example.test/bob@example.test')).status).toBe(204);
    await unchanged(t.server, ['x:Account', 'x:MailingList'], async () => {
      expectError(await t.call('PUT', '/users/team@example.test', { body: pw }), 409, 'WrongState', /team@example\.test/);
    });
  });

  it('a key without sysAccountCreate: 403, nothing created', async () => {
    const key = await t.keyWith(['sysDomainGet', 'sysDomainQuery', 'sysAccountGet', 'sysAccountQuery']);
    await unchanged(t.server, ['x:Account'], async () => {
      expectError(await t.call('PUT', '/users/erin@example.test', { key, body: pw }), 403, 'Forbidden', /sysAccountCreate/);
    });
  });

  it('a user whose mail is forwarded cannot be deleted until the forward is: 409', async () => {
    expect((await t.call('PUT', '/users/frank@example.test', { body: pw })).status).toBe(204);
    expect((await t.call('PUT', '/address/forwards/frank@example.test/targets/bob@example.test')).status).toBe(204);
    await unchanged(t.server, ['x:Account', 'x:AddressForward'], async () => {
      expectError(await t.call('DELETE', '/users/frank@example.test'), 409, 'WrongState', /forward/);
    });
    expect((await t.call('DELETE', '/address/forwards/frank@example.test/targets/bob@example.test')).status).toBe(204);
    expect((await t.call('DELETE', '/users/frank@example.test')).status).toBe(204);
    expect(await usernames()).not.toContain('frank@example.test');
  });

  it('nobody deletes the account they are signed in with: 403', async () => {
    await unchanged(t.server, ['x:Account'], async () => {
      expectError(await t.call('DELETE', '/users/admin'), 403, 'Forbidden');
    });
  });
});
