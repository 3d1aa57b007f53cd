// What the daemons may reach in DATA_DIR: as root exactly the modes daemonAccess.ts
// describes; rootless nothing changes.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mailOwner, mailPaths, openForDaemons, runningAsRoot, systemGroupId, systemUser } from './daemonAccess';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function dataDir(parent = os.tmpdir()): string {
  const d = fs.mkdtempSync(path.join(parent, 'postern-access-'));
  dirs.push(d);
  fs.writeFileSync(path.join(d, 'postern.sqlite'), '', { mode: 0o644 });
  fs.mkdirSync(path.join(d, 'blobs'), { mode: 0o755 });
  return d;
}

const mode = (p: string) => fs.statSync(p).mode & 0o777;

describe('the system account files', () => {
  it('finds users and groups of /etc/passwd and /etc/group, and nothing else', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-passwd-'));
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nmail:x:8:8:mail:/var/mail:/usr/sbin/nologin\n');
    fs.writeFileSync(path.join(dir, 'group'), 'root:x:0:\ndovecot:x:105:\n');
    expect(systemUser('mail', path.join(dir, 'passwd'))).toEqual({ name: 'mail', uid: 8, gid: 8 });
    expect(systemUser('mai', path.join(dir, 'passwd'))).toBeNull();
    expect(systemGroupId('dovecot', path.join(dir, 'group'))).toBe(105);
    expect(systemGroupId('postfix', path.join(dir, 'group'))).toBeNull();
    expect(systemUser('x', path.join(dir, 'missing'))).toBeNull();
  });
});

describe.skipIf(!runningAsRoot())('as root', () => {
  it('opens the way to the daemons\' files for traversal only and closes everything else', () => {
    const d = dataDir();
    const p = mailPaths(d);
    const owner = mailOwner();
    openForDaemons(p, owner);
    expect(mode(d)).toBe(0o711);
    expect(mode(path.join(d, 'services'))).toBe(0o711);
    expect(mode(p.imapDir)).toBe(0o711);
    expect(mode(p.lookupDir) & 0o011).toBe(0o011);
    expect(mode(path.join(d, 'postern.sqlite'))).toBe(0o600);
    expect(mode(path.join(d, 'blobs'))).toBe(0o700);
    const root = fs.statSync(p.mailRoot);
    expect([root.uid, root.gid, root.mode & 0o777]).toEqual([owner.uid, owner.gid, 0o700]);
  });

  it('names the directory above DATA_DIR that keeps the daemons out, and changes no mode', () => {
    const closed = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-closed-'));
    dirs.push(closed);
    fs.chmodSync(closed, 0o700);
    const d = dataDir(closed);
    expect(() => openForDaemons(mailPaths(d), mailOwner())).toThrow(`${closed} is mode 0700, with no search permission for others. Choose a DATA_DIR outside it, or allow it with: chmod o+x ${closed}`);
    expect(mode(path.join(d, 'postern.sqlite'))).toBe(0o644);
  });
});

describe.skipIf(runningAsRoot())('rootless', () => {
  it('changes no mode: one uid runs everything', () => {
    const d = dataDir();
    const before = mode(d);
    openForDaemons(mailPaths(d), mailOwner());
    expect(mode(d)).toBe(before);
    expect(mode(path.join(d, 'postern.sqlite'))).toBe(0o644 & ~process.umask());
    expect(fs.existsSync(mailPaths(d).mailRoot)).toBe(true);
  });
});
