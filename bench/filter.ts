// `npm run bench:filter`: what Postern's content filter adds per message, against issue 13's
// target (≤ 20 ms p50 with 100 DLP rules).
//
// Two private Postfix instances on 127.0.0.1 (the driver's generated files), each delivering
// to an LMTP sink standing in for Dovecot: one with content_filter → Postern's filter (100
// DLP rules on the sender's domain, none matching, every target on), one without. Then
// BENCH_MESSAGES messages (200), one at a time, through each:
// - end to end: from the SMTP client's first byte to the sink receiving it; the difference
//   of the p50s is the latency the filter adds (an LMTP hop, parsing, the rules, and a
//   second pass through Postfix's cleanup and queue manager);
// - the filter's own work, in this process: parsing and the 100 rules, and the whole of it
//   with the reinjection into the real Postfix.
// The LMTP sink is smtp-server, which greets 100 ms after a connection: Postfix keeps its
// connections to the filter open (master.cf), so only the first message pays for that.
// Needs root and Postfix (as the tests do). Figures are printed beside the target.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { systemSet } from '../src/server/bootstrap';
import { mailDirectory } from '../src/server/mail/directory';
import { startContentFilter } from '../src/server/mail/filter/server';
import { DlpRules } from '../src/server/mail/filter/dlp';
import { processMail } from '../src/server/mail/filter/process';
import { Daemon } from '../src/server/services/daemon';
import { servicePaths } from '../src/server/services/driver';
import { mailSockets, postfixDriver } from '../src/server/services/postfix';
import { reinjectSocket } from '../src/server/services/postfixConfig';
import { firstLine, freePort, waitFor } from '../src/server/services/testing';
import { openDatabase } from '../src/server/store/db';
import { Store } from '../src/server/store/records';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 200);
const RULES = 100;
const TARGET_MS = 20;

const pct = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))];
const ms = (n: number) => `${n.toFixed(2)} ms`;

async function instance(filtered: boolean) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `postern-bench-filter-${filtered ? 'on' : 'off'}-`));
  fs.chmodSync(dataDir, 0o755);
  const store = new Store(openDatabase(dataDir));
  const domainId = (systemSet(store, 'x:Domain', { create: { d: { name: 'example.test' } } }).created as Record<string, { id: string }>).d.id;
  systemSet(store, 'x:Account', { create: { u: { '@type': 'User', name: 'user1', domainId } } });
  const rules = Object.fromEntries(Array.from({ length: RULES }, (_, i) => [`r${i}`, {
    domainId, ruleId: `rule-${String(i).padStart(3, '0')}`, expression: `(?i)project[-_ ]?code[-_ ]?${i}\\b|\\bACCT-${i}-\\d{6}`,
    targetsSender: true, targetsRecipients: true, targetsContent: true,
  }]));
  systemSet(store, 'x:DlpRule', { create: rules });
  const directory = mailDirectory(store);
  const driver = postfixDriver({ store, directory, contentFilter: filtered });
  const paths = servicePaths(path.join(dataDir, 'services', 'smtp'), driver.files);
  const lmtpSocket = mailSockets(paths.dir).lmtpSocket;
  fs.mkdirSync(path.dirname(lmtpSocket), { recursive: true, mode: 0o755 });
  const arrived = new Map<string, number>();
  const sink = new SMTPServer({
    lmtp: true, name: 'lmtp-sink.test', authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false, disableReverseLookup: true,
    onData(stream, _session, callback) {
      let text = '';
      stream.on('data', (c: Buffer) => (text += c.toString('latin1')));
      stream.on('end', () => {
        const subject = /^Subject: (.*)$/m.exec(text)?.[1]?.trim();
        if (subject) arrived.set(subject, performance.now());
        callback();
      });
    },
  });
  await new Promise<void>((r) => sink.listen(lmtpSocket, () => r()));
  fs.chmodSync(lmtpSocket, 0o666);
  const filter = filtered ? await startContentFilter({ store, dataDir, directory }) : null;
  const port = await freePort();
  const settings = {
    startOnBoot: false, bindAddress: '127.0.0.1', port, securePort: await freePort(),
    maxConnections: 20, memoryLimit: 64 * 1024 * 1024, secureMaxConnections: 5, secureMemoryLimit: 64 * 1024 * 1024,
  };
  const daemon = await Daemon.spawn(await driver.prepare(settings, paths, await driver.detect()));
  await waitFor('Postfix to greet', async () => (await firstLine(port, { timeoutMs: 1000 })).startsWith('220'), 20_000, 200);
  const deps = { store, directory, rules: new DlpRules(store), reinjectSocket: reinjectSocket(dataDir), log: () => {} };
  const mailer = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, name: 'client.test', pool: false });
  const body = 'Quarterly figures attached below.\n'.repeat(40);
  return {
    dataDir,
    /** One message end to end: SMTP in → the sink. */
    async endToEnd(i: number): Promise<number> {
      const subject = `${filtered ? 'on' : 'off'}-${i}`;
      const start = performance.now();
      await mailer.sendMail({ from: 'boss@example.test', to: 'user1@example.test', cc: 'user1@example.test', subject, text: body });
      const end = await waitFor('delivery', async () => arrived.get(subject), 20_000, 1);
      return end - start;
    },
    /** The filter's own work in this process: parse and 100 rules (in the DLP worker), then the same plus the reinjection into Postfix. */
    async filterOnly(i: number): Promise<{ rules: number; whole: number }> {
      const raw = Buffer.from(`From: boss@example.test\r\nTo: user1@example.test\r\nSubject: direct-${i}\r\nMessage-ID: <d${i}@example.test>\r\n\r\n${body.replace(/\n/g, '\r\n')}`);
      const env = { sender: 'boss@example.test', recipients: ['user1@example.test'], remoteAddr: '127.0.0.1', remoteHost: 'client.test' };
      let start = performance.now();
      if ((await deps.rules.check(domainId, env, raw)).match) throw new Error('a rule matched');
      const rules = performance.now() - start;
      start = performance.now();
      const answers = await processMail(deps, env, raw);
      if (answers.some((a) => a.code !== 250)) throw new Error(`the filter answered ${JSON.stringify(answers)}`);
      return { rules, whole: performance.now() - start };
    },
    async close() {
      mailer.close();
      await daemon.stop();
      await driver.close();
      await filter?.close();
      await new Promise<void>((r) => sink.close(() => r()));
      store.db.close();
      if (!process.env.BENCH_KEEP) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function main() {
  const install = await postfixDriver({ store: null, directory: { isLocalDomain: () => false, mailbox: () => null, aliasTargets: () => null, login: () => null } }).detect();
  if (!install.installed) {
    console.log(`bench:filter needs Postfix and root: ${install.problem ?? 'Postfix is not installed'}`);
    return;
  }
  const on = await instance(true);
  const off = await instance(false);
  try {
    for (let i = 0; i < 10; i++) { // warm-up: processes forked, caches filled
      await on.endToEnd(-1 - i);
      await off.endToEnd(-1 - i);
    }
    const withFilter: number[] = [];
    const without: number[] = [];
    const rules: number[] = [];
    const alone: number[] = [];
    for (let i = 0; i < MESSAGES; i++) {
      without.push(await off.endToEnd(i));
      withFilter.push(await on.endToEnd(i));
      const f = await on.filterOnly(i);
      rules.push(f.rules);
      alone.push(f.whole);
    }
    const added = pct(withFilter, 50) - pct(without, 50);
    console.log(`Content filter, ${RULES} DLP rules on the sender's domain (every target), ${MESSAGES} messages of ${1400} bytes, one at a time`);
    console.log(`  end to end without the filter   p50 ${ms(pct(without, 50))}   p95 ${ms(pct(without, 95))}`);
    console.log(`  end to end with the filter      p50 ${ms(pct(withFilter, 50))}   p95 ${ms(pct(withFilter, 95))}`);
    console.log(`  added by the filter (p50 − p50) ${ms(added)}   target ≤ ${TARGET_MS} ms  ${added <= TARGET_MS ? 'MET' : 'NOT MET'}`);
    console.log(`  the filter's own work per message (in process):`);
    console.log(`    parsing + ${RULES} rules (DLP worker)    p50 ${ms(pct(rules, 50))}   p95 ${ms(pct(rules, 95))}`);
    console.log(`    the same + reinjection into Postfix  p50 ${ms(pct(alone, 50))}   p95 ${ms(pct(alone, 95))}   target ≤ ${TARGET_MS} ms  ${pct(alone, 50) <= TARGET_MS ? 'MET' : 'NOT MET'}`);
  } finally {
    await on.close();
    await off.close();
  }
}

await main();
