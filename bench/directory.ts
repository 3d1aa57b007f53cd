// `npx tsx bench/directory.ts`: the directory's speed against the targets of issue 10.
//
// An embedded server (in this process, on 127.0.0.1, temporary DATA_DIR) gets one domain
// and BENCH_ACCOUNTS accounts (100000; one in a hundred a group) through x:Account/set,
// 1000 per call, without credentials (hashing 100000 passwords would take most of an
// hour and measures scrypt, not the directory). Then, one request at a time:
// - the Users list page: x:Account/User/query sorted by emailAddress (limit 50,
//   calculateTotal) plus x:Account/get on its #ids, first, random and last page;
// - creating one user with a password (its address, credential hash and address index);
// - how long after the create's answer the mail daemons' lookup (MailDirectory.login)
//   finds the new account, and, when Dovecot is installed, how long until a real IMAP login
//   of the new account succeeds (the server's own IMAP service, on a free loopback port).
// Figures are printed beside their targets; nothing is asserted.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { mailDirectory } from '../src/server/mail/directory';
import { freePort } from '../src/server/services/testing';
import { startTestServer } from '../src/server/testing';

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 100_000);
const BATCH = 1000;
/** One account in this many is a group (BENCH_GROUP_EVERY; 0: users only). */
const GROUP_EVERY = Number(process.env.BENCH_GROUP_EVERY ?? 100);

const pct = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))];
const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 1)} ms`;

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-bench-dir-'));
  const imapPort = await freePort();
  Object.assign(process.env, {
    POSTERN_IMAP_PORT: String(imapPort),
    POSTERN_IMAP_SECURE_PORT: String(await freePort()),
    POSTERN_IMAP_ADDRESS: '127.0.0.1',
    POSTERN_IMAP_START_ON_BOOT: 'true',
  });
  const server = await startTestServer(dir);
  const call = async (name: string, args: object) => {
    const [answered, res] = await server.call(name, args);
    if (answered !== name) throw new Error(`${name}: ${JSON.stringify(res)}`);
    return res as Record<string, unknown>;
  };
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}`);
  const domain = await call('x:Domain/set', { create: { d: { name: 'bench.test' } } });
  const domainId = (domain.created as Record<string, { id: string }>).d.id;

  const seeded = performance.now();
  for (let from = 0; from < ACCOUNTS; from += BATCH) {
    const create: Record<string, object> = {};
    for (let i = from; i < Math.min(ACCOUNTS, from + BATCH); i++) {
      // Scattered names, so creation order is not address order.
      const name = `u${((i * 7919) % ACCOUNTS).toString(36)}x${i}`;
      create[`a${i}`] = { '@type': GROUP_EVERY > 0 && i % GROUP_EVERY === 0 ? 'Group' : 'User', name, domainId, description: `Account ${i}` };
    }
    const res = await call('x:Account/set', { create });
    if (res.notCreated) throw new Error(`seed: ${JSON.stringify(res.notCreated).slice(0, 300)}`);
  }
  const seedMs = performance.now() - seeded;
  console.log(`seeded ${ACCOUNTS} accounts in ${(seedMs / 1000).toFixed(1)} s (${Math.round(ACCOUNTS / (seedMs / 1000))}/s)`);

  const page = async (position: number) => {
    const start = performance.now();
    const res = await server.api([
      ['x:Account/User/query', { sort: [{ property: 'emailAddress', isAscending: true }], position, limit: 50, calculateTotal: true }, 'q'],
      ['x:Account/get', { '#ids': { resultOf: 'q', name: 'x:Account/User/query', path: '/ids' }, properties: ['emailAddress', 'name', 'description', 'roles'] }, 'g'],
    ]);
    if (res.methodResponses[0][0] !== 'x:Account/User/query') throw new Error(JSON.stringify(res.methodResponses[0]));
    return performance.now() - start;
  };
  const users = GROUP_EVERY > 0 ? ACCOUNTS - Math.ceil(ACCOUNTS / GROUP_EVERY) : ACCOUNTS;
  for (const [label, at] of [['first', () => 0], ['random', () => Math.floor(Math.random() * (users - 50))], ['last', () => users - 50]] as const) {
    await page(at());
    const times: number[] = [];
    for (let i = 0; i < 40; i++) times.push(await page(at()));
    console.log(`Users list page sorted by address (${label}): p50 ${ms(pct(times, 50))}, p95 ${ms(pct(times, 95))}   target p50 ≤ 20 ms`);
  }

  const lookup = mailDirectory(server.store);
  const creates: number[] = [];
  const visible: number[] = [];
  for (let i = 0; i < 30; i++) {
    const start = performance.now();
    await call('x:Account/set', { create: { n: { '@type': 'User', name: `new${i}`, domainId, credentials: { 0: { '@type': 'Password', secret: `new-${i}-Passw0rd` } } } } });
    const answered = performance.now();
    creates.push(answered - start);
    while (!lookup.login(`new${i}@bench.test`)) await new Promise((r) => setTimeout(r, 1));
    visible.push(performance.now() - answered);
  }
  console.log(`create a user with a password: p50 ${ms(pct(creates, 50))}, p95 ${ms(pct(creates, 95))}   target p50 ≤ 50 ms (with what Postfix and Dovecot need)`);
  console.log(`MailDirectory.login finds it after the answer: p50 ${ms(pct(visible, 50))}, max ${ms(Math.max(...visible))}`);

  let imap: { status: string; lastError?: string | null } = { status: 'starting' };
  for (let i = 0; i < 60 && (imap.status === 'starting' || imap.status === 'stopping'); i++) {
    imap = ((await call('x:Service/get', { ids: ['imap'], properties: ['status', 'lastError'] })).list as (typeof imap)[])[0];
    if (imap.status === 'starting') await new Promise((r) => setTimeout(r, 500));
  }
  if (imap.status !== 'running') {
    console.log(`IMAP login of a new account: not measured (IMAP service ${imap.status}: ${imap.lastError ?? 'Dovecot not installed?'})`);
  } else {
    const logins: number[] = [];
    for (let i = 0; i < 10; i++) {
      const password = `imap-${i}-Passw0rd`;
      await call('x:Account/set', { create: { n: { '@type': 'User', name: `imap${i}`, domainId, credentials: { 0: { '@type': 'Password', secret: password } } } } });
      const answered = performance.now();
      for (let attempt = 0; attempt < 50; attempt++) {
        const client = new ImapFlow({ host: '127.0.0.1', port: imapPort, secure: false, auth: { user: `imap${i}@bench.test`, pass: password }, logger: false, tls: { rejectUnauthorized: false } });
        client.on('error', () => {});
        const ok = await client.connect().then(() => true, () => false);
        if (ok) {
          logins.push(performance.now() - answered);
          await client.logout().catch(() => {});
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    console.log(`IMAP login of an account created a moment ago succeeds after: p50 ${ms(pct(logins, 50))}, max ${ms(Math.max(...logins))} (${logins.length}/10 logged in)   target ≤ 2 s`);
  }
  await server.close();
  if (!process.env.BENCH_KEEP_DATA) fs.rmSync(dir, { recursive: true, force: true });
}

void main();
