// The probe of the mail software, against small stand-in programs in a directory of its
// own (so the answers are known): versions read, missing software with its install hint,
// a tool that fails or hangs named with the reason, plugins by their module and package;
// and the kept answer: a read waits at most what it asks, a stale answer is asked again.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaemonVersions, probeDaemons, type DaemonInfo } from './probe';

let dir: string;
let bin: string;
let modules: string;

function tool(name: string, script: string) {
  const file = path.join(bin, name);
  fs.writeFileSync(file, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-probe-'));
  bin = path.join(dir, 'bin');
  modules = path.join(dir, 'modules');
  fs.mkdirSync(bin);
  fs.mkdirSync(modules);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const byKey = (list: DaemonInfo[]) => Object.fromEntries(list.map((d) => [d.key, d]));

describe('probeDaemons', () => {
  it('reads each version the way the machine reports it, and names what is missing with how to install it', async () => {
    tool('dovecot', '[ "$1" = "--version" ] && echo "9.8.7 (abcdef)" || exit 3');
    tool('postconf', '[ "$*" = "-d -h mail_version" ] && echo "3.9.1" || exit 4');
    const found = byKey(await probeDaemons({ searchDirs: [bin], moduleDirs: [modules] }));
    expect(found.dovecot).toMatchObject({ name: 'Dovecot', installed: true, version: '9.8.7', installHint: null, problem: null });
    expect(found.postfix).toMatchObject({ name: 'Postfix', installed: true, version: '3.9.1', installHint: null, problem: null });
    expect(found.pigeonhole).toMatchObject({ installed: false, version: null, installHint: 'apt-get install dovecot-sieve dovecot-managesieved' });
    expect(found.ftsXapian).toMatchObject({ installed: false, version: null, installHint: 'apt-get install dovecot-fts-xapian' });

    fs.rmSync(path.join(bin, 'postconf'));
    const without = byKey(await probeDaemons({ searchDirs: [bin], moduleDirs: [modules] }));
    expect(without.postfix).toMatchObject({ installed: false, version: null });
    expect(without.postfix.installHint).toMatch(/^apt-get install postfix/);
  });

  it('a plugin is installed by its module, its version is its package\u2019s; without dpkg-query it says why it has none', async () => {
    fs.writeFileSync(path.join(modules, 'lib21_fts_xapian_plugin.so'), '');
    fs.writeFileSync(path.join(modules, 'lib90_sieve_plugin.so'), '');
    const noDpkg = byKey(await probeDaemons({ searchDirs: [bin], moduleDirs: [modules] }));
    expect(noDpkg.ftsXapian).toMatchObject({ installed: true, version: null, package: 'dovecot-fts-xapian', installHint: null });
    expect(noDpkg.ftsXapian.problem).toMatch(/no dpkg-query/);
    tool('dpkg-query', '[ "$1 $2 $3" = "-W -f \\${Version}" ] || exit 9\ncase "$4" in dovecot-fts-xapian) printf 1.5.5-1;; dovecot-sieve) printf 1:2.3.19.1-2;; *) exit 1;; esac');
    const withDpkg = byKey(await probeDaemons({ searchDirs: [bin], moduleDirs: [modules] }));
    expect(withDpkg.ftsXapian).toMatchObject({ installed: true, version: '1.5.5-1', package: 'dovecot-fts-xapian', problem: null });
    expect(withDpkg.pigeonhole).toMatchObject({ installed: true, version: '1:2.3.19.1-2', package: 'dovecot-sieve', problem: null });
  });

  it('a tool that fails or hangs leaves the version unknown and says why, within the timeout', async () => {
    tool('dovecot', 'echo "Fatal: cannot read config" >&2; exit 89');
    tool('postconf', 'sleep 10');
    const started = Date.now();
    const found = byKey(await probeDaemons({ searchDirs: [bin], moduleDirs: [modules], timeoutMs: 300 }));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(found.dovecot).toMatchObject({ installed: true, version: null, problem: 'dovecot failed: Fatal: cannot read config' });
    expect(found.postfix).toMatchObject({ installed: true, version: null, problem: 'postconf gave no answer within 0.3 s' });
  });
});

describe('DaemonVersions', () => {
  const answer = (version: string): DaemonInfo[] => [{ key: 'dovecot', name: 'Dovecot', role: 'r', installed: true, version, package: null, installHint: null, problem: null }];

  it('a read waits at most what it asks; the answer lands for the next read; one probe at a time', async () => {
    let calls = 0;
    const slow = new DaemonVersions({}, async () => {
      calls += 1;
      await new Promise((r) => setTimeout(r, 400));
      return answer('1.0');
    });
    const t0 = Date.now();
    const first = await slow.refresh(50);
    expect(Date.now() - t0).toBeLessThan(300);
    expect(first).toEqual({ daemons: null, checkedAt: null });
    await slow.refresh(50);
    expect(calls).toBe(1);
    const later = await slow.refresh(1000);
    expect(later.daemons?.[0].version).toBe('1.0');
    expect(typeof later.checkedAt).toBe('number');
    expect(calls).toBe(1);
  });

  it('keeps its answer until it is older than ttlMs, then asks again', async () => {
    let version = 'a';
    let calls = 0;
    const kept = new DaemonVersions({ ttlMs: 60_000 }, async () => {
      calls += 1;
      return answer(version);
    });
    expect((await kept.refresh()).daemons?.[0].version).toBe('a');
    version = 'b';
    expect((await kept.refresh()).daemons?.[0].version).toBe('a');
    expect(calls).toBe(1);
    expect((await kept.refresh(1000, Date.now() + 61_000)).daemons?.[0].version).toBe('b');
    expect(calls).toBe(2);
  });
});

describe('binaries named by POSTERN_DOVECOT / POSTERN_POSTFIX', () => {
  it('are the ones asked (as the supervisor runs them), not the ones on PATH', async () => {
    const custom = path.join(dir, 'custom');
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(custom);
    fs.mkdirSync(empty);
    fs.writeFileSync(path.join(custom, 'my-dovecot'), '#!/bin/sh\n[ "$1" = "--version" ] && echo "2.3.99 (custom)"\n', { mode: 0o755 });
    fs.writeFileSync(path.join(custom, 'postfix'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    fs.writeFileSync(path.join(custom, 'postconf'), '#!/bin/sh\n[ "$*" = "-d -h mail_version" ] && echo "3.7.42"\n', { mode: 0o755 });
    const found = byKey(await probeDaemons({ searchDirs: [empty], moduleDirs: [modules], dovecotBinary: path.join(custom, 'my-dovecot'), postfixBinary: path.join(custom, 'postfix') }));
    expect(found.dovecot).toMatchObject({ installed: true, version: '2.3.99' });
    expect(found.postfix).toMatchObject({ installed: true, version: '3.7.42' });
    // A named binary that is not there is not installed, whatever PATH has.
    const missing = byKey(await probeDaemons({ searchDirs: [bin], moduleDirs: [modules], timeoutMs: 300, dovecotBinary: path.join(custom, 'nope') }));
    expect(missing.dovecot).toMatchObject({ installed: false, version: null });
  });
});
