// `npm run bench:reindex`: re-indexing one user's mail against issue 11's target (10,000 mails
// re-indexed, progress reported at least once a second).
//
// An embedded server (in this process, on 127.0.0.1, temporary DATA_DIR, WebAdmin on a free
// port) starts its IMAP service (Postern's private Dovecot, full-text search with
// fts-xapian). One user gets BENCH_MAILS (10000) mails delivered over LMTP, BENCH_LMTP (6)
// deliveries at a time, and Dovecot's indexer is left to finish. Then WebAdmin's
// `POST /mailboxIndex/users/{user}?task=reIndex` starts the task, which empties the user's
// index and rebuilds it; every change of the task's stored progress is timed (the task
// manager writes at most four a second). Printed: delivery rate, re-index time, mails a
// second, and the progress intervals (largest and median) beside the target.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { doveadm } from '../src/server/mail/doveadm';
import { mailPaths } from '../src/server/mail/daemonAccess';
import { lmtpDeliver } from '../src/server/mail/testing';
import { createAction, freePort, getRecords, waitFor, type ServiceActionRecord } from '../src/server/services/testing';
import { startTestServer } from '../src/server/testing';
import { apiKey } from '../src/server/webadmin/testing';

const MAILS = Number(process.env.BENCH_MAILS ?? 10_000);
const PARALLEL = Number(process.env.BENCH_LMTP ?? 6);
const USER = 'reader@bench.test';
const TARGET_GAP_MS = 1000;

const pct = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))];
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function mail(i: number): string {
  const words = ['ledger', 'harbour', 'quartz', 'meadow', 'lantern', 'orbit', 'pebble', 'thistle'];
  const body = Array.from({ length: 30 }, (_, k) => words[(i + k) % words.length]).join(' ');
  return `From: sender${i % 50}@remote.test\nTo: ${USER}\nMessage-ID: <bench${i}@remote.test>\nSubject: Report number ${i}\n\nmarker${i}\n${body}\n`;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-bench-reindex-'));
  Object.assign(process.env, {
    POSTERN_IMAP_PORT: String(await freePort()), POSTERN_IMAP_SECURE_PORT: String(await freePort()),
    POSTERN_IMAP_ADDRESS: '127.0.0.1', POSTERN_MANAGESIEVE_PORT: String(await freePort()),
  });
  const server = await startTestServer(dir, { webadminPort: 0 });
  const base = server.webadminUrl!;
  const key = await apiKey(server);
  const call = async (method: string, p: string, body?: string) => {
    const res = await fetch(base + p, { method, headers: { Authorization: `Bearer ${key}` }, ...(body ? { body } : {}) });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : null };
  };
  try {
    console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}; ${os.cpus().length} cores`);
    const action = (await createAction(server, { serviceId: 'imap', action: 'start' })).created!.a.id;
    const started = await waitFor('IMAP to start', async () => {
      const [a] = await getRecords<ServiceActionRecord>(server, 'x:ServiceAction', [action]);
      return a.state === 'done' || a.state === 'failed' ? a : null;
    }, 60_000, 200);
    if (started.state !== 'done') throw new Error(`IMAP did not start: ${started.message}`);
    if ((await call('PUT', '/domains/bench.test')).status !== 204) throw new Error('domain not created');
    if ((await call('PUT', `/users/${USER}`, JSON.stringify({ password: 'bench reader 1' }))).status !== 204) throw new Error('user not created');

    const lmtp = mailPaths(dir).lmtpSocket;
    const t0 = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: PARALLEL }, async () => {
      for (let i = next++; i < MAILS; i = next++) {
        const r = await lmtpDeliver(lmtp, 'sender@remote.test', [USER], mail(i), 60_000);
        if (!/^250 /.test(r.data[0] ?? '')) throw new Error(`delivery ${i}: ${r.rcpt.join(' ')} ${r.data.join(' ')}`);
        if (i > 0 && i % 1000 === 0) console.log(`  delivered ${i}`);
      }
    }));
    const delivered = performance.now() - t0;
    console.log(`delivered ${MAILS} mails over LMTP in ${s(delivered)} (${(MAILS / (delivered / 1000)).toFixed(0)}/s, ${PARALLEL} at a time)`);
    const lookup = async (word: string) => (await doveadm(dir, ['fts', 'lookup', '-u', USER, 'body', word], { timeoutMs: 120_000 })).stdout.trim();
    await waitFor('the indexer to catch up', async () => (await lookup(`marker${MAILS - 1}`)) !== 'INBOX: no results', 600_000, 1000);

    // Every stored progress of the task, timed.
    let taskId = '';
    const moves: { at: number; processed: number }[] = [];
    const unsubscribe = server.store.onChange((types) => {
      if (!types.has('x:Task') || !taskId) return;
      const rec = server.store.get('x:Task', taskId);
      const processed = (rec?.progress as { processedCount?: number } | null)?.processedCount;
      if (typeof processed === 'number' && processed !== moves.at(-1)?.processed) moves.push({ at: performance.now(), processed });
    });
    const r0 = performance.now();
    const res = await call('POST', `/mailboxIndex/users/${USER}?task=reIndex`);
    if (res.status !== 201) throw new Error(`reindex not started: ${JSON.stringify(res.json)}`);
    taskId = String(res.json!.taskId);
    const done = await call('GET', `/tasks/${taskId}/await?timeout=30m`);
    const wall = performance.now() - r0;
    unsubscribe();
    const report = done.json as { status: string; additionalInformation: Record<string, number>; startedDate: string; completedDate: string | null };
    const rec = server.store.get('x:Task', taskId)!;
    const ran = Date.parse(String(rec.completedAt ?? rec.failedAt)) - Date.parse(String(rec.startedAt));
    const gaps = moves.slice(1).map((m, i) => m.at - moves[i].at);
    const maxGap = Math.max(0, ...gaps);
    console.log(`re-index task ${report.status}: ${report.additionalInformation.successfullyReprocessMailCount} indexed, ${report.additionalInformation.failedReprocessedMailCount} failed`);
    console.log(`  time: ${s(wall)} from the request to the awaited end (task ran ${s(ran)}); ${(MAILS / (wall / 1000)).toFixed(0)} mails/s`);
    console.log(`  progress: ${moves.length} updates; interval median ${pct(gaps, 50)?.toFixed(0) ?? '-'} ms, largest ${maxGap.toFixed(0)} ms` +
      ` (target: at least one a second, i.e. largest ≤ ${TARGET_GAP_MS} ms): ${maxGap <= TARGET_GAP_MS && moves.length > 1 ? 'met' : 'MISSED'}`);
    console.log(`  index checked: "marker${MAILS - 1}" → ${await lookup(`marker${MAILS - 1}`)}`);
  } finally {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
