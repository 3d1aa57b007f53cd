// Domains, accounts, lists and forwards: seed 002's rules with precise per-property errors,
// addresses unique across accounts, aliases and lists, a domain in use kept, sign-in by address.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing';
import { account, create, getOne, set, snapshot } from '../testkit';

let server: TestServer;
let d: string;
let other: string;
let u1: string;

const user = (name: string, domainId: string | null, extra: object = {}) => ({
  '@type': 'User', name, domainId, credentials: { 0: { '@type': 'Password', secret: `${name}-Passw0rd` } }, ...extra,
});

async function refused(type: string, value: object, errorType: string, properties: string[]) {
  const before = snapshot(server, type);
  const res = await set(server, type, { create: { x: value } });
  expect(res.notCreated?.x, JSON.stringify(res)).toMatchObject({ type: errorType, properties });
  expect(snapshot(server, type)).toBe(before);
  return res.notCreated!.x;
}

beforeAll(async () => {
  server = await startTestServer();
  d = await create(server, 'x:Domain', { name: 'Dir.Test', aliases: { 'Alias.Dir.Test': true } });
  other = await create(server, 'x:Domain', { name: 'other.test' });
  u1 = await create(server, 'x:Account', user('user1', d, { description: 'User One' }));
});
afterAll(() => server.close());

describe('domains', () => {
  it('are lower-cased, with a creation date; seed 002 and host name rules give precise errors', async () => {
    expect(await getOne(server, 'x:Domain', d)).toMatchObject({ name: 'dir.test', aliases: { 'alias.dir.test': true }, isEnabled: true, catchAllAddress: null });
    expect((await getOne(server, 'x:Domain', d))!.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const cases: [string, RegExp][] = [
      ['', /required|cannot be empty/],
      ['a@b.test', /cannot contain "@"/],
      ['a/b.test', /cannot contain "\/"/],
      [`${'a'.repeat(60)}.`.repeat(5) + 'test', /at most 255/i],
      ['bad_label.test', /not a host name label/],
      ['-x.test', /cannot start or end with "-"/],
      ['two..dots', /two dots/],
    ];
    for (const [name, why] of cases) {
      const e = await refused('x:Domain', { name }, 'validationFailed', ['name']);
      expect(e.description).toMatch(why);
    }
    await refused('x:Domain', { name: 'ok.test', aliases: { 'bad alias': true } }, 'validationFailed', ['aliases']);
  });

  it('a name or alias belongs to one domain', async () => {
    const e = await refused('x:Domain', { name: 'DIR.test' }, 'primaryKeyViolation', ['name']);
    expect(e.objectId).toEqual({ object: 'x:Domain', id: d });
    await refused('x:Domain', { name: 'alias.dir.test' }, 'primaryKeyViolation', ['name']);
    await refused('x:Domain', { name: 'third.test', aliases: { 'other.test': true } }, 'primaryKeyViolation', ['aliases']);
    const res = await set(server, 'x:Domain', { update: { [other]: { aliases: { 'other.test': true } } } });
    expect(res.notUpdated?.[other]).toMatchObject({ type: 'validationFailed', properties: ['aliases'] });
  });

  it('in use cannot be destroyed (objectIsLinked); once empty it can, and its names are free again', async () => {
    const temp = await create(server, 'x:Domain', { name: 'temp.test', aliases: { 'temp-alias.test': true } });
    const acc = await create(server, 'x:Account', user('t', temp));
    const list = await create(server, 'x:MailingList', { name: 'l', domainId: d, recipients: { 'x@y.test': true }, aliases: { 0: { name: 'l', domainId: temp } } });
    const before = snapshot(server, 'x:Domain');
    let res = await set(server, 'x:Domain', { destroy: [temp] });
    expect(res.notDestroyed?.[temp].type).toBe('objectIsLinked');
    expect(res.notDestroyed?.[temp].linkedObjects).toEqual(expect.arrayContaining([{ object: 'x:Account', id: acc }, { object: 'x:MailingList', id: list }]));
    expect(snapshot(server, 'x:Domain')).toBe(before);
    await set(server, 'x:Account', { destroy: [acc] });
    await set(server, 'x:MailingList', { destroy: [list] });
    res = await set(server, 'x:Domain', { destroy: [temp] });
    expect(res.destroyed).toEqual([temp]);
    expect(await create(server, 'x:Domain', { name: 'temp-alias.test' })).toBeTruthy();
  });
});

describe('accounts', () => {
  it('get their address from name and domain, and sign in with it (any case)', async () => {
    expect(await getOne(server, 'x:Account', u1)).toMatchObject({ name: 'user1', emailAddress: 'user1@dir.test', roles: { '@type': 'User' }, permissions: { '@type': 'Inherit' }, locale: 'en_US' });
    expect((await account(server, 'user1@dir.test', 'user1-Passw0rd')).name).toBe('user1@dir.test');
    expect((await server.raw('/api/account', { user: 'USER1@Dir.Test', password: 'user1-Passw0rd' })).status).toBe(200);
    // A user with a domain signs in by its address, not by its bare name.
    expect((await server.raw('/api/account', { user: 'user1', password: 'user1-Passw0rd' })).status).toBe(401);
    const wrongType = await set(server, 'x:Account', { create: { x: { ...user('fix', d), emailAddress: 'fix@dir.test' } } });
    expect(wrongType.notCreated?.x).toMatchObject({ type: 'invalidProperties', properties: ['emailAddress'] });
  });

  it('every usable credential signs in: app passwords too, expired ones not', async () => {
    const id = await create(server, 'x:Account', user('creds', d, {
      credentials: {
        0: { '@type': 'Password', secret: 'main-Passw0rd' },
        1: { '@type': 'AppPassword', description: 'phone', secret: 'app-Passw0rd' },
        2: { '@type': 'Password', secret: 'old-Passw0rd', expiresAt: '2021-01-01T00:00:00Z' },
      },
    }));
    const status = async (pw: string) => (await server.raw('/api/account', { user: 'creds@dir.test', password: pw })).status;
    expect([await status('main-Passw0rd'), await status('app-Passw0rd'), await status('old-Passw0rd')]).toEqual([200, 200, 401]);
    const shown = (await getOne(server, 'x:Account', id))!.credentials as Record<string, Record<string, unknown>>;
    expect(Object.values(shown).map((c) => [c['@type'], c.secret, c.credentialId])).toEqual([['Password', null, '0'], ['AppPassword', null, '1'], ['Password', null, '2']]);
    expect(shown[1].createdAt).toMatch(/^\d{4}-/);
    // Dropping the app password ends it at once.
    await set(server, 'x:Account', { update: { [id]: { 'credentials/1': null } } });
    expect(await status('app-Passw0rd')).toBe(401);
  });

  it("one save removes a credential, relabels another and adds a third: each keeps its own secret", async () => {
    const id = await create(server, 'x:Account', user('three', d, {
      credentials: {
        0: { '@type': 'Password', secret: 'main-Passw0rd' },
        1: { '@type': 'AppPassword', description: 'old phone', secret: 'phone-Passw0rd' },
        2: { '@type': 'AppPassword', description: 'laptop', secret: 'laptop-Passw0rd' },
      },
    }));
    // The console's patch: items by the keys they had (forms/patch.ts), removals first.
    const res = await set(server, 'x:Account', {
      update: { [id]: { 'credentials/1': null, 'credentials/2/description': 'work laptop', 'credentials/3': { '@type': 'AppPassword', description: 'new', secret: 'new-Passw0rd' } } },
    });
    expect(res.updated, JSON.stringify(res)).toHaveProperty(id);
    const status = async (pw: string) => (await server.raw('/api/account', { user: 'three@dir.test', password: pw })).status;
    expect([await status('main-Passw0rd'), await status('phone-Passw0rd'), await status('laptop-Passw0rd'), await status('new-Passw0rd')]).toEqual([200, 401, 200, 200]);
    const shown = (await getOne(server, 'x:Account', id))!.credentials as Record<string, Record<string, unknown>>;
    expect(Object.values(shown).map((c) => c.description ?? c['@type'])).toEqual(['Password', 'work laptop', 'new']);
  });

  it('at most 20 credentials per account', async () => {
    const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [String(i), { '@type': 'AppPassword', description: `app ${i}`, secret: `app-${i}-Passw0rd` }]));
    await refused('x:Account', user('many', d, { credentials: many }), 'validationFailed', ['credentials']);
  });

  it("an address that an older account without a domain signs in with stays that account's", async () => {
    // As migration 5 leaves it: a name from before domains that reads like an address.
    const carol = await create(server, 'x:Account', user('carol', null));
    server.store.update('x:Account', carol, { ...server.store.get('x:Account', carol)!, name: 'carol@late.test' }, []);
    const late = await create(server, 'x:Domain', { name: 'late.test' });
    const clash = await refused('x:Account', user('carol', late), 'primaryKeyViolation', ['name']);
    expect(clash.description).toMatch(/without a domain is named "carol@late\.test"/);
  });

  it('a password credential without a secret is a precise error, and changes nothing', async () => {
    await refused('x:Account', user('nosecret', d, { credentials: { 0: { '@type': 'Password' } } }), 'validationFailed', ['credentials/0/secret']);
    await refused('x:Account', user('empty', d, { credentials: { 0: { '@type': 'AppPassword', description: 'x', secret: '' } } }), 'validationFailed', ['credentials/0/secret']);
    const before = snapshot(server, 'x:Account');
    const res = await set(server, 'x:Account', { update: { [u1]: { 'credentials/1': { '@type': 'Password' } } } });
    expect(res.notUpdated?.[u1]).toMatchObject({ type: 'validationFailed', properties: ['credentials/1/secret'] });
    expect(snapshot(server, 'x:Account')).toBe(before);
  });

  it('a new secret ends the account\u2019s OAuth sessions; other writes keep them', async () => {
    const id = await create(server, 'x:Account', user('sessions', d));
    const sessions = () => server.store.db.prepare("SELECT count(*) FROM oauth WHERE json_extract(payload, '$.accountId') = ?").pluck().get(id);
    server.store.db.prepare("INSERT INTO oauth (model, id, payload) VALUES ('Session', ?, json_object('accountId', ?))").run(`s-${id}`, id);
    await set(server, 'x:Account', { update: { [id]: { description: 'renamed', locale: 'fr_FR' } } });
    expect(sessions()).toBe(1);
    await set(server, 'x:Account', { update: { [id]: { 'credentials/0/secret': 'new-Passw0rd' } } });
    expect(sessions()).toBe(0);
  });

  it('names follow seed 002 and local-part rules, per property', async () => {
    await refused('x:Account', user('a/b', d), 'validationFailed', ['name']);
    await refused('x:Account', user('a@b', d), 'validationFailed', ['name']);
    await refused('x:Account', user('x'.repeat(65), d), 'validationFailed', ['name']);
    await refused('x:Account', user('ok', d, { aliases: { 0: { name: 'bad alias', domainId: d } } }), 'validationFailed', ['aliases/0/name']);
    await refused('x:Account', user('ok', 'nosuchdomain'), 'invalidForeignKey', ['domainId']);
  });
});

describe('addresses are unique across accounts, aliases and lists', () => {
  it('each address has one owner, whichever kind, with the owner named', async () => {
    let e = await refused('x:Account', user('USER1', d), 'primaryKeyViolation', ['name']);
    expect(e.objectId).toEqual({ object: 'x:Account', id: u1 });
    expect(e.description).toContain('user1@dir.test');
    await refused('x:Account', { '@type': 'Group', name: 'user1', domainId: d }, 'primaryKeyViolation', ['name']);
    await refused('x:MailingList', { name: 'user1', domainId: d, recipients: { 'a@b.test': true } }, 'primaryKeyViolation', ['name']);
    await refused('x:Account', user('user2', d, { aliases: { 0: { name: 'user1', domainId: d } } }), 'primaryKeyViolation', ['aliases/0/name']);
    await refused('x:Account', user('user2', d, { aliases: { 0: { name: 'same', domainId: d }, 1: { name: 'Same', domainId: d } } }), 'validationFailed', ['aliases/1/name']);
    const list = await create(server, 'x:MailingList', { name: 'team', domainId: d, recipients: { 'user1@dir.test': true }, aliases: { 0: { name: 'all', domainId: d } } });
    await refused('x:Account', user('team', d), 'primaryKeyViolation', ['name']);
    e = await refused('x:Account', user('x1', d, { aliases: { 0: { name: 'all', domainId: d } } }), 'primaryKeyViolation', ['aliases/0/name']);
    expect(e.objectId).toEqual({ object: 'x:MailingList', id: list });
    // The same local part in another domain is another address.
    expect(await create(server, 'x:Account', user('user1', other))).toBeTruthy();
    // Without a domain, names are unique among accounts without one.
    await refused('x:Account', user('admin', null), 'primaryKeyViolation', ['name']);
    // An address freed by a change can be taken.
    await set(server, 'x:MailingList', { update: { [list]: { aliases: {} } } });
    expect(await create(server, 'x:Account', user('x2', d, { aliases: { 0: { name: 'all', domainId: d } } }))).toBeTruthy();
  });

  it('mailing lists: address set by the server, recipients lower-cased, at least one, never itself', async () => {
    const id = await create(server, 'x:MailingList', { name: 'Staff', domainId: d, recipients: { 'User1@Dir.test': true } });
    expect(await getOne(server, 'x:MailingList', id)).toMatchObject({ emailAddress: 'staff@dir.test', recipients: { 'user1@dir.test': true } });
    await refused('x:MailingList', { name: 'empty', domainId: d, recipients: {} }, 'validationFailed', ['recipients']);
    await refused('x:MailingList', { name: 'self', domainId: d, recipients: { 'self@dir.test': true } }, 'validationFailed', ['recipients']);
    await refused('x:MailingList', { name: 'nodomain', recipients: { 'a@b.test': true } }, 'validationFailed', ['domainId']);
    await refused('x:MailingList', { name: 'bad', domainId: d, recipients: { 'not an address': true } }, 'validationFailed', ['recipients']);
    const e = await refused('x:MailingList', { name: 'intl', domainId: d, recipients: { 'jos\u00e9@example.org': true } }, 'validationFailed', ['recipients']);
    expect(e.description).toContain('ASCII');
  });
});

describe('forwards', () => {
  it('are for an existing user\u2019s address only, one per address, and keep the user from being deleted', async () => {
    await refused('x:AddressForward', { address: 'nobody@dir.test', destinations: { 'a@b.test': true } }, 'validationFailed', ['address']);
    const lst = await create(server, 'x:MailingList', { name: 'fwdlist', domainId: d, recipients: { 'a@b.test': true } });
    expect(lst).toBeTruthy();
    await refused('x:AddressForward', { address: 'fwdlist@dir.test', destinations: { 'a@b.test': true } }, 'validationFailed', ['address']);
    await refused('x:AddressForward', { address: 'user1@dir.test', destinations: {} }, 'validationFailed', ['destinations']);
    await refused('x:AddressForward', { address: 'user1@dir.test', destinations: { 'm\u00fcller@b.test': true } }, 'validationFailed', ['destinations']);
    const target = await create(server, 'x:Account', user('fwd', d));
    const f = await create(server, 'x:AddressForward', { address: 'FWD@dir.test', destinations: { 'fwd@dir.test': true, 'Elsewhere@b.test': true } });
    expect(await getOne(server, 'x:AddressForward', f)).toMatchObject({ address: 'fwd@dir.test', destinations: { 'fwd@dir.test': true, 'elsewhere@b.test': true } });
    await refused('x:AddressForward', { address: 'fwd@dir.test', destinations: { 'a@b.test': true } }, 'primaryKeyViolation', ['address']);
    const res = await set(server, 'x:Account', { destroy: [target] });
    expect(res.notDestroyed?.[target]).toMatchObject({ type: 'objectIsLinked', linkedObjects: [{ object: 'x:AddressForward', id: f }] });
    await set(server, 'x:AddressForward', { destroy: [f] });
    expect((await set(server, 'x:Account', { destroy: [target] })).destroyed).toEqual([target]);
  });
});
