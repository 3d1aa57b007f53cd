// Seed 002 › Administrating Sieve quotas on the WebAdmin listener: every curl example (the
// seed's user, hidden by an e-mail obfuscator in the copy we have, is a real address here),
// bad payloads and unknown users refused with nothing changed, and the quotas enforced by
// Pigeonhole: a ManageSieve upload over the user's quota, or over the default, is refused.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImapFlow } from 'imapflow';
import { mailPaths } from '../mail/daemonAccess';
import { sieveQuotaFields } from '../mail/sieveQuota';
import { lmtpDeliver } from '../mail/testing';
import { detectSieve } from '../services/dovecotSieve';
import { get, query, set } from '../testkit';
import { manageSieve } from '../mail/sieveTesting';
import { mailStoreMissing, startMailWebAdminTest, type MailWebAdminTest } from './mailTesting';
import { expectError, parseCurl, startWebAdminTest, unchanged, type WebAdminTest } from './testing';

const USER = 'user@example.test';
const PASSWORD = 'sieve tester 1';
/** The seed's command for the user, its address restored. */
const seed = (command: string) => command.replace('[email protected]', USER);

async function seedCall(t: WebAdminTest, command: string, body?: string) {
  const { method, path } = parseCurl(seed(command));
  return t.call(method, path, body === undefined ? {} : { body });
}

async function addUser(t: WebAdminTest) {
  expect((await t.call('PUT', '/domains/example.test')).status).toBe(204);
  expect((await t.call('PUT', `/users/${USER}`, { body: JSON.stringify({ password: PASSWORD }) })).status).toBe(204);
  return (await query(t.server, 'x:Account/User', { filter: { emailAddress: USER } })).ids[0];
}

describe('Sieve quota routes', () => {
  let t: WebAdminTest;
  let accountId: string;
  beforeAll(async () => {
    t = await startWebAdminTest();
    accountId = await addUser(t);
  });
  afterAll(() => t.close());

  const stored = () => ['x:SieveUserInterpreter', 'x:Account'];

  it('default: GET is 204 while none is set; PUT 102400 then GET answers 102400; DELETE removes it', async () => {
    const none = await seedCall(t, 'curl -XGET http://ip:port/sieve/quota/default');
    expect(none.status).toBe(204);
    expect(none.json).toBeNull();
    expect((await seedCall(t, 'curl -XPUT http://ip:port/sieve/quota/default', '102400')).status).toBe(204);
    const got = await seedCall(t, 'curl -XGET http://ip:port/sieve/quota/default');
    expect(got).toMatchObject({ status: 200, json: 102400 });
    expect((await get(t.server, 'x:SieveUserInterpreter', ['singleton'])).list[0]).toMatchObject({ maxStorage: 102400, maxScriptSize: 102400, maxScripts: 100 });
    expect((await seedCall(t, 'curl -XDELETE http://ip:port/sieve/quota/default')).status).toBe(204);
    expect((await seedCall(t, 'curl -XGET http://ip:port/sieve/quota/default')).status).toBe(204);
    expect((await get(t.server, 'x:SieveUserInterpreter', ['singleton'])).list[0].maxStorage).toBeNull();
  });

  it('user: GET 204 while none is set; PUT 102400 then GET answers it; DELETE goes back to the default', async () => {
    expect((await seedCall(t, 'curl -XGET http://ip:port/sieve/quota/users/[email protected]')).status).toBe(204);
    expect((await seedCall(t, 'curl -XPUT http://ip:port/sieve/quota/users/[email protected]', '102400')).status).toBe(204);
    expect(await seedCall(t, 'curl -XGET http://ip:port/sieve/quota/users/[email protected]')).toMatchObject({ status: 200, json: 102400 });
    expect((await get(t.server, 'x:Account', [accountId])).list[0].maxSieveStorage).toBe(102400);
    expect((await seedCall(t, 'curl -XDELETE http://ip:port/sieve/quota/users/[email protected]')).status).toBe(204);
    expect((await seedCall(t, 'curl -XGET http://ip:port/sieve/quota/users/[email protected]')).status).toBe(204);
    expect((await get(t.server, 'x:Account', [accountId])).list[0].maxSieveStorage).toBeNull();
  });

  it('the userdb fields follow: the user\u2019s own quota, else the default, else none (0)', async () => {
    const fields = () => sieveQuotaFields(t.server.store, t.server.store.get('x:Account', accountId)!);
    expect(fields()).toEqual({ sieve_max_script_size: '102400', sieve_quota_max_scripts: '100', sieve_quota_max_storage: '0' });
    await t.call('PUT', '/sieve/quota/default', { body: '5000' });
    expect(fields().sieve_quota_max_storage).toBe('5000');
    await t.call('PUT', `/sieve/quota/users/${USER}`, { body: '700' });
    expect(fields().sieve_quota_max_storage).toBe('700');
    // No single script may be larger than the quota (Pigeonhole would take a first one of any size).
    expect(fields().sieve_max_script_size).toBe('700');
    await t.call('DELETE', `/sieve/quota/users/${USER}`);
    await t.call('DELETE', '/sieve/quota/default');
    expect(fields().sieve_quota_max_storage).toBe('0');
  });

  it('refuses payloads that are not a whole number of bytes, at least 1, with nothing changed', async () => {
    await t.call('PUT', `/sieve/quota/users/${USER}`, { body: '4096' });
    await t.call('PUT', '/sieve/quota/default', { body: '8192' });
    const cases: [string, RegExp][] = [['-1', /below 1 byte/], ['0', /below 1 byte/], ['1.5', /whole number/], ['abc', /not a number/], ['', /empty/], ['"100"', /not a number/], ['{"size":1}', /not a number/], ['1e300', /too large|whole/]];
    await unchanged(t.server, stored(), async () => {
      for (const [body, why] of cases) {
        expectError(await t.call('PUT', '/sieve/quota/default', { body }), 400, 'InvalidArgument', why);
        expectError(await t.call('PUT', `/sieve/quota/users/${USER}`, { body }), 400, 'InvalidArgument', why);
      }
    });
  });

  it('an unknown user is 404 on GET, PUT and DELETE, with nothing changed', async () => {
    await unchanged(t.server, stored(), async () => {
      for (const method of ['GET', 'PUT', 'DELETE']) {
        expectError(await t.call(method, '/sieve/quota/users/nobody@example.test', method === 'PUT' ? { body: '100' } : {}), 404, 'notFound', /nobody@example\.test/);
      }
    });
  });

  it('the singleton refuses bad limits over JMAP too', async () => {
    await unchanged(t.server, stored(), async () => {
      const r = await set(t.server, 'x:SieveUserInterpreter', { update: { singleton: { maxScriptSize: 0, maxStorage: -5 } } });
      expect(r.notUpdated!.singleton).toMatchObject({ type: 'validationFailed' });
      expect(r.notUpdated!.singleton.properties).toEqual(expect.arrayContaining(['maxScriptSize', 'maxStorage']));
      const a = await set(t.server, 'x:Account', { update: { [accountId]: { maxSieveStorage: 2.5 } } });
      expect(a.notUpdated![accountId]).toMatchObject({ type: 'validationFailed', properties: ['maxSieveStorage'] });
    });
  });
});

const missing = (await mailStoreMissing()) ?? (detectSieve().managesieve ? null : 'dovecot-sieve / dovecot-managesieved are not installed');

describe.skipIf(!!missing)(`Sieve quotas enforced over ManageSieve${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let t: MailWebAdminTest;
  beforeAll(async () => {
    t = await startMailWebAdminTest();
    await addUser(t);
  }, 60_000);
  afterAll(() => t?.close());

  const script = (bytes: number) => {
    const head = 'require "fileinto";\r\nif header :contains "subject" "x" { fileinto "INBOX"; }\r\n#';
    return head + 'x'.repeat(Math.max(0, bytes - head.length - 2)) + '\r\n';
  };

  it('an upload over the user\u2019s quota is refused; a raised quota lets it in at the next login', async () => {
    expect((await t.call('PUT', `/sieve/quota/users/${USER}`, { body: '1000' })).status).toBe(204);
    let s = await manageSieve(t.sievePort, USER, PASSWORD);
    expect((await s.putScript('first', script(600))).status).toBe('OK');
    const over = await s.putScript('second', script(600));
    expect(over.status, over.line).toBe('NO');
    expect(over.line).toMatch(/^NO \(QUOTA\/MAXSTORAGE\) .*max 1000 bytes/);
    await s.close();
    expect((await t.call('PUT', `/sieve/quota/users/${USER}`, { body: '5000' })).status).toBe(204);
    s = await manageSieve(t.sievePort, USER, PASSWORD);
    const now = await s.putScript('second', script(600));
    expect(now.status, now.line).toBe('OK');
    await s.close();
  }, 30_000);

  it('without a quota of its own the user has the default; without either there is no limit', async () => {
    expect((await t.call('DELETE', `/sieve/quota/users/${USER}`)).status).toBe(204);
    expect((await t.call('PUT', '/sieve/quota/default', { body: '1500' })).status).toBe(204);
    let s = await manageSieve(t.sievePort, USER, PASSWORD);
    const over = await s.putScript('third', script(600)); // 1200 stored already
    expect(over.status, over.line).toBe('NO');
    expect(over.line).toMatch(/^NO \(QUOTA\/MAXSTORAGE\) .*max 1500 bytes/);
    await s.close();
    expect((await t.call('DELETE', '/sieve/quota/default')).status).toBe(204);
    s = await manageSieve(t.sievePort, USER, PASSWORD);
    expect((await s.putScript('third', script(600))).status).toBe('OK');
    await s.close();
  }, 30_000);

  it('the largest script (maxScriptSize) is Stalwart\u2019s per-script limit, enforced too', async () => {
    const r = await set(t.server, 'x:SieveUserInterpreter', { update: { singleton: { maxScriptSize: 800 } } });
    expect(r.notUpdated).toBeNull();
    const s = await manageSieve(t.sievePort, USER, PASSWORD);
    const big = await s.putScript('big', script(900));
    expect(big.status, big.line).toBe('NO');
    expect(big.line).toMatch(/^NO \(QUOTA\/MAXSIZE\) .*max 800 bytes/);
    expect((await s.putScript('small', script(500))).status).toBe('OK');
    await s.close();
  }, 30_000);

  it('the active script runs on delivery over LMTP (the sieve plugin), and Maildir never lists the script files', async () => {
    const s = await manageSieve(t.sievePort, USER, PASSWORD);
    const filter = 'require ["fileinto", "mailbox"];\r\nif header :contains "subject" "[sorted]" { fileinto :create "Sorted"; }\r\n';
    expect((await s.putScript('sorting', filter)).status).toBe('OK');
    expect((await s.setActive('sorting')).status).toBe('OK');
    await s.close();
    const r = await lmtpDeliver(mailPaths(t.server.dataDir).lmtpSocket, 'a@remote.test', [USER], 'From: a@remote.test\nSubject: [sorted] report\n\nbody\n');
    expect(r.data[0]).toMatch(/^250 /);
    const c = new ImapFlow({ host: '127.0.0.1', port: t.imapPort, secure: false, doSTARTTLS: false, auth: { user: USER, pass: PASSWORD }, logger: false });
    await c.connect();
    try {
      const boxes = (await c.list()).map((m) => m.path).sort();
      expect(boxes).toEqual(['INBOX', 'Sorted']);
      const messages = async (box: string) => {
        const st = await c.status(box, { messages: true });
        return st ? st.messages : null;
      };
      expect(await messages('Sorted')).toBe(1);
      expect(await messages('INBOX')).toBe(0);
    } finally {
      await c.logout().catch(() => c.close());
    }
    const s2 = await manageSieve(t.sievePort, USER, PASSWORD);
    expect((await s2.setActive('')).status).toBe('OK');
    expect((await s2.deleteScript('sorting')).status).toBe('OK');
    await s2.close();
  }, 30_000);

  it('maxScripts caps how many scripts one account keeps; the scripts live in the user\u2019s home under DATA_DIR', async () => {
    // first, second, third and small are stored: four.
    const r = await set(t.server, 'x:SieveUserInterpreter', { update: { singleton: { maxScripts: 4 } } });
    expect(r.notUpdated).toBeNull();
    const s = await manageSieve(t.sievePort, USER, PASSWORD);
    const fifth = await s.putScript('fifth', script(100));
    expect(fifth.status, fifth.line).toBe('NO');
    expect(fifth.line).toMatch(/^NO \(QUOTA\/MAXSCRIPTS\) .*max 4 scripts/);
    expect((await s.deleteScript('small')).status).toBe('OK');
    expect((await s.putScript('fifth', script(100))).status).toBe('OK');
    await s.close();
    const dir = path.join(t.server.dataDir, 'mail', 'example.test', 'user', 'sieve');
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.sieve')).sort()).toEqual(['fifth.sieve', 'first.sieve', 'second.sieve', 'third.sieve']);
  }, 30_000);
});
