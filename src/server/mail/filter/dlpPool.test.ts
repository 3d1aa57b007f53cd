// DLP off the main thread: a pathological rule over a large mail neither blocks the event
// loop (a lag probe runs throughout) nor stalls mail (past the time limit the mail is set
// aside in `error` with the reason, and a fresh worker takes the next mail); rules are
// compiled once per rule-set version; the filter's LMTP server takes its size limit from the
// SMTP x:Service and refuses a larger message.

import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemSet } from '../../bootstrap';
import { DEFAULT_MAX_MESSAGE_SIZE } from '../../services/postfixConfig';
import { SERVICE } from '../../services/slot';
import { openDatabase } from '../../store/db';
import { Store } from '../../store/records';
import { mailDirectory } from '../directory';
import { DlpRules } from './dlp';
import { DlpPool, DlpTimeout } from './dlpPool';
import { processMail, type FilterDeps } from './process';
import { MAIL, repositoryFor } from './repositoryStore';
import { sizeLimit, startContentFilter } from './server';

let dir: string;
let store: Store;
let domainId: string;
let sink: SMTPServer;
let reinjectPath: string;
const delivered: string[] = [];
const pools: DlpPool[] = [];

const pool = (opts: ConstructorParameters<typeof DlpPool>[0]) => {
  const p = new DlpPool(opts);
  pools.push(p);
  return p;
};
const env = { sender: 'boss@example.test', recipients: ['user1@example.test'], remoteAddr: '192.0.2.9', remoteHost: 'client.test' };
const mail = (subject: string, body: string) => Buffer.from(`From: boss@example.test\r\nTo: user1@example.test\r\nSubject: ${subject}\r\n\r\n${body}\r\n`);
const inError = () => [...store.all(MAIL)].map(([, d]) => d).filter((d) => d.repositoryId === repositoryFor(store, 'error'));
/** A body of `size` bytes of `ab…` in 76-character lines. */
const abBody = (size: number) => Array.from({ length: Math.ceil(size / 78) }, () => 'ab'.repeat(38)).join('\r\n');
/** One line of `size` a's and b's at random (seeded): the worst case for `a[ab]{999}[cd]`, about 1.5 s per 100 KB. */
function randomAb(size: number) {
  let seed = 7;
  const out: string[] = [];
  for (let i = 0; i < size; i++) out.push((seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0x10000 ? 'a' : 'b');
  return out.join('');
}

/** Runs `fn` with a probe that measures how late a 10 ms timer fires: the event loop's worst stall. */
async function withLagProbe<T>(fn: () => Promise<T>): Promise<{ result: T; maxLagMs: number; elapsedMs: number }> {
  const start = performance.now();
  let last = start;
  let maxLagMs = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    maxLagMs = Math.max(maxLagMs, now - last - 10);
    last = now;
  }, 10);
  try {
    const result = await fn();
    return { result, maxLagMs, elapsedMs: performance.now() - start };
  } finally {
    clearInterval(probe);
  }
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-dlp-pool-'));
  store = new Store(openDatabase(dir));
  domainId = (systemSet(store, 'x:Domain', { create: { d: { name: 'example.test' } } }).created as Record<string, { id: string }>).d.id;
  systemSet(store, 'x:Account', { create: { u: { '@type': 'User', name: 'user1', domainId } } });
  reinjectPath = path.join(dir, 'reinject.sock');
  sink = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false, disableReverseLookup: true, size: 0,
    onData(stream, _s, cb) {
      let text = '';
      stream.on('data', (c: Buffer) => (text += c.toString('latin1')));
      stream.on('end', () => {
        delivered.push(/^Subject: (.*)$/m.exec(text)?.[1]?.trim() ?? '');
        cb();
      });
    },
  });
  await new Promise<void>((r) => sink.listen(reinjectPath, () => r()));
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
  await new Promise<void>((r) => sink.close(() => r()));
  store.db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('DLP in worker threads', () => {
  it('a pathological rule over a large mail does not block the event loop; past the limit the mail is set aside in error', async () => {
    systemSet(store, 'x:DlpRule', { create: {
      slow: { domainId, ruleId: 'slow', expression: 'a[ab]{999}[cd]', targetsContent: true },
      plain: { domainId, ruleId: 'plain', expression: 'project-x', targetsContent: true },
    } });
    const deps: FilterDeps = { store, directory: mailDirectory(store), rules: new DlpRules(store, () => {}, pool({ size: 1, timeLimitMs: 1000 })), reinjectSocket: reinjectPath, log: () => {} };
    // About 1.5 s per 100 KB for this rule on random a's and b's: 800 KB would take some 12 s without the limit.
    const start = performance.now();
    const { result, maxLagMs, elapsedMs } = await withLagProbe(() => processMail(deps, env, mail('stuck', randomAb(800_000))));
    const took = performance.now() - start;
    expect(result).toEqual([{ code: 250, text: expect.stringMatching(/^2\.0\.0 set aside in error as \w+$/) }]);
    expect(inError().map((d) => [d.subject, d.state, d.error, d.remoteAddr])).toEqual([['stuck', 'error', 'DLP rules of example.test took longer than 1 s on this mail', '192.0.2.9']]);
    expect(took).toBeGreaterThanOrEqual(1000);
    expect(took).toBeLessThan(8000); // the limit, and loading the worker under tsx
    // The loop keeps turning while the rules run: no stall near the length of the work itself
    // (a loaded machine delays timers somewhat, so the bound is relative as well as absolute).
    expect(maxLagMs).toBeLessThan(Math.min(1000, Math.max(200, elapsedMs / 3)));
    expect(delivered).not.toContain('stuck');
    // The worker was replaced: the next mail runs the same rules in a fresh one and is delivered.
    const next = await processMail(deps, env, mail('small', 'nothing to see'));
    expect(next).toEqual([{ code: 250, text: expect.stringMatching(/passed the content filter/) }]);
    expect(delivered).toContain('small');
    systemSet(store, 'x:DlpRule', { destroy: [...store.all('x:DlpRule')].map(([id]) => id) });
  }, 30_000);

  it('100 rules over a 2 MB mail run off the main thread and still match', async () => {
    const rules = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`r${i}`, { domainId, ruleId: `rule-${String(i).padStart(3, '0')}`, expression: `(?i)project[-_ ]?code[-_ ]?${i}\\b`, targetsContent: true }]));
    systemSet(store, 'x:DlpRule', { create: rules });
    const deps: FilterDeps = { store, directory: mailDirectory(store), rules: new DlpRules(store, () => {}, pool({ size: 1 })), reinjectSocket: reinjectPath, log: () => {} };
    const { result, maxLagMs, elapsedMs } = await withLagProbe(() => processMail(deps, env, mail('big', `${abBody(2_000_000)}\r\nsee Project Code 42.`)));
    expect(result[0].text).toMatch(/set aside in quarantine/);
    // The loop keeps turning while the rules run: no stall near the length of the work itself
    // (a loaded machine delays timers somewhat, so the bound is relative as well as absolute).
    expect(maxLagMs).toBeLessThan(Math.min(1000, Math.max(200, elapsedMs / 3)));
    const parked = [...store.all(MAIL)].map(([, d]) => d).find((d) => d.subject === 'big')!;
    expect(parked.error).toBe('DLP rule "rule-042" of example.test matched the content');
    expect(String(parked.textBody)).toMatch(/cut: the whole message is in the \.eml/); // the worker's parse, kept for the record
    systemSet(store, 'x:DlpRule', { destroy: [...store.all('x:DlpRule')].map(([id]) => id) });
  }, 30_000);

  it('compiles a domain\u2019s rules once per rule-set version; a timeout rejects with DlpTimeout', async () => {
    const p = pool({ size: 1, timeLimitMs: 500 });
    const spec = { ruleId: 'r', expression: 'secret', explanation: null, targetsSender: false, targetsRecipients: false, targetsContent: true };
    const run = (version: number, rules: typeof spec[], body: string) => p.run({ domainId: 'd', version, rules, env, raw: mail('s', body) });
    expect((await run(1, [spec], 'a secret')).match).toEqual({ ruleId: 'r', explanation: null, target: 'content' });
    // Same version: the worker keeps what it compiled and is not sent the rules again (a different list here shows it).
    expect((await run(1, [], 'a secret')).match).toEqual({ ruleId: 'r', explanation: null, target: 'content' });
    // A new version replaces them.
    expect((await run(2, [], 'a secret')).match).toBeNull();
    await expect(run(3, [{ ...spec, expression: 'a[ab]{999}[cd]' }], randomAb(300_000))).rejects.toBeInstanceOf(DlpTimeout);
    // A fresh worker knows nothing yet: it is sent the rules again.
    expect((await run(3, [spec], 'a secret')).match).not.toBeNull();
  }, 30_000);
});

/** One LMTP transaction over a UNIX socket; every reply line. */
async function lmtp(socketPath: string, message: Buffer): Promise<string[]> {
  const s = net.connect(socketPath);
  let buf = '';
  s.on('data', (d: Buffer) => (buf += d.toString('latin1')));
  const reply = async (n = 1) => {
    const deadline = Date.now() + 10_000;
    while ((buf.match(/^\d{3} .*$/gm) ?? []).length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    return buf.match(/^\d{3} .*$/gm) ?? [];
  };
  let seen = 0;
  const say = async (line: string | Buffer) => {
    s.write(line);
    return (await reply(++seen)).at(-1)!;
  };
  await reply(++seen);
  await say('LHLO client.test\r\n');
  await say('MAIL FROM:<boss@example.test>\r\n');
  await say('RCPT TO:<user1@example.test>\r\n');
  await say('DATA\r\n');
  await say(Buffer.concat([message, Buffer.from('\r\n.\r\n')]));
  s.destroy();
  return reply(seen);
}

describe('the filter\u2019s size limit', () => {
  it('follows the SMTP service\u2019s maxMessageSize (doubled for CRLF line ends), and a larger message is refused with 552', async () => {
    expect(sizeLimit(store)).toBe(2 * DEFAULT_MAX_MESSAGE_SIZE + 64 * 1024);
    store.transaction(() => store.insert(SERVICE, 'smtp', { name: 'smtp', maxMessageSize: 8192 }, []));
    expect(sizeLimit(store)).toBe(2 * 8192 + 64 * 1024);
    const filter = await startContentFilter({
      store, dataDir: dir, socketPath: path.join(dir, 'filter.sock'), reinjectSocketPath: reinjectPath,
      owner: { uid: process.getuid!(), gid: process.getgid!() },
    });
    try {
      const big = await lmtp(filter.socketPath, mail('too-big', abBody(200_000)));
      expect(big.at(-1)).toMatch(/^552 /);
      const small = await lmtp(filter.socketPath, mail('fits', 'hello'));
      expect(small.at(-1)).toMatch(/^250 /);
      expect(delivered).toContain('fits');
      expect(delivered).not.toContain('too-big');
    } finally {
      await filter.close();
    }
  }, 30_000);
});
