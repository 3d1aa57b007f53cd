// The extra userdb fields (quota limits, Sieve limits: userdbExtras.ts) on their way to
// Dovecot: the bridge answers only well-formed ones, and the checkpassword program refuses
// an answer whose extra field could become another field (a TAB or newline in a value, a
// name such as uid that the answer sets itself) instead of passing it to checkpassword-reply.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerAuth } from './authSocket';
import { checkpasswordScript } from './checkpassword';
import { TestDirectory } from './testing';

const owner = { name: 'mail-owner', uid: 4321, gid: 4322 };

describe('extra userdb fields', () => {
  it('the bridge answers well-formed extra fields and drops the others', async () => {
    const directory = new TestDirectory();
    const login = directory.put('user1@example.test', []);
    login.fields = {
      quota_rule: '*:bytes=5', quota_rule2: '*:messages=0',
      uid: '0', gid: '0', home: '/etc', user: 'root@example.test', // the answer's own fields
      sieve_x: 'a\tuserdb_uid=0', mail_y: 'b\nc', 'Bad=name': '1', 'a b': '1',
    };
    const r = await answerAuth({ op: 'lookup', user: 'user1@example.test' }, { directory, mailRoot: '/data/mail', owner });
    expect(r).toEqual({
      result: 'ok', user: 'user1@example.test', home: '/data/mail/example.test/user1', uid: 4321, gid: 4322,
      fields: { quota_rule: '*:bytes=5', quota_rule2: '*:messages=0' },
    });
  });

  const reply = '/usr/lib/dovecot/checkpassword-reply';
  const haveReply = fs.existsSync(reply);
  let dir: string;
  let server: net.Server;
  let answer = '';
  const socketPath = () => path.join(dir, 'auth.sock');

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-userdb-'));
    // Stands in for the bridge, answering whatever the test says.
    server = net.createServer((s) => s.once('data', () => s.end(answer)));
    await new Promise<void>((resolve) => server.listen(socketPath(), resolve));
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const run = (fields: Record<string, unknown>): Promise<{ status: number | null; out: string }> => {
    answer = JSON.stringify({ result: 'ok', user: 'user1@example.test', home: '/data/mail/example.test/user1', uid: 4321, gid: 4322, fields });
    const script = path.join(dir, 'checkpassword.cjs');
    fs.writeFileSync(script, checkpasswordScript(socketPath()), { mode: 0o700 });
    return new Promise((resolve, reject) => {
      const child = spawn(script, [reply], { env: { ORIG_UID: String(process.getuid?.() ?? ''), AUTHORIZED: '1' }, stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
      let out = '';
      (child.stdio[4] as net.Socket).on('data', (d: Buffer) => (out += d.toString('utf8')));
      (child.stdio[3] as net.Socket).end(Buffer.from('user1@example.test\0\0\0', 'utf8'));
      const t = setTimeout(() => reject(new Error('checkpassword did not exit')), 15_000);
      child.on('exit', (status) => {
        clearTimeout(t);
        setImmediate(() => resolve({ status, out }));
      });
    });
  };

  it.skipIf(!haveReply)(`the checkpassword program passes good fields and refuses any that would become another field${haveReply ? '' : ' (skipped: dovecot-core is not installed)'}`, async () => {
    const good = await run({ quota_rule: '*:bytes=5', sieve_quota_max_storage: '0' });
    expect(good.status).toBe(2);
    expect(good.out.split('\t')).toEqual(expect.arrayContaining(['userdb_quota_rule=*:bytes=5', 'userdb_sieve_quota_max_storage=0', 'userdb_uid=4321']));
    for (const bad of [{ uid: '0' }, { gid: '0' }, { home: '/etc' }, { user: 'root' }, { quota_rule: 'a\tuserdb_uid=0' }, { quota_rule: 'a\nb' }, { 'x=y': '1' }, { 'a b': '1' }, { quota_rule: 5 }]) {
      const r = await run(bad);
      expect(r, JSON.stringify(bad)).toEqual({ status: 111, out: '' });
    }
  });
});
