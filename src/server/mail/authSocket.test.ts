// The checkpassword bridge without a Dovecot: what it answers, who may connect, and the
// program Dovecot runs speaking the checkpassword protocol (with Dovecot's own
// checkpassword-reply when dovecot-core is installed).

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../auth/passwords';
import { answerAuth, startMailAuth, type LoginGuard, type MailAuthServer } from './authSocket';
import { checkpasswordScript, writeCheckpassword } from './checkpassword';
import { runningAsRoot, systemGroupId } from './daemonAccess';
import { TestDirectory } from './testing';

const owner = { name: 'mail-owner', uid: 4321, gid: 4322 };
const directory = new TestDirectory();
directory.put('user1@example.test', [hashPassword('right'), hashPassword('app secret')]);
directory.put('team@example.test', []); // a group: receives mail, cannot log in
directory.aliases.set('info@example.test', 'user1@example.test');

class Guard implements LoginGuard {
  fails: { ip?: string; user?: string }[] = [];
  successes: { ip: string; name: string }[] = [];
  blocked = new Set<string>();
  isBlocked = (ip: string) => this.blocked.has(ip);
  fail = (ip: string | undefined, user?: string) => {
    this.fails.push({ ip, user });
    return false;
  };
  succeed = (ip: string, caller: { name: string }) => {
    this.successes.push({ ip, name: caller.name });
  };
}

const opts = (guard = new Guard()) => ({ directory, guard, mailRoot: '/data/mail', owner });
const home = '/data/mail/example.test/user1';

describe('answerAuth', () => {
  it('accepts any usable secret and answers the canonical address, its home and the mail owner', async () => {
    const guard = new Guard();
    expect(await answerAuth({ op: 'login', user: 'User1@Example.test', password: 'right', ip: '192.0.2.7' }, opts(guard)))
      .toEqual({ result: 'ok', user: 'user1@example.test', home, uid: 4321, gid: 4322 });
    expect(await answerAuth({ op: 'login', user: 'info@example.test', password: 'app secret' }, opts(guard)))
      .toEqual({ result: 'ok', user: 'user1@example.test', home, uid: 4321, gid: 4322 });
    expect(guard.successes).toEqual([{ ip: '192.0.2.7', name: 'user1@example.test' }]);
    expect(guard.fails).toEqual([]);
  });

  it('refuses a wrong password, an unknown address and a group, counting each against the address', async () => {
    const guard = new Guard();
    expect(await answerAuth({ op: 'login', user: 'user1@example.test', password: 'wrong', ip: '192.0.2.7' }, opts(guard))).toEqual({ result: 'refused', reason: 'password' });
    expect(await answerAuth({ op: 'login', user: 'ghost@example.test', password: 'right', ip: '192.0.2.7' }, opts(guard))).toEqual({ result: 'refused', reason: 'unknown' });
    expect(await answerAuth({ op: 'login', user: 'team@example.test', password: '', ip: '192.0.2.8' }, opts(guard))).toEqual({ result: 'refused', reason: 'password' });
    expect(guard.fails).toEqual([
      { ip: '192.0.2.7', user: 'user1@example.test' },
      { ip: '192.0.2.7', user: 'ghost@example.test' },
      { ip: '192.0.2.8', user: 'team@example.test' },
    ]);
  });

  it('refuses every login from a blocked address', async () => {
    const guard = new Guard();
    guard.blocked.add('192.0.2.9');
    expect(await answerAuth({ op: 'login', user: 'user1@example.test', password: 'right', ip: '192.0.2.9' }, opts(guard))).toEqual({ result: 'refused', reason: 'blocked' });
  });

  it('looks up mailboxes with no password (LMTP): users, groups and aliases; unknown ones are unknown', async () => {
    expect(await answerAuth({ op: 'lookup', user: 'info@example.test' }, opts())).toMatchObject({ result: 'ok', user: 'user1@example.test', home });
    expect(await answerAuth({ op: 'lookup', user: 'team@example.test' }, opts())).toMatchObject({ result: 'ok', home: '/data/mail/example.test/team' });
    expect(await answerAuth({ op: 'lookup', user: 'ghost@example.test' }, opts())).toEqual({ result: 'unknown' });
  });

  it('never answers a home outside the mail root', async () => {
    const d = new TestDirectory();
    d.accounts.set('x@example.test', { accountId: 'x', address: 'x@example.test', secrets: [], home: '../../etc' });
    d.accounts.set('y@example.test', { accountId: 'y', address: 'y@example.test', secrets: [], home: 'example.test/..' });
    for (const user of ['x@example.test', 'y@example.test']) {
      expect(await answerAuth({ op: 'lookup', user }, { ...opts(), directory: d })).toEqual({ result: 'unknown' });
    }
  });
});

/** One request line, the reply line. */
function ask(socketPath: string, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(socketPath, () => s.write(line));
    let text = '';
    s.setEncoding('utf8');
    s.on('data', (d: string) => (text += d));
    s.on('end', () => resolve(text));
    s.on('error', reject);
    setTimeout(() => reject(new Error('no answer')), 5000).unref();
  });
}

describe('the bridge socket and the checkpassword program', () => {
  let dir: string;
  let server: MailAuthServer;
  let socketPath: string;
  const guard = new Guard();

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-auth-'));
    socketPath = path.join(dir, 'lookup', 'auth.sock');
    server = await startMailAuth({ socketPath, mailRoot: '/data/mail', directory, guard, owner });
  });

  afterAll(async () => {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lets only Dovecot (as root: group dovecot) or the server\'s own user connect', () => {
    const st = fs.statSync(socketPath);
    const group = runningAsRoot() ? systemGroupId('dovecot') : null;
    if (group !== null) {
      expect([st.mode & 0o777, st.uid, st.gid]).toEqual([0o660, 0, group]);
    } else {
      expect(st.mode & 0o777).toBe(0o600);
    }
  });

  it('answers one JSON line, and says so for a malformed or oversized request', async () => {
    expect(JSON.parse(await ask(socketPath, '{"op":"lookup","user":"info@example.test"}\n'))).toMatchObject({ result: 'ok', user: 'user1@example.test' });
    expect(JSON.parse(await ask(socketPath, 'not json\n'))).toEqual({ result: 'error', reason: 'malformed request' });
    expect(JSON.parse(await ask(socketPath, '{"op":"login","user":"a@b"}\n'))).toEqual({ result: 'error', reason: 'malformed request' });
    expect(JSON.parse(await ask(socketPath, 'x'.repeat(5000)))).toEqual({ result: 'error', reason: 'request too long' });
  });

  const reply = '/usr/lib/dovecot/checkpassword-reply';
  const haveReply = fs.existsSync(reply);

  /** Runs the program as Dovecot does: `user\0password\0\0` on fd 3, checkpassword-reply writing to fd 4. */
  function checkpassword(script: string, input: string, env: Record<string, string>): Promise<{ status: number | null; fields: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(script, [reply], {
        env: { ORIG_UID: String(process.getuid?.() ?? ''), ...env },
        stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
      });
      let fields = '';
      let stderr = '';
      (child.stdio[4] as net.Socket).on('data', (d: Buffer) => (fields += d.toString('utf8')));
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
      (child.stdio[3] as net.Socket).end(Buffer.from(input, 'utf8'));
      const t = setTimeout(() => reject(new Error('checkpassword did not exit')), 15_000);
      child.on('exit', (status) => {
        clearTimeout(t);
        setImmediate(() => resolve({ status, fields, stderr }));
      });
    });
  }

  it.skipIf(!haveReply)(`speaks the checkpassword protocol${haveReply ? '' : ' (skipped: dovecot-core is not installed)'}`, async () => {
    const script = path.join(dir, 'checkpassword.cjs');
    writeCheckpassword(script, socketPath);
    const fields = `user=user1@example.test\tuserdb_home=${home}\tuserdb_uid=4321\tuserdb_gid=4322\t`;
    // A login: exit 0 with the userdb fields; the client's address reaches the guard.
    expect(await checkpassword(script, 'info@example.test\0app secret\0\0', { TCPREMOTEIP: '198.51.100.4', SERVICE: 'imap' }))
      .toMatchObject({ status: 0, fields });
    expect(await checkpassword(script, 'user1@example.test\0nope\0\0', { TCPREMOTEIP: '198.51.100.5' })).toMatchObject({ status: 1, fields: '' });
    expect(guard.fails).toContainEqual({ ip: '198.51.100.5', user: 'user1@example.test' });
    // A userdb lookup (AUTHORIZED=1): exit 2 with the fields, 3 for an unknown user.
    expect(await checkpassword(script, 'info@example.test\0\0\0', { AUTHORIZED: '1' })).toMatchObject({ status: 2, fields });
    expect(await checkpassword(script, 'ghost@example.test\0\0\0', { AUTHORIZED: '1' })).toMatchObject({ status: 3, fields: '' });
  });

  it('answers "temporary failure" (111) when Postern cannot be reached', async () => {
    const script = path.join(dir, 'unreachable.cjs');
    fs.writeFileSync(script, checkpasswordScript(path.join(dir, 'nobody-listens.sock')), { mode: 0o700 });
    const r = await checkpassword(script, 'user1@example.test\0right\0\0', {});
    expect(r.status).toBe(111);
    expect(r.stderr).toMatch(/postern checkpassword: .*ENOENT/);
  });

  it('removes its socket when closed', async () => {
    const p = path.join(dir, 'other', 'auth.sock');
    const s = await startMailAuth({ socketPath: p, mailRoot: '/data/mail', directory, owner });
    expect(fs.existsSync(p)).toBe(true);
    await s.close();
    expect(fs.existsSync(p)).toBe(false);
  });
});
