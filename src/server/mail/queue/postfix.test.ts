// The Postfix tools' arguments, checked against stand-in programs that write down how they
// were called: every run names Postern's private configuration (-c), and nothing that is
// not a queue id (ALL, an option, a second line) ever reaches postsuper, postcat or
// postqueue — those calls fail before any program runs.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { flushQueue, listQueue, postsuper, readEnvelopes, readMessage, retryNow, type PostfixTools } from './postfix';
import { childrenOf } from './relayState';

describe('Postfix tool arguments', () => {
  let dir: string;
  let log: string;
  let tools: PostfixTools;

  /** A stand-in program: appends "name args…" (and its stdin, for postsuper) to the log. */
  const fake = (name: string, body = '') => {
    const file = path.join(dir, 'sbin', name);
    const stdin = name === 'postsuper' ? `cat >> '${log}'\n` : '';
    fs.writeFileSync(file, `#!/bin/sh\necho "${name} $*" >> '${log}'\n${stdin}${body}\n`, { mode: 0o755 });
  };
  const calls = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '');

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-postfix-args-'));
    log = path.join(dir, 'calls.log');
    fs.mkdirSync(path.join(dir, 'sbin'));
    fs.mkdirSync(path.join(dir, 'etc'));
    fs.writeFileSync(path.join(dir, 'etc', 'main.cf'), '');
    tools = { config: path.join(dir, 'etc'), sbin: path.join(dir, 'sbin'), isRoot: () => true };
    fake('postqueue');
    fake('postcat');
    fake('postsuper', 'echo "postsuper: ABC123DEF: removed" >&2');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('passes a queue id on stdin with -c <private config>', async () => {
    expect([...(await postsuper(tools, 'delete', ['ABC123DEF'], { queue: 'deferred' }))]).toEqual(['ABC123DEF']);
    expect(calls()).toBe(`postsuper -c ${tools.config} -d - deferred\nABC123DEF\n`);
  });

  it('refuses ALL, options and multi-line ids before running anything', async () => {
    await expect(postsuper(tools, 'delete', ['ALL'])).rejects.toThrow(/Not a Postfix queue id: "ALL"/);
    await expect(postsuper(tools, 'hold', ['ABC123DEF', 'ABC123DEF\nALL'])).rejects.toThrow(/Not a Postfix queue id/);
    await expect(readMessage(tools, '-c/etc/postfix')).rejects.toThrow(/Not a Postfix queue id/);
    await expect(readEnvelopes(tools, ['ABC123DEF', '../../etc/passwd'])).rejects.toThrow(/Not a Postfix queue id/);
    await expect(retryNow(tools, ['-f'])).rejects.toThrow(/Not a Postfix queue id/);
    expect(calls()).toBe('');
  });

  it('refuses a listing entry whose queue id is not one', async () => {
    fake('postqueue', `echo '{"queue_name":"deferred","queue_id":"-d","arrival_time":1,"message_size":1,"sender":"a@b.test","recipients":[]}'`);
    await expect(listQueue(tools)).rejects.toThrow(/postqueue -j listed something that is not a queued message/);
  });

  it('flushes the whole deferred queue with one postqueue -f, and retries single messages with -i', async () => {
    expect(await flushQueue(tools)).toBeNull();
    expect([...(await retryNow(tools, ['ABC123DEF', 'DEF456ABC']))].sort()).toEqual([['ABC123DEF', null], ['DEF456ABC', null]]);
    expect(calls().split('\n').filter(Boolean).sort()).toEqual([`postqueue -c ${tools.config} -f`, `postqueue -c ${tools.config} -i ABC123DEF`, `postqueue -c ${tools.config} -i DEF456ABC`]);
  });
});

describe('process start times (to tell daemons started before a main.cf change)', () => {
  it('reads a child process and when it started, to within a second', async () => {
    const before = Date.now();
    const child = spawn('sleep', ['5']);
    try {
      await new Promise((r) => setTimeout(r, 300));
      const mine = childrenOf(process.pid).find((p) => p.pid === child.pid);
      expect(mine).toMatchObject({ comm: 'sleep', ppid: process.pid });
      expect(Math.abs(mine!.startedMs - before)).toBeLessThan(1000);
    } finally {
      child.kill();
    }
  });
});
