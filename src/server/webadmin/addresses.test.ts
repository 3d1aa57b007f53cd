// Seed 002 › Creating address group and Creating address forwards on the WebAdmin listener.
// The seed's example addresses are obfuscated in the document ("[email protected]"); the
// commands below are the seed's, with group@domain.com, someuser@domain.com and
// user@domain.com in their place.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, query } from '../testkit';
import { expectError, startWebAdminTest, unchanged, type WebAdminTest } from './testing';

let t: WebAdminTest;

beforeAll(async () => {
  t = await startWebAdminTest();
  for (const d of ['domain.com', 'other.test']) expect((await t.call('PUT', `/domains/${d}`)).status).toBe(204);
  for (const u of ['user@domain.com', 'someuser@domain.com', 'another@domain.com']) {
    expect((await t.call('PUT', `/users/${u}`, { body: '{"password":"a good secret"}' })).status).toBe(204);
  }
});
afterAll(() => t.close());

async function list(address: string) {
  const [local, domain] = address.split('@');
  const domainId = (await query(t.server, 'x:Domain', { filter: { name: domain } })).ids.find(Boolean);
  const ids = (await query(t.server, 'x:MailingList', { filter: { name: local, domainId } })).ids;
  return ids.length ? (await get(t.server, 'x:MailingList', ids)).list.find((l) => l.name === local) : undefined;
}

async function forward(address: string) {
  const ids = (await query(t.server, 'x:AddressForward', { filter: { address } })).ids;
  return ids.length ? (await get(t.server, 'x:AddressForward', ids)).list.find((f) => f.address === address) : undefined;
}

describe('address groups: seed 002 curl examples', () => {
  it('PUT /address/groups/{group}/{member} creates the x:MailingList on its first member, then adds', async () => {
    expect(await list('group@domain.com')).toBeUndefined();
    const r = await t.curl('curl -XPUT http://ip:port/address/groups/group@domain.com/someuser@domain.com');
    expect(r.status, JSON.stringify(r.json)).toBe(204);
    expect(await list('group@domain.com')).toMatchObject({ name: 'group', emailAddress: 'group@domain.com', recipients: { 'someuser@domain.com': true } });
    expect((await t.call('PUT', '/address/groups/group@domain.com/outside@elsewhere.example')).status).toBe(204);
    // Adding a member twice changes nothing.
    await unchanged(t.server, ['x:MailingList'], async () => {
      expect((await t.curl('curl -XPUT http://ip:port/address/groups/group@domain.com/someuser@domain.com')).status).toBe(204);
    });
  });

  it('GET /address/groups lists the group addresses; GET /address/groups/{group} its members, sorted', async () => {
    const groups = await t.curl('curl -XGET http://ip:port/address/groups');
    expect(groups.status).toBe(200);
    expect(groups.json).toEqual(['group@domain.com']);
    const members = await t.curl('curl -XGET http://ip:port/address/groups/group@domain.com');
    expect(members.status).toBe(200);
    expect(members.json).toEqual(['outside@elsewhere.example', 'someuser@domain.com']);
  });

  it('DELETE /address/groups/{group}/{member} removes the member, and the group with its last one', async () => {
    expect((await t.curl('curl -XDELETE http://ip:port/address/groups/group@domain.com/someuser@domain.com')).status).toBe(204);
    expect((await list('group@domain.com'))?.recipients).toEqual({ 'outside@elsewhere.example': true });
    expect((await t.call('DELETE', '/address/groups/group@domain.com/outside@elsewhere.example')).status).toBe(204);
    expect(await list('group@domain.com')).toBeUndefined();
    expectError(await t.curl('curl -XGET http://ip:port/address/groups/group@domain.com'), 404, 'notFound');
    expect((await t.curl('curl -XGET http://ip:port/address/groups')).json).toEqual([]);
    // Removing from a group that is gone changes nothing.
    await unchanged(t.server, ['x:MailingList'], async () => {
      expect((await t.curl('curl -XDELETE http://ip:port/address/groups/group@domain.com/someuser@domain.com')).status).toBe(204);
    });
  });
});

describe('address groups: bad input (nothing changed)', () => {
  const types = ['x:MailingList', 'x:Account', 'x:Domain'];
  it('a group in a domain this server does not own: 403', async () => {
    await unchanged(t.server, types, async () => {
      expectError(await t.call('PUT', '/address/groups/team@nowhere.test/someuser@domain.com'), 403, 'InvalidArgument', /nowhere\.test/);
    });
  });
  it('a group address already used by a user: 409', async () => {
    await unchanged(t.server, types, async () => {
      expectError(await t.call('PUT', '/address/groups/user@domain.com/someuser@domain.com'), 409, 'WrongState', /user@domain\.com/);
    });
  });
  it('a group address or a member that is not an address: 400', async () => {
    await unchanged(t.server, types, async () => {
      expectError(await t.call('PUT', '/address/groups/nogroup/someuser@domain.com'), 400, 'InvalidArgument');
      expectError(await t.call('PUT', '/address/groups/team@domain.com/not-an-address'), 400, 'InvalidArgument');
      expectError(await t.call('PUT', '/address/groups/team@domain.com/bad%20member@domain.com'), 400, 'InvalidArgument');
      expectError(await t.call('GET', '/address/groups/nogroup'), 400, 'InvalidArgument');
      expectError(await t.call('PUT', '/address/groups/team@domain.com'), 400, 'InvalidArgument', /member/);
      expectError(await t.call('PUT', '/address/groups/Bad..Name@domain.com/someuser@domain.com'), 400, 'InvalidArgument', /dot/);
    });
  });
});

describe('address groups: membership rules of the list', () => {
  it('a list cannot be its own member: 400, nothing changed', async () => {
    expect((await t.call('PUT', '/address/groups/loop@domain.com/someuser@domain.com')).status).toBe(204);
    await unchanged(t.server, ['x:MailingList'], async () => {
      expectError(await t.call('PUT', '/address/groups/loop@domain.com/loop@domain.com'), 400, 'InvalidArgument', /own recipients/);
    });
    expect((await t.call('DELETE', '/address/groups/loop@domain.com/someuser@domain.com')).status).toBe(204);
  });
});

describe('address forwards: seed 002 curl examples', () => {
  it('PUT /address/forwards/{user}/targets/{destination} creates the x:AddressForward, then adds', async () => {
    const r = await t.curl('curl -XPUT http://ip:port/address/forwards/user@domain.com/targets/someuser@domain.com');
    expect(r.status, JSON.stringify(r.json)).toBe(204);
    expect(await forward('user@domain.com')).toMatchObject({ destinations: { 'someuser@domain.com': true } });
    // The address itself among the destinations keeps a local copy.
    expect((await t.curl('curl -XPUT http://ip:port/address/forwards/user@domain.com/targets/user@domain.com')).status).toBe(204);
    await unchanged(t.server, ['x:AddressForward'], async () => {
      expect((await t.curl('curl -XPUT http://ip:port/address/forwards/user@domain.com/targets/someuser@domain.com')).status).toBe(204);
    });
  });

  it('GET /address/forwards lists forwarded users; GET /address/forwards/{user} its destinations', async () => {
    const all = await t.curl('curl -XGET http://ip:port/address/forwards');
    expect(all.status).toBe(200);
    expect(all.json).toEqual(['user@domain.com']);
    const one = await t.curl('curl -XGET http://ip:port/address/forwards/user@domain.com');
    expect(one.status).toBe(200);
    expect(one.json).toEqual([{ mailAddress: 'someuser@domain.com' }, { mailAddress: 'user@domain.com' }]);
  });

  it('DELETE /address/forwards/{user}/targets/{destination} removes it, and the forward with the last one', async () => {
    expect((await t.curl('curl -XDELETE http://ip:port/address/forwards/user@domain.com/targets/someuser@domain.com')).status).toBe(204);
    expect((await forward('user@domain.com'))?.destinations).toEqual({ 'user@domain.com': true });
    expect((await t.curl('curl -XDELETE http://ip:port/address/forwards/user@domain.com/targets/user@domain.com')).status).toBe(204);
    expect(await forward('user@domain.com')).toBeUndefined();
    expectError(await t.curl('curl -XGET http://ip:port/address/forwards/user@domain.com'), 404, 'notFound');
    expect((await t.curl('curl -XGET http://ip:port/address/forwards')).json).toEqual([]);
    await unchanged(t.server, ['x:AddressForward'], async () => {
      expect((await t.curl('curl -XDELETE http://ip:port/address/forwards/user@domain.com/targets/user@domain.com')).status).toBe(204);
    });
  });
});

describe('address forwards: bad input (nothing changed)', () => {
  const types = ['x:AddressForward', 'x:Account', 'x:Domain'];
  it('a forward from an address that is not a user: 404', async () => {
    await unchanged(t.server, types, async () => {
      expectError(await t.call('PUT', '/address/forwards/nobody@domain.com/targets/someuser@domain.com'), 404, 'notFound', /nobody@domain\.com/);
    });
  });
  it('a forward in a domain this server does not own: 403', async () => {
    await unchanged(t.server, types, async () => {
      expectError(await t.call('PUT', '/address/forwards/user@nowhere.test/targets/someuser@domain.com'), 403, 'InvalidArgument', /nowhere\.test/);
    });
  });
  it('a destination or base that is not an address: 400; no destination in the path: 400', async () => {
    await unchanged(t.server, types, async () => {
      expectError(await t.call('PUT', '/address/forwards/user@domain.com/targets/nope'), 400, 'InvalidArgument');
      expectError(await t.call('PUT', '/address/forwards/user/targets/someuser@domain.com'), 400, 'InvalidArgument');
      expectError(await t.call('PUT', '/address/forwards/user@domain.com'), 400, 'InvalidArgument', /destination/);
      expectError(await t.call('GET', '/address/forwards/user'), 400, 'InvalidArgument');
    });
  });
  it('another user\'s forward is its own record', async () => {
    expect((await t.call('PUT', '/address/forwards/another@domain.com/targets/user@domain.com')).status).toBe(204);
    expect((await t.call('GET', '/address/forwards/another@domain.com')).json).toEqual([{ mailAddress: 'user@domain.com' }]);
    expect((await t.call('DELETE', '/address/forwards/another@domain.com/targets/user@domain.com')).status).toBe(204);
  });
});
