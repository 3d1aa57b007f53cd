// Seed 002 › ReIndexing on the WebAdmin listener, against the real mail store: Postern's own
// Dovecot (with full-text search) started through its x:Service, mail delivered over LMTP,
// the seed's curl commands run as written, each task awaited to its real outcome and the
// index checked with `doveadm fts lookup`; bad input refused with nothing started.
//
// The seed's user is obfuscated in the document ("[email protected]"), and {mailboxId} and
// {messageId} are placeholders: they are completed to this test's user, INBOX and a
// delivered mail's Message-ID.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doveadm } from '../mail/doveadm';
import { mailPaths } from '../mail/daemonAccess';
import { lmtpDeliver } from '../mail/testing';
import { waitFor } from '../services/testing';
import { TaskCancelled } from '../tasks/kind';
import { REINDEX_KINDS } from '../tasks/reindex';
import { query, set, snapshot } from '../testkit';
import { mailStoreMissing, startMailWebAdminTest, type MailWebAdminTest } from './mailTesting';
import { expectError, type WebAdminReply } from './testing';

const missing = await mailStoreMissing();
const USER = 'indexed@example.test';
const MAILS = 40;
const SLOW = 120_000;

const seed = (command: string, messageId = '<m7@remote.test>') =>
  command.replace('[email protected]', USER).replace('{mailboxId}', 'INBOX').replace('{messageId}', encodeURIComponent(messageId));

type Report = { status: string; type: string; additionalInformation: Record<string, unknown>; taskId: string };

describe.skipIf(!!missing)(`re-indexing on the real mail store${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let t: MailWebAdminTest;
  let accountId: string;

  beforeAll(async () => {
    t = await startMailWebAdminTest();
    expect((await t.call('PUT', '/domains/example.test')).status).toBe(204);
    expect((await t.call('PUT', `/users/${USER}`, { body: JSON.stringify({ password: 'index tester 1' }) })).status).toBe(204);
    accountId = (await query(t.server, 'x:Account/User', { filter: { emailAddress: USER } })).ids[0];
    const lmtp = mailPaths(t.server.dataDir).lmtpSocket;
    for (let i = 1; i <= MAILS; i++) {
      const r = await lmtpDeliver(lmtp, 'sender@remote.test', [USER], `Message-ID: <m${i}@remote.test>\nSubject: mail ${i}\n\nword${i} and a quokka\n`);
      expect(r.data[0]).toMatch(/^250 /);
    }
    // Delivery queued the mails to Dovecot's indexer: let it finish, so it does not race the tests.
    await waitFor('the indexer', async () => (await lookup(`word${MAILS}`)) === `INBOX: ${MAILS}`, 30_000, 200);
  }, SLOW);
  afterAll(() => t?.close());

  const lookup = async (word: string) => (await doveadm(t.server.dataDir, ['fts', 'lookup', '-u', USER, 'body', word])).stdout.trim();

  /** 201 {"taskId"}, then the task's report once it ended. */
  async function started(r: WebAdminReply): Promise<Report> {
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    const { taskId } = r.json as { taskId: string };
    expect(Object.keys(r.json as object)).toEqual(['taskId']);
    const done = await t.call('GET', `/tasks/${taskId}/await?timeout=60s`);
    expect(done.status, JSON.stringify(done.json)).toBe(200);
    return done.json as Report;
  }

  describe('seed 002 curl examples', () => {
    it('POST /mailboxIndex?task=reIndex: FullReIndexing, every mail indexed again', async () => {
      await doveadm(t.server.dataDir, ['fts', 'rescan', '-u', USER]);
      expect(await lookup('word7')).toBe('INBOX: no results');
      const res = await fetch(`${t.base}/mailboxIndex?task=reIndex`, { method: 'POST', headers: { Authorization: `Bearer ${t.adminKey}` } });
      const body = (await res.json()) as { taskId: string };
      expect(res.status).toBe(201);
      expect(res.headers.get('location')).toBe(`/tasks/${body.taskId}`);
      const report = await started({ status: 201, json: body, contentType: 'application/json' });
      expect(report).toMatchObject({ status: 'completed', type: 'FullReIndexing', additionalInformation: { successfullyReprocessMailCount: MAILS, failedReprocessedMailCount: 0 } });
      expect(await lookup('word7')).toBe('INBOX: 7');
      // The seed's command as written answers the same way.
      expect((await started(await t.curl(seed('curl -XPOST http://ip:port/mailboxIndex?task=reIndex')))).status).toBe('completed');
    }, SLOW);

    it('POST /mailboxIndex/users/{user}?task=reIndex: userReIndexing with the user and the counts', async () => {
      const report = await started(await t.curl(seed('curl -XPOST http://ip:port/mailboxIndex/users/[email protected]?task=reIndex')));
      expect(report).toMatchObject({
        status: 'completed', type: 'userReIndexing',
        additionalInformation: { user: USER, successfullyReprocessMailCount: MAILS, failedReprocessedMailCount: 0 },
      });
      expect(await lookup('quokka')).toBe(`INBOX: 1:${MAILS}`);
    }, SLOW);

    it('POST …/mailboxes/{mailboxId}?task=reIndex: mailboxReIndexing of that mailbox only', async () => {
      await doveadm(t.server.dataDir, ['mailbox', 'create', '-u', USER, 'Other']);
      await doveadm(t.server.dataDir, ['copy', '-u', USER, 'Other', 'mailbox', 'INBOX', 'uid', '1:3']);
      const report = await started(await t.curl(seed('curl -XPOST http://ip:port/mailboxIndex/users/[email protected]/mailboxes/{mailboxId}?task=reIndex')));
      expect(report).toMatchObject({
        status: 'completed', type: 'mailboxReIndexing',
        additionalInformation: { mailboxPath: `#private:${USER}:INBOX`, successfullyReprocessMailCount: MAILS, failedReprocessedMailCount: 0 },
      });
      const other = await started(await t.call('POST', `/mailboxIndex/users/${USER}/mailboxes/Other?task=reIndex`));
      expect(other.additionalInformation).toMatchObject({ mailboxPath: `#private:${USER}:Other`, successfullyReprocessMailCount: 3 });
    }, SLOW);

    it('POST …/uid/36?task=reIndex: messageReIndexing with the mailbox path and uid', async () => {
      const report = await started(await t.curl(seed('curl -XPOST http://ip:port/mailboxIndex/users/[email protected]/mailboxes/{mailboxId}/uid/36?task=reIndex')));
      expect(report).toMatchObject({ status: 'completed', type: 'messageReIndexing', additionalInformation: { mailboxPath: `#private:${USER}:INBOX`, uid: 36 } });
      const [rec] = (await query(t.server, 'x:Task', { filter: { '@type': 'ReIndexMessage' } })).ids;
      expect(rec).toBeTruthy();
    }, SLOW);

    it('POST /mailboxIndex/messages/{messageId}?task=reIndex: MessageIdReIndexingTask, every copy', async () => {
      const report = await started(await t.curl(seed('curl -XPOST http://ip:port/mailboxIndex/messages/{messageId}?task=reIndex', '<m2@remote.test>')));
      expect(report).toMatchObject({ status: 'completed', type: 'MessageIdReIndexingTask', additionalInformation: { messageId: '<m2@remote.test>' } });
      // In INBOX and in Other (copied above): both counted.
      const [id] = (await query(t.server, 'x:Task', { filter: { '@type': 'ReIndexMessageId' } })).ids;
      const [fields] = (await t.server.call('x:Task/get', { ids: [id], properties: ['successfullyReprocessMailCount'] }))[1].list as Record<string, unknown>[];
      expect(fields.successfullyReprocessMailCount).toBe(2);
      // Without its angle brackets it is the same Message-ID; one nobody has fails, saying so.
      const bare = await started(await t.call('POST', `/mailboxIndex/messages/${encodeURIComponent('m3@remote.test')}?task=reIndex`));
      expect(bare.status).toBe('completed');
      const none = await started(await t.call('POST', `/mailboxIndex/messages/${encodeURIComponent('<nobody@nowhere.test>')}?task=reIndex`));
      expect(none.status).toBe('failed');
    }, SLOW);
  });

  describe('cancelling', () => {
    it('DELETE /tasks/{id} right after the start: the task ends cancelled', async () => {
      const r = await t.call('POST', `/mailboxIndex/users/${USER}?task=reIndex`);
      expect(r.status).toBe(201);
      const { taskId } = r.json as { taskId: string };
      expect((await t.call('DELETE', `/tasks/${taskId}`)).status).toBe(204);
      const done = await t.call('GET', `/tasks/${taskId}/await?timeout=60s`);
      expect(done.json).toMatchObject({ status: 'cancelled', type: 'userReIndexing' });
    }, SLOW);

    it('a running re-index stops at its next safe point, keeping the counts so far', async () => {
      const kind = REINDEX_KINDS.find((k) => k.variant === 'ReIndexUser')!;
      const controller = new AbortController();
      const progress: unknown[] = [];
      let info: Record<string, unknown> = {};
      const run = kind.run({
        id: 'direct', input: { accountId }, signal: controller.signal, store: t.server.store, dataDir: t.server.dataDir, log: () => {},
        // Cancelled as soon as it knows how many mails there are: before the first mailbox.
        progress: (p) => {
          progress.push(p);
          controller.abort();
        },
        info: (f) => {
          info = { ...info, ...f };
        },
      });
      await expect(run).rejects.toBeInstanceOf(TaskCancelled);
      expect(progress[0]).toMatchObject({ initialCount: MAILS + 3, processedCount: 0 });
      expect(info).toMatchObject({ user: USER, successfullyReprocessMailCount: 0, failedReprocessedMailCount: 0 });
    }, SLOW);
  });

  describe('bad input: the precise error, nothing started', () => {
    const nothingStarted = async (f: () => Promise<void>) => {
      const before = snapshot(t.server, 'x:Task');
      await f();
      expect(snapshot(t.server, 'x:Task')).toBe(before);
    };

    it('a missing or unknown task parameter', () =>
      nothingStarted(async () => {
        expectError(await t.call('POST', '/mailboxIndex'), 400, 'InvalidArgument', /\?task=reIndex/);
        expectError(await t.call('POST', `/mailboxIndex/users/${USER}?task=`), 400, 'InvalidArgument', /\?task=reIndex/);
        expectError(await t.call('POST', `/mailboxIndex/users/${USER}?task=reindex`), 400, 'InvalidArgument', /not "reindex"/);
      }));

    it('an unknown user or mailbox', () =>
      nothingStarted(async () => {
        expectError(await t.call('POST', '/mailboxIndex/users/nobody@example.test?task=reIndex'), 400, 'InvalidArgument', /nobody@example\.test/);
        expectError(await t.call('POST', '/mailboxIndex/users/someone@unknown.test/mailboxes/INBOX?task=reIndex'), 400, 'InvalidArgument');
        expectError(await t.call('POST', `/mailboxIndex/users/${USER}/mailboxes/Missing?task=reIndex`), 400, 'InvalidArgument', /no mailbox named "Missing"/);
        expectError(await t.call('POST', `/mailboxIndex/users/${USER}/mailboxes/Missing/uid/1?task=reIndex`), 400, 'InvalidArgument', /no mailbox named "Missing"/);
      }), SLOW);

    it('a malformed uid or Message-ID', () =>
      nothingStarted(async () => {
        for (const uid of ['abc', '0', '-1', '1.5', '4294967296', '99999999999']) {
          expectError(await t.call('POST', `/mailboxIndex/users/${USER}/mailboxes/INBOX/uid/${uid}?task=reIndex`), 400, 'InvalidArgument', /uid is a whole number from 1 to 4294967295/);
        }
        expectError(await t.call('POST', `/mailboxIndex/messages/${encodeURIComponent('two words@x')}?task=reIndex`), 400, 'InvalidArgument', /not a Message-ID/);
        expectError(await t.call('POST', `/mailboxIndex/messages/${encodeURIComponent('<>')}?task=reIndex`), 400, 'InvalidArgument', /not a Message-ID/);
      }), SLOW);

    it('x:Task/set refuses the same inputs, naming the property', () =>
      nothingStarted(async () => {
        const res = await set(t.server, 'x:Task', {
          create: {
            a: { '@type': 'ReIndexUser', accountId: 'nosuchaccount' },
            b: { '@type': 'ReIndexMessage', accountId, mailboxName: 'INBOX', uid: 0 },
            c: { '@type': 'ReIndexMessageId', messageId: '   ' },
            d: { '@type': 'ReIndexMailbox', accountId, mailboxName: 'Missing' },
            e: { '@type': 'ReIndexMailbox', accountId, mailboxName: 'bad..name' },
          },
        });
        expect(res.created ?? {}).toEqual({});
        const errs = res.notCreated as Record<string, { type: string; properties?: string[] }>;
        expect(errs.a).toMatchObject({ type: 'invalidForeignKey', properties: ['accountId'] });
        expect(errs.b.properties).toEqual(['uid']);
        expect(errs.c).toMatchObject({ type: 'invalidProperties', properties: ['messageId'] });
        expect(errs.d).toMatchObject({ type: 'invalidProperties', properties: ['mailboxName'] });
        expect(errs.e).toMatchObject({ type: 'invalidProperties', properties: ['mailboxName'] });
      }), SLOW);
  });
});
