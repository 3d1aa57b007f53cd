// The DLP worker thread (started by dlpPool.ts; bundled beside main.mjs as dlpWorker.mjs):
// parses one mail and runs its sender domain's rules on it, one job at a time, away from the
// thread that serves JMAP, WebAdmin and the daemons' lookups. A domain's rules are compiled
// once per rule-set version and kept until a newer version of that domain's rules arrives.
// The pool terminates this thread when a job takes too long; nothing here needs to stop.

import { parentPort } from 'node:worker_threads';
import { compileRules, describeParsed, firstMatch, parseMessage, subjectOf, type CompiledRule } from './dlpMatch';
import type { DlpJob, DlpReply } from './dlpPool';

const compiled = new Map<string, { version: number; rules: CompiledRule[] }>();

async function run(job: DlpJob): Promise<DlpReply> {
  let skipped: { ruleId: string; message: string }[] = [];
  let entry = compiled.get(job.domainId);
  if (job.rules) {
    const c = compileRules(job.rules);
    skipped = c.skipped;
    entry = { version: job.version, rules: c.rules };
    compiled.set(job.domainId, entry);
  }
  if (!entry || entry.version !== job.version) throw new Error(`the DLP worker has no rules of version ${job.version} for domain ${job.domainId}`);
  const parsed = await parseMessage(Buffer.from(job.raw.buffer, job.raw.byteOffset, job.raw.byteLength));
  const match = firstMatch(entry.rules, subjectOf(job.env, parsed));
  return {
    id: job.id,
    match: match ? { ruleId: match.rule.ruleId, explanation: match.rule.explanation, target: match.target } : null,
    description: describeParsed(parsed),
    skipped,
  };
}

const port = parentPort;
if (!port) throw new Error('dlpWorker runs as a worker thread of Postern\u2019s content filter');
port.on('message', (job: DlpJob) => {
  run(job).then(
    (reply) => port.postMessage(reply),
    (e: Error) => port.postMessage({ id: job.id, error: e.message } satisfies DlpReply),
  );
});
// Loaded: the pool starts a job's clock from here, not from the thread's start.
port.postMessage({ ready: true } satisfies DlpReply);
