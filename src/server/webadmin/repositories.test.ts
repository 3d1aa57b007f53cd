// Seed 002 › Administrating mail repositories on the WebAdmin listener: every curl example as
// written (with the Authorization header), on mails that Postern's content filter really set
// aside (delivered to its LMTP socket: a DLP match → quarantine, a local address without a
// mailbox → address-error), then bad input that changes nothing.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lmtpDeliver } from '../mail/testing';
import { contentFilterSocket } from '../services/postfixConfig';
import { ADMIN_PASSWORD } from '../testing';
import { account, create, get, makeUser, set, snapshot } from '../testkit';
import { expectError, parseCurl, startWebAdminTest, unchanged, type WebAdminReply, type WebAdminTest } from './testing';

let t: WebAdminTest;
const TYPES = ['x:MailRepository', 'x:RepositoryMail', 'x:Task'];

/** The seed's curl commands; PATCH too (testing.ts's parser knows the others). */
function curl(command: string, headers?: Record<string, string>): Promise<WebAdminReply> {
  const patch = /^curl\s+-XPATCH\s+http:\/\/ip:port(\/\S*)\s*$/.exec(command.trim());
  if (patch) return t.call('PATCH', patch[1]);
  const { method, path } = parseCurl(command);
  return t.call(method, path, { headers });
}

const message = (subject: string, body: string) =>
  `From: boss@example.test\r\nTo: user1@example.test\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}@example.test>\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>${body}</p>\r\n`;

const deliver = async (to: string, subject: string, body: string) => {
  const r = await lmtpDeliver(contentFilterSocket(t.server.dataDir), 'boss@example.test', [to], message(subject, body));
  expect(r.data).toEqual([expect.stringMatching(/^250 /)]);
};

const keys = async (path: string) => (await t.call('GET', `/mailRepositories/${path}/mails`)).json as string[];
const awaitTask = async (id: string) => (await t.call('GET', `/tasks/${id}/await?timeout=20s`)).json as Record<string, unknown>;

const Q = 'var%2Fmail%2Fquarantine%2F';
const A = 'var%2Fmail%2Faddress-error%2F';

beforeAll(async () => {
  t = await startWebAdminTest();
  const domainId = await create(t.server, 'x:Domain', { name: 'example.test' });
  await create(t.server, 'x:DlpRule', { domainId, ruleId: 'secret', expression: 'confidential', targetsContent: true });
  await deliver('user1@example.test', 'first secret', 'this is confidential');
  await deliver('user1@example.test', 'second secret', 'also confidential');
  await deliver('ghost@example.test', 'to nobody', 'hello');
}, 60_000);
afterAll(() => t.close());

describe('seed 002 curl examples', () => {
  it('PUT /mailRepositories/{path}?protocol=…: 204, again 204 with nothing changed', async () => {
    expect((await curl('curl -XPUT http://ip:port/mailRepositories/encodedPathOfTheRepository?protocol=someProtocol')).status).toBe(204);
    expect((await curl('curl -XPUT http://ip:port/mailRepositories/mailRepo?protocol=file')).status).toBe(204);
    await unchanged(t.server, TYPES, async () => {
      expect((await curl('curl -XPUT http://ip:port/mailRepositories/mailRepo?protocol=file')).status).toBe(204);
    });
  });

  it('PUT of an existing path written with or without its trailing / is that repository: 204, nothing created', async () => {
    await unchanged(t.server, TYPES, async () => {
      expect((await t.call('PUT', '/mailRepositories/var%2Fmail%2Ferror?protocol=file')).status).toBe(204);
      expect((await t.call('PUT', '/mailRepositories/mailRepo%2F?protocol=file')).status).toBe(204);
    });
  });

  it('GET /mailRepositories: [{repository, path}] with the built-in ones', async () => {
    const r = await curl('curl -XGET http://ip:port/mailRepositories');
    expect(r.status).toBe(200);
    expect(r.json).toEqual(expect.arrayContaining([
      { repository: 'var/mail/error/', path: 'var%2Fmail%2Ferror%2F' },
      { repository: 'var/mail/address-error/', path: A },
      { repository: 'var/mail/quarantine/', path: Q },
      { repository: 'mailRepo', path: 'mailRepo' },
    ]));
  });

  it('GET /mailRepositories/{path}/: {repository, path, size}; 404 for an unknown one', async () => {
    expect((await curl('curl -XGET http://ip:port/mailRepositories/var%2Fmail%2Ferror%2F/')).json).toEqual({ repository: 'var/mail/error/', path: 'var%2Fmail%2Ferror%2F', size: 0 });
    expect((await curl('curl -XGET http://ip:port/mailRepositories/encodedPathOfTheRepository/')).json).toEqual({ repository: 'encodedPathOfTheRepository', path: 'encodedPathOfTheRepository', size: 0 });
    expect((await t.call('GET', `/mailRepositories/${Q}/`)).json).toMatchObject({ size: 2 });
    expectError(await t.call('GET', '/mailRepositories/var%2Fmail%2Fnothing%2F'), 404, 'notFound', /var\/mail\/nothing/);
  });

  it('GET …/mails and ?limit=100&offset=500: the mail keys', async () => {
    expect((await curl('curl -XGET http://ip:port/mailRepositories/var%2Fmail%2Ferror%2F/mails')).json).toEqual([]);
    expect((await curl('curl -XGET http://ip:port/mailRepositories/var%2Fmail%2Ferror%2F/mails?limit=100&offset=500')).json).toEqual([]);
    const all = await keys(Q);
    expect(all).toHaveLength(2);
    expect((await t.call('GET', `/mailRepositories/${Q}/mails?limit=1&offset=1`)).json).toEqual([all[1]]);
  });

  it('GET …/mails/{key}: JSON details, additionalFields, or the .eml with Accept: message/rfc822', async () => {
    expectError(await curl('curl -XGET http://ip:port/mailRepositories/var%2Fmail%2Ferror%2F/mails/mail-key-1'), 404, 'notFound', /mail-key-1/);
    const [key] = await keys(Q);
    const r = await t.call('GET', `/mailRepositories/${Q}/mails/${key}`, { headers: { Accept: 'application/json' } });
    expect(r.json).toEqual({
      name: key, sender: 'boss@example.test', recipients: ['user1@example.test'], state: 'dlp',
      error: 'DLP rule "secret" of example.test matched the content', remoteHost: null, remoteAddr: null, lastUpdated: expect.stringMatching(/^\d{4}-/),
    });
    // The seed's form, on a real key: the repository named by its URL.
    expectError(await curl('curl -XGET http://ip:port/mailRepositories/file%3A%2F%2Fvar%2Fmail%2Ferror%2F/mails/mail-key-1?additionalFields=attributes,headers,textBody,htmlBody,messageSize,perRecipientsHeaders'), 404, 'notFound');
    const full = await t.call('GET', `/mailRepositories/file%3A%2F%2F${Q}/mails/${key}?additionalFields=attributes,headers,textBody,htmlBody,messageSize,perRecipientsHeaders`);
    expect(full.json).toMatchObject({
      name: key, attributes: {}, perRecipientsHeaders: { 'user1@example.test': {} },
      headers: { Subject: ['first secret'], From: ['boss@example.test'] },
      textBody: expect.stringContaining('this is confidential'), htmlBody: expect.stringContaining('<p>this is confidential</p>'), messageSize: expect.any(Number),
    });
    const eml = await fetch(`${t.base}/mailRepositories/${Q}/mails/${key}`, { headers: { Authorization: `Bearer ${t.adminKey}`, Accept: 'message/rfc822' } });
    expect(eml.headers.get('content-type')).toBe('message/rfc822');
    expect(await eml.text()).toContain('Subject: first secret');
  });

  it('DELETE …/mails/{key}: 204, the mail and one from the size are gone; 204 again for a gone mail', async () => {
    expect((await curl('curl -XDELETE http://ip:port/mailRepositories/var%2Fmail%2Ferror%2F/mails/mail-key-1')).status).toBe(204);
    const [key, other] = await keys(Q);
    expect((await t.call('DELETE', `/mailRepositories/${Q}/mails/${key}`)).status).toBe(204);
    expect(await keys(Q)).toEqual([other]);
    expect((await t.call('GET', `/mailRepositories/${Q}`)).json).toMatchObject({ size: 1 });
    await unchanged(t.server, TYPES, async () => {
      expect((await t.call('DELETE', `/mailRepositories/${Q}/mails/${key}`)).status).toBe(204);
    });
  });

  it('PATCH …/mails/{key}?action=reprocess: a task (201 {"taskId"}, Location); without Postfix the mail stays', async () => {
    expectError(await curl('curl -XPATCH http://ip:port/mailRepositories/var%2Fmail%2Ferror%2F/mails/name1?action=reprocess'), 404, 'notFound', /name1/);
    const [key] = await keys(Q);
    const r = await t.call('PATCH', `/mailRepositories/${Q}/mails/${key}?action=reprocess&processor=transport&queue=spool`);
    expect(r.status).toBe(201);
    const { taskId } = r.json as { taskId: string };
    const report = await awaitTask(taskId);
    expect(report).toMatchObject({ type: 'reprocessingAllTask', status: 'failed', additionalInformation: { repositoryPath: 'var/mail/quarantine/', targetQueue: 'spool', targetProcessor: 'transport', initialCount: 1, mailKey: key } });
    expect(await keys(Q)).toEqual([key]);
  });

  it('PATCH …/mails?action=reprocess (and &processor=transport&queue=spool): a task per call', async () => {
    for (const c of ['curl -XPATCH http://ip:port/mailRepositories/var%2Fmail%2Ferror%2F/mails?action=reprocess', 'curl -XPATCH http://ip:port/mailRepositories/var%2Fmail%2Ferror%2F/mails?action=reprocess&processor=transport&queue=spool']) {
      const r = await curl(c);
      expect(r.status).toBe(201);
      const report = await awaitTask((r.json as { taskId: string }).taskId);
      expect(report).toMatchObject({ type: 'reprocessingAllTask', status: 'completed', additionalInformation: { repositoryPath: 'var/mail/error/', initialCount: 0, remainingCount: 0 } });
    }
  });

  it('DELETE …/mails: task clearMailRepository (201 {"taskId"}) that empties the repository', async () => {
    expect(await keys(A)).toHaveLength(1);
    const seeded = await curl('curl -XDELETE http://ip:port/mailRepositories/var%2Fmail%2Ferror%2F/mails');
    expect(seeded.status).toBe(201);
    const r = await t.call('DELETE', `/mailRepositories/${A}/mails`);
    expect(r.status).toBe(201);
    const report = await awaitTask((r.json as { taskId: string }).taskId);
    expect(report).toMatchObject({ type: 'clearMailRepository', status: 'completed', additionalInformation: { repositoryPath: 'var/mail/address-error/', initialCount: 1, remainingCount: 0 } });
    expect(await keys(A)).toEqual([]);
    expect((await t.call('GET', `/mailRepositories/${A}`)).json).toMatchObject({ size: 0 });
  });
});

describe('bad input changes nothing', () => {
  it('an unknown repository is 404 on every route', async () => {
    await unchanged(t.server, TYPES, async () => {
      const nope = 'var%2Fmail%2Fnope%2F';
      for (const [m, p] of [['GET', ''], ['GET', '/mails'], ['GET', '/mails/x'], ['DELETE', '/mails/x'], ['DELETE', '/mails'], ['PATCH', '/mails?action=reprocess'], ['PATCH', '/mails/x?action=reprocess']]) {
        expectError(await t.call(m, `/mailRepositories/${nope}${p}`), 404, 'notFound', /var\/mail\/nope/);
      }
    });
  });

  it('a mail key that cannot be any mail\u2019s (not an id) is 404 like an unknown one, never 500; DELETE stays 204', async () => {
    await unchanged(t.server, TYPES, async () => {
      for (const key of ['a.b', '%20', 'a'.repeat(300), '%00x']) {
        expectError(await t.call('GET', `/mailRepositories/${Q}/mails/${key}`), 404, 'notFound', /has no mail with the key/);
        expectError(await t.call('PATCH', `/mailRepositories/${Q}/mails/${key}?action=reprocess`), 404, 'notFound', /has no mail with the key/);
        expect((await t.call('DELETE', `/mailRepositories/${Q}/mails/${key}`)).status).toBe(204);
      }
    });
  });

  it('bad limits, actions, queues, processors, fields and paths are 400 with the reason', async () => {
    await unchanged(t.server, TYPES, async () => {
      expectError(await t.call('GET', `/mailRepositories/${Q}/mails?limit=0`), 400, 'InvalidArgument', /limit must be a strictly positive integer/);
      expectError(await t.call('GET', `/mailRepositories/${Q}/mails?offset=-1`), 400, 'InvalidArgument', /offset/);
      expectError(await t.call('PATCH', `/mailRepositories/${Q}/mails`), 400, 'InvalidArgument', /action query parameter is compulsory/);
      expectError(await t.call('PATCH', `/mailRepositories/${Q}/mails?action=delete`), 400, 'InvalidArgument', /only action is reprocess/);
      expectError(await t.call('PATCH', `/mailRepositories/${Q}/mails?action=reprocess&queue=outgoing`), 400, 'InvalidArgument', /targetQueue: unknown queue "outgoing"/);
      expectError(await t.call('PATCH', `/mailRepositories/${Q}/mails?action=reprocess&processor=spam`), 400, 'InvalidArgument', /targetState: unknown processing step "spam"/);
      const [key] = await keys(Q);
      expectError(await t.call('GET', `/mailRepositories/${Q}/mails/${key}?additionalFields=headers,bogus`), 400, 'InvalidArgument', /"bogus"/);
      expectError(await t.call('PUT', '/mailRepositories/newRepo'), 400, 'InvalidArgument', /protocol/);
      expectError(await t.call('PUT', '/mailRepositories/a%2F..%2Fb?protocol=file'), 400, 'InvalidArgument', /path/);
      expectError(await t.call('PUT', '/mailRepositories/ok?protocol=no%20way'), 400, 'InvalidArgument', /protocol/);
    });
    expect(snapshot(t.server, 'x:MailRepository')).not.toContain('newRepo');
  });

  it('a caller without the permissions is refused', async () => {
    const key = await t.keyWith(['sysMailRepositoryGet']);
    await unchanged(t.server, TYPES, async () => {
      expectError(await t.call('DELETE', `/mailRepositories/${Q}/mails`, { key }), 403, 'Forbidden');
      expectError(await t.call('PUT', '/mailRepositories/other?protocol=file', { key }), 403, 'Forbidden');
    });
  });
});

describe('through JMAP (the console)', () => {
  it('a mail\u2019s message downloads from its blobId with the caller\u2019s own account id, for who may read mails', async () => {
    const [key] = await keys(Q);
    const [mail] = (await get(t.server, 'x:RepositoryMail', [key])).list;
    expect(mail).toMatchObject({ subject: 'second secret', state: 'dlp', headers: expect.stringContaining('Subject: second secret'), textBody: expect.stringContaining('also confidential') });
    const admin = await account(t.server, 'admin', ADMIN_PASSWORD);
    const res = await t.server.raw(`/jmap/download/${admin.accountId}/${String(mail.blobId)}/mail.eml`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Subject: second secret');
    const u = await makeUser(t.server, ['sysDomainGet']);
    expect((await t.server.raw(`/jmap/download/${u.accountId}/${String(mail.blobId)}/mail.eml`, { user: u.user, password: u.password })).status).toBe(404);
  });

  it('built-in repositories cannot be deleted; a mail cannot be created by a client; deleting one lowers the size', async () => {
    const repos = (await get(t.server, 'x:MailRepository', null)).list;
    const quarantine = repos.find((r) => r.path === 'var/mail/quarantine/')!;
    await unchanged(t.server, TYPES, async () => {
      const error = repos.find((r) => r.path === 'var/mail/error/')!;
      const res = await set(t.server, 'x:MailRepository', { destroy: [error.id], update: { [error.id]: { description: 'mine' } } });
      expect(res.notDestroyed?.[error.id]).toMatchObject({ type: 'forbidden', description: expect.stringContaining('is built in') });
      expect(res.notUpdated?.[error.id]).toMatchObject({ type: 'forbidden' });
      // One holding mails is in use, whoever made it.
      expect((await set(t.server, 'x:MailRepository', { destroy: [quarantine.id] })).notDestroyed?.[quarantine.id]).toMatchObject({ type: 'objectIsLinked' });
      const made = await t.server.call('x:RepositoryMail/set', { create: { m: { repositoryId: quarantine.id } } });
      expect(made[0]).toBe('error');
    });
    const [key] = await keys(Q);
    expect((await set(t.server, 'x:RepositoryMail', { destroy: [key] })).destroyed).toEqual([key]);
    expect((await get(t.server, 'x:MailRepository', [quarantine.id])).list[0].size).toBe(Number(quarantine.size) - 1);
  });
});

describe('JMAP filters of repository mails', () => {
  it('by repository, sender and recipient', async () => {
    await deliver('user1@example.test', 'third secret', 'confidential again');
    await deliver('ghost@example.test', 'ghostly', 'hello');
    const repos = (await get(t.server, 'x:MailRepository', null)).list;
    const id = (p: string) => repos.find((r) => r.path === p)!.id;
    const q = async (filter: object) => (await t.server.call('x:RepositoryMail/query', { filter }))[1].ids;
    expect(await q({ repositoryId: id('var/mail/address-error/') })).toHaveLength(1);
    expect(await q({ recipients: 'ghost@example.test' })).toEqual(await q({ repositoryId: id('var/mail/address-error/') }));
    expect(await q({ sender: 'boss@example.test', repositoryId: id('var/mail/quarantine/') })).toHaveLength(1);
    expect(await q({ sender: 'nobody@example.test' })).toEqual([]);
  });
});
