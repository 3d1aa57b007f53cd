// Task kinds of the mail repositories (objects/repositories.ts): ClearMailRepository
// {repositoryId} deletes every mail of a repository; ReprocessRepositoryMails
// {repositoryId, mailIds (empty = all), targetQueue?, targetState?} sends mails back into
// Postfix and removes each one that Postfix took. James's additionalInformation
// (repositoryPath, targetQueue, targetProcessor, initialCount, remainingCount, mailKey)
// is in the serverSet fields.
//
// targetState (James's `processor`): `root` (the default) runs the whole content filter
// again: DLP rules, local recipients, then Postfix, so a mail that still matches a rule
// lands in quarantine again (as a new mail). `transport` skips the filter and hands the
// mail straight to Postfix's reinjection smtpd. targetQueue (James's `queue`): Postfix has
// one way in, its incoming queue, named `spool` as James names its own; nothing else is
// accepted. A mail Postfix defers stays in its repository and counts as failed.

import type { SetError } from '../../shared/jmap/errors';
import type { FieldsEntry } from '../../shared/schema/types';
import { mailDirectory } from '../mail/directory';
import { DlpRules } from '../mail/filter/dlp';
import { processMail } from '../mail/filter/process';
import { reinject } from '../mail/filter/reinject';
import { MAIL, mailMessage, mailRecipients, removeMail, REPOSITORY, repositoryMailIds } from '../mail/filter/repositoryStore';
import { reinjectSocket } from '../services/postfixConfig';
import type { WriteContext } from '../objects/define';
import type { Store } from '../store/records';
import { TaskCancelled, type TaskKind, type TaskRun } from './kind';

type Prop = FieldsEntry['properties'][string];
const input = (description: string, type: Prop['type']): Prop => ({ description, type, update: 'immutable' });
const result = (description: string, type: Prop['type']): Prop => ({ description, type, update: 'serverSet' });
const count = (description: string) => result(description, { type: 'number', format: 'unsignedInteger', nullable: true });

const repositoryId = input('The mail repository (x:MailRepository id)', { type: 'string', format: 'string' });
const repositoryPath = result('James\u2019s repositoryPath: the repository\u2019s path', { type: 'string', format: 'string', nullable: true });

export const TARGET_QUEUES = ['spool'];
export const TARGET_STATES = ['root', 'transport'];

const invalid = (property: string, description: string, value: unknown): SetError => ({
  type: 'validationFailed',
  description: `${property}: ${description}`,
  properties: [property],
  validationErrors: [{ type: 'Invalid', property, description, value }],
});

function repositoryProblem(store: Store, value: Record<string, unknown>): SetError | null {
  const id = String(value.repositoryId ?? '');
  if (store.get(REPOSITORY, id)) return null;
  return { type: 'invalidForeignKey', description: `repositoryId: there is no mail repository ${JSON.stringify(id)}`, properties: ['repositoryId'] };
}

/** Both kinds take mails out of a repository: only a caller who may remove repository mails may start them. */
function removalForbidden(ctx: WriteContext): SetError | null {
  if (ctx.caller.permissions.has('sysRepositoryMailDestroy')) return null;
  return { type: 'forbidden', description: 'Clearing or reprocessing a mail repository removes its mails: it needs the sysRepositoryMailDestroy permission', properties: ['@type'] };
}

const pathOf = (store: Store, id: string) => String(store.get(REPOSITORY, id)?.path ?? id);

async function clear(t: TaskRun) {
  const repo = String(t.input.repositoryId);
  const ids = repositoryMailIds(t.store, repo);
  t.info({ repositoryPath: pathOf(t.store, repo), initialCount: ids.length, remainingCount: ids.length });
  t.progress({ initialCount: ids.length, processedCount: 0, failedCount: 0, remainingCount: ids.length });
  let done = 0;
  for (const id of ids) {
    if (t.signal.aborted) throw new TaskCancelled('cancelled');
    removeMail(t.store, id);
    done++;
    t.progress({ processedCount: done, remainingCount: ids.length - done });
  }
  t.info({ remainingCount: repositoryMailIds(t.store, repo).length });
}

/** Sends one mail back; true when Postfix (or a repository) took it for every recipient. */
async function reprocessOne(t: TaskRun, deps: Parameters<typeof processMail>[0], mailId: string, state: string): Promise<boolean> {
  const mail = t.store.get(MAIL, mailId);
  if (!mail) return true; // deleted meanwhile: nothing left to do
  const raw = mailMessage(t.store, mail);
  if (!raw) throw new Error(`the message of mail ${mailId} is missing`);
  const sender = typeof mail.sender === 'string' ? mail.sender : null;
  const recipients = mailRecipients(mail);
  let taken: boolean;
  if (state === 'transport') {
    const res = await reinject(deps.reinjectSocket, sender, recipients, raw);
    taken = res.recipients.every((r) => r.code < 300) && !!res.data && res.data.code < 300;
  } else {
    const answers = await processMail(deps, { sender, recipients, remoteAddr: (mail.remoteAddr as string | null) ?? null, remoteHost: (mail.remoteHost as string | null) ?? null }, raw);
    taken = answers.every((a) => a.code < 300);
  }
  if (taken) removeMail(t.store, mailId);
  else t.log(`mail ${mailId} was not taken by Postfix: it stays in its repository`);
  return taken;
}

async function reprocess(t: TaskRun) {
  const repo = String(t.input.repositoryId);
  const chosen = Object.keys((t.input.mailIds as Record<string, unknown> | undefined) ?? {});
  const all = repositoryMailIds(t.store, repo);
  const ids = chosen.length ? chosen.filter((id) => all.includes(id)) : all;
  const state = typeof t.input.targetState === 'string' ? t.input.targetState : 'root';
  t.info({
    repositoryPath: pathOf(t.store, repo), targetQueue: t.input.targetQueue ?? 'spool', targetProcessor: state,
    initialCount: ids.length, remainingCount: ids.length, mailKey: chosen.length === 1 ? chosen[0] : null,
  });
  t.progress({ initialCount: ids.length, processedCount: 0, failedCount: 0, remainingCount: ids.length });
  const deps = { store: t.store, directory: mailDirectory(t.store), rules: new DlpRules(t.store, t.log), reinjectSocket: reinjectSocket(t.dataDir), log: t.log };
  let processed = 0;
  let failed = 0;
  for (const id of ids) {
    if (t.signal.aborted) throw new TaskCancelled('cancelled');
    try {
      if (await reprocessOne(t, deps, id, state)) processed++;
      else failed++;
    } catch (e) {
      failed++;
      t.log(`mail ${id} not reprocessed: ${(e as Error).message}`);
    }
    t.progress({ processedCount: processed, failedCount: failed, remainingCount: ids.length - processed - failed });
    t.info({ remainingCount: ids.length - processed, successfullyReprocessMailCount: processed, failedReprocessedMailCount: failed });
  }
  if (failed > 0 && processed === 0) throw new Error(`none of the ${failed} mails could be sent back to Postfix (is SMTP running?); they stay in the repository`);
}

export const clearMailRepositoryKind: TaskKind = {
  variant: 'ClearMailRepository',
  label: 'Clear a mail repository',
  fields: {
    properties: {
      repositoryId,
      repositoryPath,
      initialCount: count('How many mails the repository held when the task started'),
      remainingCount: count('How many mails it holds now'),
    },
  },
  creatable: true,
  jamesType: 'clearMailRepository',
  jamesInfo: (r) => ({ repositoryPath: r.repositoryPath ?? null, initialCount: r.initialCount ?? null, remainingCount: r.remainingCount ?? null }),
  check: (ctx, v) => removalForbidden(ctx) ?? repositoryProblem(ctx.store, v),
  onRestart: 'resume', // deleting what is left again is safe
  run: clear,
};

export const reprocessRepositoryMailsKind: TaskKind = {
  variant: 'ReprocessRepositoryMails',
  label: 'Reprocess repository mails',
  fields: {
    properties: {
      repositoryId,
      mailIds: input('The mails to send back (x:RepositoryMail ids); empty: every mail of the repository', { type: 'set', class: { type: 'string', format: 'string' } }),
      targetQueue: input('James\u2019s queue: Postfix takes mail in one queue only, named spool; empty means spool', { type: 'string', format: 'string', nullable: true }),
      targetState: input('James\u2019s processor: root (the default) runs the content filter again; transport hands the mail straight to Postfix', { type: 'string', format: 'string', nullable: true }),
      repositoryPath,
      targetProcessor: result('The processing step the mails were sent back to', { type: 'string', format: 'string', nullable: true }),
      mailKey: result('The mail, when one was reprocessed', { type: 'string', format: 'string', nullable: true }),
      initialCount: count('How many mails were to be sent back'),
      remainingCount: count('How many are still in the repository'),
      successfullyReprocessMailCount: count('Mails Postfix took'),
      failedReprocessedMailCount: count('Mails Postfix did not take (they stay in the repository)'),
    },
    defaults: { mailIds: {}, targetQueue: null, targetState: null },
  },
  creatable: true,
  // James names two tasks (all mails, one mail); a kind has one name: the one-mail details are in mailKey.
  jamesType: 'reprocessingAllTask',
  jamesInfo: (r) => ({
    repositoryPath: r.repositoryPath ?? null, targetQueue: r.targetQueue ?? 'spool', targetProcessor: r.targetProcessor ?? r.targetState ?? 'root',
    initialCount: r.initialCount ?? null, remainingCount: r.remainingCount ?? null, ...(r.mailKey ? { mailKey: r.mailKey } : {}),
  }),
  check(ctx, v) {
    const bad = removalForbidden(ctx) ?? repositoryProblem(ctx.store, v);
    if (bad) return bad;
    if (v.targetQueue != null && !TARGET_QUEUES.includes(String(v.targetQueue))) {
      return invalid('targetQueue', `unknown queue ${JSON.stringify(v.targetQueue)}: Postfix takes mail back in one queue, spool`, v.targetQueue);
    }
    if (v.targetState != null && !TARGET_STATES.includes(String(v.targetState))) {
      return invalid('targetState', `unknown processing step ${JSON.stringify(v.targetState)}: give root (the content filter again) or transport (straight to Postfix)`, v.targetState);
    }
    const all = new Set(repositoryMailIds(ctx.store, String(v.repositoryId)));
    const foreign = Object.keys((v.mailIds as Record<string, unknown> | undefined) ?? {}).filter((id) => !all.has(id));
    if (foreign.length) return invalid('mailIds', `not mails of this repository: ${foreign.join(', ')}`, foreign);
    return null;
  },
  onRestart: 'fail', // a mail may have been handed over just before the stop: never twice
  run: reprocess,
};

export const REPOSITORY_KINDS: TaskKind[] = [clearMailRepositoryKind, reprocessRepositoryMailsKind];
