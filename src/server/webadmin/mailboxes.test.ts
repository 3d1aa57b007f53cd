// Seed 002 › Administrating user mailboxes on the WebAdmin listener, against the real mail
// store: Postern's own Dovecot started through its x:Service, the user logging in over IMAP
// to see what the routes did (LIST), bad input refused with nothing changed, and the
// x:AccountMailbox records behind the routes over JMAP. Skipped only without Dovecot.
//
// The seed's user is `usernameToBeUsed`, a name without a domain. In Postern such an
// account only administers and has no mail store, so the seed's commands are run as
// written with that name completed to an address (USER); the bare name answers 404 and says why.

import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doveadm } from '../mail/doveadm';
import { applyMailboxWrites, refreshAccount } from '../mail/mailboxMirror';
import type { WriteContext } from '../objects/define';
import { create, get, query, set, snapshot, userAccount } from '../testkit';
import { mailStoreMissing, startMailWebAdminTest, type MailWebAdminTest } from './mailTesting';
import { expectError } from './testing';

const missing = await mailStoreMissing();
const USER = 'usernameToBeUsed@example.test';
const PASSWORD = 'mailbox tester 1';
const SLOW = 60_000;

/** A seed command with its user completed to an address (see the header). */
const seed = (command: string) => command.replace('/users/usernameToBeUsed/', `/users/${USER}/`);

describe.skipIf(!!missing)(`user mailboxes on the real mail store${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let t: MailWebAdminTest;
  let accountId: string;

  beforeAll(async () => {
    t = await startMailWebAdminTest();
    expect((await t.call('PUT', '/domains/example.test')).status).toBe(204);
    expect((await t.call('PUT', `/users/${USER}`, { body: JSON.stringify({ password: PASSWORD }) })).status).toBe(204);
    accountId = (await query(t.server, 'x:Account/User', { filter: { emailAddress: USER.toLowerCase() } })).ids[0];
    expect(accountId).toBeTruthy();
  }, SLOW);
  afterAll(() => t?.close());

  /** What the user sees over IMAP: every mailbox LIST answers, sorted. */
  async function imapList(user = USER, pass = PASSWORD): Promise<string[]> {
    const c = new ImapFlow({
      host: '127.0.0.1', port: t.imapPort, secure: false, doSTARTTLS: false, auth: { user, pass }, logger: false,
      connectionTimeout: 5000, greetingTimeout: 5000, socketTimeout: 15_000,
    });
    await c.connect();
    try {
      return (await c.list()).map((m) => m.path).sort();
    } finally {
      await c.logout().catch(() => c.close());
    }
  }

  async function listed(): Promise<string[]> {
    const r = await t.curl(seed('curl -XGET http://ip:port/users/usernameToBeUsed/mailboxes'));
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    return (r.json as { mailboxName: string }[]).map((m) => m.mailboxName);
  }

  /** Runs `f` and checks the mirror records and the user's IMAP LIST are as before. */
  async function nothingChanged(f: () => Promise<void>) {
    const imapBefore = await imapList();
    const before = snapshot(t.server, 'x:AccountMailbox');
    await f();
    expect(snapshot(t.server, 'x:AccountMailbox')).toEqual(before);
    expect(await imapList()).toEqual(imapBefore);
  }

  describe('seed 002 curl examples', () => {
    it('PUT …/mailboxes/mailboxNameToBeCreated: 204, and the user sees it in IMAP LIST', async () => {
      const r = await t.curl(seed('curl -XPUT http://ip:port/users/usernameToBeUsed/mailboxes/mailboxNameToBeCreated'));
      expect(r.status, JSON.stringify(r.json)).toBe(204);
      expect(r.json).toBeNull();
      expect(await imapList()).toContain('mailboxNameToBeCreated');
      // Again: it exists, which is what PUT asks for.
      expect((await t.curl(seed('curl -XPUT http://ip:port/users/usernameToBeUsed/mailboxes/mailboxNameToBeCreated'))).status).toBe(204);
    }, SLOW);

    it('GET …/mailboxes/mailboxNameToBeCreated: 204 when it exists', async () => {
      const r = await t.curl(seed('curl -XGET http://ip:port/users/usernameToBeUsed/mailboxes/mailboxNameToBeCreated'));
      expect(r.status).toBe(204);
      expect(r.json).toBeNull();
    });

    it('GET …/mailboxes: [{"mailboxName": …}] for every mailbox, INBOX included', async () => {
      const r = await t.curl(seed('curl -XGET http://ip:port/users/usernameToBeUsed/mailboxes'));
      expect(r.status).toBe(200);
      const list = r.json as { mailboxName: string }[];
      for (const m of list) expect(Object.keys(m)).toEqual(['mailboxName']);
      expect(list.map((m) => m.mailboxName)).toEqual(['INBOX', 'mailboxNameToBeCreated']);
      expect(list.map((m) => m.mailboxName)).toEqual(await imapList());
    });

    it('the nested sample (DELETE …/INBOX.work, as the seed writes it) is 204; PUT makes INBOX.work inside INBOX', async () => {
      const del = await t.curl(seed('curl -XDELETE http://ip:port/users/usernameToBeUsed/mailboxes/INBOX.work'));
      expect(del.status).toBe(204);
      expect(await imapList()).not.toContain('INBOX.work');
      expect((await t.call('PUT', `/users/${USER}/mailboxes/INBOX.work`)).status).toBe(204);
      expect(await imapList()).toContain('INBOX.work');
      expect((await t.call('GET', `/users/${USER}/mailboxes/INBOX.work`)).status).toBe(204);
    }, SLOW);

    it('DELETE …/mailboxes/mailboxNameToBeCreated: 204, gone from IMAP LIST; again 204', async () => {
      const r = await t.curl(seed('curl -XDELETE http://ip:port/users/usernameToBeUsed/mailboxes/mailboxNameToBeCreated'));
      expect(r.status).toBe(204);
      expect(await imapList()).not.toContain('mailboxNameToBeCreated');
      expect((await t.curl(seed('curl -XGET http://ip:port/users/usernameToBeUsed/mailboxes/mailboxNameToBeCreated'))).status).toBe(404);
      expect((await t.curl(seed('curl -XDELETE http://ip:port/users/usernameToBeUsed/mailboxes/mailboxNameToBeCreated'))).status).toBe(204);
    }, SLOW);

    it('DELETE …/mailboxes: every mailbox goes but INBOX, which Dovecot keeps', async () => {
      for (const m of ['one', 'two.three', 'INBOX.sub.deeper']) expect((await t.call('PUT', `/users/${USER}/mailboxes/${m}`)).status).toBe(204);
      expect(await imapList()).toEqual(['INBOX', 'INBOX.sub', 'INBOX.sub.deeper', 'INBOX.work', 'one', 'two', 'two.three']);
      const r = await t.curl(seed('curl -XDELETE http://ip:port/users/usernameToBeUsed/mailboxes'));
      expect(r.status, JSON.stringify(r.json)).toBe(204);
      expect(await imapList()).toEqual(['INBOX']);
      expect(await listed()).toEqual(['INBOX']);
    }, SLOW);

    it('the seed\u2019s bare user name is an account without a domain: 404, saying it has no mail store', async () => {
      expect((await t.call('PUT', '/users/usernameToBeUsed', { body: '{"password":"passwordToBeUsed"}' })).status).toBe(204);
      const r = await t.curl('curl -XGET http://ip:port/users/usernameToBeUsed/mailboxes');
      expectError(r, 404, 'notFound', /without a domain/);
    });
  });

  describe('nested mailboxes', () => {
    it('a deep path is made with its parents; deleting a parent takes its children, in IMAP too', async () => {
      expect((await t.call('PUT', `/users/${USER}/mailboxes/projects.2026.q1`)).status).toBe(204);
      expect(await imapList()).toEqual(expect.arrayContaining(['projects', 'projects.2026', 'projects.2026.q1']));
      expect(await listed()).toEqual(expect.arrayContaining(['projects', 'projects.2026', 'projects.2026.q1']));
      expect((await t.call('DELETE', `/users/${USER}/mailboxes/projects.2026`)).status).toBe(204);
      const after = await imapList();
      expect(after).toContain('projects');
      expect(after.filter((m) => m.startsWith('projects.'))).toEqual([]);
      expect(await listed()).not.toContain('projects.2026.q1');
    }, SLOW);

    it('names beyond ASCII and with spaces reach IMAP as they were given; "inbox" is INBOX', async () => {
      const name = 'Entw\u00fcrfe 2026.n\u00e4chste Woche';
      expect((await t.call('PUT', `/users/${USER}/mailboxes/${encodeURIComponent(name)}`)).status).toBe(204);
      expect(await imapList()).toEqual(expect.arrayContaining(['Entw\u00fcrfe 2026', name]));
      expect((await t.call('GET', `/users/${USER}/mailboxes/${encodeURIComponent(name)}`)).status).toBe(204);
      expect((await t.call('PUT', `/users/${USER}/mailboxes/inbox.lower`)).status).toBe(204);
      expect(await imapList()).toContain('INBOX.lower');
      expect((await t.call('GET', `/users/${USER}/mailboxes/Inbox.lower`)).status).toBe(204);
      for (const n of ['Entw\u00fcrfe 2026', 'INBOX.lower']) expect((await t.call('DELETE', `/users/${USER}/mailboxes/${encodeURIComponent(n)}`)).status).toBe(204);
      expect((await imapList()).filter((m) => m.startsWith('Entw') || m === 'INBOX.lower')).toEqual([]);
    }, SLOW);

    it('mailboxes made over IMAP and mail in them show in the mirror, with counts and size', async () => {
      const c = new ImapFlow({ host: '127.0.0.1', port: t.imapPort, secure: false, doSTARTTLS: false, auth: { user: USER, pass: PASSWORD }, logger: false });
      await c.connect();
      const message = 'From: a@example.test\r\nTo: b@example.test\r\nSubject: counted\r\n\r\nhello\r\n';
      try {
        await c.mailboxCreate('fromImap');
        await c.append('fromImap', message, []);
        await c.append('fromImap', message, ['\\Seen']);
      } finally {
        await c.logout().catch(() => c.close());
      }
      expect(await listed()).toContain('fromImap');
      const ids = (await query(t.server, 'x:AccountMailbox', { filter: { accountId } })).ids;
      const recs = (await get(t.server, 'x:AccountMailbox', ids)).list;
      const box = recs.find((r) => r.name === 'fromImap');
      expect(box).toMatchObject({ accountId, name: 'fromImap', totalEmails: 2, unreadEmails: 1, size: 2 * Buffer.byteLength(message) });
      // Deleted behind Postern's back: the next read drops the record.
      await doveadm(t.server.dataDir, ['mailbox', 'delete', '-u', USER, 'fromImap']);
      const again = (await query(t.server, 'x:AccountMailbox', { filter: { accountId } })).ids;
      expect(again).not.toContain(box!.id);
    }, SLOW);
  });

  describe('names doveadm must not misread', () => {
    it('a name starting with "-" is a mailbox, never a doveadm option', async () => {
      for (const n of ['-s', '--help', '-A', '-r.kid']) {
        const r = await t.call('PUT', `/users/${USER}/mailboxes/${encodeURIComponent(n)}`);
        expect(r.status, `${n}: ${JSON.stringify(r.json)}`).toBe(204);
      }
      expect(await imapList()).toEqual(expect.arrayContaining(['-s', '--help', '-A', '-r', '-r.kid']));
      for (const n of ['-s', '--help', '-A', '-r']) expect((await t.call('DELETE', `/users/${USER}/mailboxes/${encodeURIComponent(n)}`)).status, n).toBe(204);
      expect((await imapList()).filter((m) => m.startsWith('-'))).toEqual([]);
    }, SLOW);

    it('deleting a mailbox whose name has "%" or "*" (made over IMAP) takes only its own children', async () => {
      const c = new ImapFlow({ host: '127.0.0.1', port: t.imapPort, secure: false, doSTARTTLS: false, auth: { user: USER, pass: PASSWORD }, logger: false });
      await c.connect();
      try {
        for (const n of ['keep', 'keep.child', '%', '%.own', 'st*r', 'stAr.kid']) await c.mailboxCreate(n);
      } finally {
        await c.logout().catch(() => c.close());
      }
      expect(await listed()).toEqual(expect.arrayContaining(['%', '%.own', 'st*r', 'keep.child', 'stAr.kid']));
      const recs = (await get(t.server, 'x:AccountMailbox', (await query(t.server, 'x:AccountMailbox', { filter: { accountId } })).ids)).list;
      const ids = ['%', 'st*r'].map((n) => recs.find((m) => m.name === n)!.id as string);
      const d = await set(t.server, 'x:AccountMailbox', { destroy: ids });
      expect(d.notDestroyed).toBeNull();
      const after = await imapList();
      expect(after.filter((m) => ['%', '%.own', 'st*r'].includes(m))).toEqual([]);
      expect(after).toEqual(expect.arrayContaining(['keep', 'keep.child', 'stAr', 'stAr.kid']));
      for (const n of ['keep', 'stAr']) expect((await t.call('DELETE', `/users/${USER}/mailboxes/${n}`)).status).toBe(204);
    }, SLOW);

    it('the longest name fits Maildir++ (one directory name, modified UTF-7); a longer one is 400, not 500', async () => {
      const longest = 'a'.repeat(100) + '.' + 'b'.repeat(153);
      expect((await t.call('PUT', `/users/${USER}/mailboxes/${longest}`)).status).toBe(204);
      expect(await imapList()).toContain(longest);
      expect((await t.call('DELETE', `/users/${USER}/mailboxes/${'a'.repeat(100)}`)).status).toBe(204);
      await nothingChanged(async () => {
        expectError(await t.call('PUT', `/users/${USER}/mailboxes/${longest}b`), 400, 'InvalidArgument', /at most 254 characters/);
        expectError(await t.call('PUT', `/users/${USER}/mailboxes/${encodeURIComponent('\u00fc'.repeat(100))}`), 400, 'InvalidArgument', /at most 254 bytes/);
      });
    }, SLOW);
  });

  describe('bad input: the precise error and nothing changed', () => {
    it('invalid names are 400 on every route, naming what is wrong', async () => {
      const cases: [string, RegExp][] = [
        ['bad%23name', /"#"/], ['a%26b', /"&"/], ['100%25', /"%"/], ['star*', /"\*"/],
        ['a..b', /empty level/], ['.hidden', /start or end with "\."/], ['trailing.', /start or end/], ['a%2Fb', /"\/"/],
      ];
      await nothingChanged(async () => {
        for (const [name, why] of cases) {
          for (const method of ['PUT', 'GET', 'DELETE']) {
            expectError(await t.call(method, `/users/${USER}/mailboxes/${name}`), 400, 'InvalidArgument', why);
          }
        }
      });
    }, SLOW);

    it('INBOX cannot be deleted: 400 saying why', async () => {
      await nothingChanged(async () => {
        expectError(await t.call('DELETE', `/users/${USER}/mailboxes/INBOX`), 400, 'InvalidArgument', /INBOX cannot be deleted/);
        expectError(await t.call('DELETE', `/users/${USER}/mailboxes/inbox`), 400, 'InvalidArgument', /INBOX cannot be deleted/);
      });
    }, SLOW);

    it('an unknown user is 404 on every route', async () => {
      await nothingChanged(async () => {
        for (const [method, path] of [['PUT', '/mailboxes/x'], ['GET', '/mailboxes/x'], ['DELETE', '/mailboxes/x'], ['GET', '/mailboxes'], ['DELETE', '/mailboxes']]) {
          expectError(await t.call(method, `/users/nobody@example.test${path}`), 404, 'notFound', /nobody@example\.test/);
          expectError(await t.call(method, `/users/nobody@unknown.test${path}`), 404, 'notFound');
        }
      });
    }, SLOW);
  });

  describe('permissions', () => {
    it('a key without the mailbox permissions is refused (403) and Dovecot is not touched', async () => {
      const key = await t.keyWith(['sysAccountGet', 'sysAccountQuery', 'sysDomainGet', 'sysDomainQuery']);
      await nothingChanged(async () => {
        expectError(await t.call('PUT', `/users/${USER}/mailboxes/notAllowed`, { key }), 403, 'Forbidden', /sysAccountMailbox/);
        expectError(await t.call('GET', `/users/${USER}/mailboxes`, { key }), 403, 'Forbidden', /sysAccountMailbox/);
        expectError(await t.call('DELETE', `/users/${USER}/mailboxes`, { key }), 403, 'Forbidden', /sysAccountMailbox/);
      });
      const reader = await t.keyWith(['sysAccountGet', 'sysAccountQuery', 'sysDomainGet', 'sysDomainQuery', 'sysAccountMailboxGet', 'sysAccountMailboxQuery']);
      expect((await t.call('GET', `/users/${USER}/mailboxes`, { key: reader })).status).toBe(200);
      await nothingChanged(async () => {
        expectError(await t.call('PUT', `/users/${USER}/mailboxes/notAllowed`, { key: reader }), 403, 'Forbidden', /sysAccountMailboxCreate/);
      });
    }, SLOW);
  });

  describe('an account that outranks the caller', () => {
    it('its mailboxes are 403 on every route, never an empty list or a 204 that deleted nothing', async () => {
      const domainId = (await query(t.server, 'x:Domain', { filter: {} })).ids[0];
      const roleId = await create(t.server, 'x:Role', { description: 'outranking role', enabledPermissions: { sysRoleCreate: true }, disabledPermissions: {}, roleIds: {} });
      await create(t.server, 'x:Account', userAccount('boss', 'boss password 1', [roleId], { domainId }));
      const boss = '/users/boss@example.test/mailboxes';
      expect((await t.call('PUT', `${boss}/secret`)).status).toBe(204);
      const key = await t.keyWith(['sysAccountGet', 'sysAccountQuery', 'sysDomainGet', 'sysDomainQuery',
        'sysAccountMailboxGet', 'sysAccountMailboxQuery', 'sysAccountMailboxCreate', 'sysAccountMailboxDestroy']);
      const before = snapshot(t.server, 'x:AccountMailbox');
      for (const [method, path] of [['GET', ''], ['GET', '/secret'], ['PUT', '/new'], ['DELETE', '/secret'], ['DELETE', '']]) {
        expectError(await t.call(method, `${boss}${path}`, { key }), 403, 'Forbidden', /holds permissions you do not/);
      }
      expect(snapshot(t.server, 'x:AccountMailbox')).toEqual(before);
      const r = await t.call('GET', boss);
      expect(r.json).toEqual([{ mailboxName: 'INBOX' }, { mailboxName: 'secret' }]);
    }, SLOW);
  });

  describe('x:AccountMailbox over JMAP', () => {
    it('a query must name the account; create and destroy refuse bad input precisely', async () => {
      const [, q] = await t.server.call('x:AccountMailbox/query', {});
      expect(q).toMatchObject({ type: 'unsupportedFilter' });
      await nothingChanged(async () => {
        const r = await set(t.server, 'x:AccountMailbox', {
          create: { e: { accountId, name: '' }, h: { accountId, name: 'a#b' }, d: { accountId, name: 'INBOX' }, u: { accountId: 'nope', name: 'x' } },
        });
        expect(r.notCreated!.e).toMatchObject({ type: 'validationFailed', properties: ['name'] });
        expect(r.notCreated!.e.description).toMatch(/name is required/);
        expect(r.notCreated!.h).toMatchObject({ type: 'validationFailed', properties: ['name'] });
        expect(r.notCreated!.d).toMatchObject({ type: 'primaryKeyViolation', properties: ['name'] });
        expect(r.notCreated!.u).toMatchObject({ type: 'invalidForeignKey' });
        const inbox = (await get(t.server, 'x:AccountMailbox', (await query(t.server, 'x:AccountMailbox', { filter: { accountId } })).ids)).list.find((m) => m.name === 'INBOX')!;
        const d = await set(t.server, 'x:AccountMailbox', { destroy: [inbox.id] });
        expect(d.notDestroyed![inbox.id]).toMatchObject({ type: 'forbidden', properties: ['name'] });
        expect(d.notDestroyed![inbox.id].description).toMatch(/INBOX cannot be deleted/);
      });
    }, SLOW);

    it('a created record that a refresh running meanwhile dropped comes back under the id the /set answered', async () => {
      const store = t.server.store;
      const id = 'racedmbx01';
      const rec = { accountId, name: 'raced', totalEmails: 0, unreadEmails: 0, size: 0 };
      store.transaction(() => store.insert('x:AccountMailbox', id, rec, []));
      // The other call's refresh listed Dovecot before doveadm made the mailbox: it drops the record.
      await refreshAccount(store, accountId);
      expect(store.get('x:AccountMailbox', id)).toBeFalsy();
      const failed = await applyMailboxWrites({ store } as unknown as WriteContext, { created: new Map([[id, { ...rec, id }]]), updated: new Map(), destroyed: new Map() });
      expect(failed.created).toEqual({});
      expect(store.get('x:AccountMailbox', id)).toMatchObject({ accountId, name: 'raced' });
      expect(await imapList()).toContain('raced');
      expect((await t.call('DELETE', `/users/${USER}/mailboxes/raced`)).status).toBe(204);
    }, SLOW);

    it('create and destroy are carried out in Dovecot before the answer', async () => {
      const r = await set(t.server, 'x:AccountMailbox', { create: { n: { accountId, name: 'viaJmap.child' } } });
      expect(r.notCreated).toBeNull();
      expect(await imapList()).toEqual(expect.arrayContaining(['viaJmap', 'viaJmap.child']));
      const parent = (await get(t.server, 'x:AccountMailbox', (await query(t.server, 'x:AccountMailbox', { filter: { accountId } })).ids)).list.find((m) => m.name === 'viaJmap')!;
      const d = await set(t.server, 'x:AccountMailbox', { destroy: [parent.id] });
      expect(d.destroyed).toEqual([parent.id]);
      expect((await imapList()).filter((m) => m.startsWith('viaJmap'))).toEqual([]);
    }, SLOW);
  });

  describe('when the mail store is down', () => {
    it('reads and writes answer 503 with the reason and change nothing; the user can still be deleted later', async () => {
      const stopped = await t.imap('stop');
      expect(stopped.state, stopped.message ?? '').toBe('done');
      const before = snapshot(t.server, 'x:AccountMailbox');
      expectError(await t.call('GET', `/users/${USER}/mailboxes`), 503, 'ServerError', /stopped/);
      expectError(await t.call('PUT', `/users/${USER}/mailboxes/later`), 503, 'ServerError', /stopped/);
      expect(snapshot(t.server, 'x:AccountMailbox')).toEqual(before);
      expect((await t.imap('start')).state).toBe('done');
      expect(await listed()).toContain('INBOX');
      // The mirror never keeps its account from being deleted.
      expect((await t.call('DELETE', `/users/${USER}`)).status).toBe(204);
      expect((await query(t.server, 'x:Account/User', { filter: { emailAddress: USER.toLowerCase() } })).ids).toEqual([]);
    }, SLOW);
  });
});
