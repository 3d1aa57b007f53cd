// Re-indexing (seed 002's /mailboxIndex tasks) through Dovecot's full-text search: every
// user, one user, one mailbox, one mail by uid, one mail by Message-ID. The doveadm side
// and what "re-index" means with fts-xapian are in mail/reindexing.ts.
//
// The users are Postern's accounts that have an address (the Dovecot user name); Dovecot
// cannot list them itself (its userdb asks Postern one name at a time). Work goes mailbox
// by mailbox, so a cancel stops at the next mailbox boundary, or at once by stopping the
// running doveadm (that mailbox is then partly indexed, as James warns; the next search
// there indexes the rest). Progress counts mails: initialCount is what the mailboxes held
// when the task started, moved every time doveadm's counter moves (every 100 mails).
// James's result names are the serverSet fields (successfullyReprocessMailCount,
// failedReprocessedMailCount). A task where some mails failed ends Failed, its counts kept.
// A task cut short by a server stop runs again from the start (onRestart 'resume'):
// indexing again what was indexed changes nothing.

import type { FieldsEntry } from '../../shared/schema/types';
import { DoveadmError } from '../mail/doveadm';
import {
  dropMailboxIndex, dropUserIndex, findMessageId, hasUid, homeOf, indexMailbox, mailboxesOf, mailboxOf, unknownUser, type MailboxInfo,
} from '../mail/reindexing';
import { TaskCancelled, type TaskKind, type TaskRun } from './kind';
import { accountProblem, mailboxProblem, MAX_MESSAGE_ID, MAX_UID, messageIdProblem, uidProblem } from './reindexChecks';

type Obj = Record<string, unknown>;
type Prop = FieldsEntry['properties'][string];

const result = (description: string): Prop => ({ description, type: { type: 'number', format: 'unsignedInteger', nullable: true }, update: 'serverSet' });
const COUNTS: FieldsEntry['properties'] = {
  successfullyReprocessMailCount: result('Mails indexed (James\u2019s name)'),
  failedReprocessedMailCount: result('Mails that could not be indexed (James\u2019s name)'),
};
const accountId: Prop = { description: 'The account whose mail is re-indexed', type: { type: 'objectId', objectName: 'x:Account' }, update: 'immutable' };
const mailboxName: Prop = {
  description: 'The mailbox, by its full name with "." between levels (INBOX.work)',
  type: { type: 'string', format: 'text', maxLength: 255 },
  update: 'immutable',
};
const mailboxPath: Prop = {
  description: 'The mailbox as James names it: #private:<user>:<mailbox>',
  type: { type: 'string', format: 'text', nullable: true },
  update: 'serverSet',
};

// ---- the work -----------------------------------------------------------------------

/** Counts of one task, reported as progress and as its result fields. */
class Tally {
  initial = 0;
  ok = 0;
  failed = 0;
  /** Mails of the mailbox in progress done so far (moves with doveadm's counter). */
  current = 0;
  constructor(private readonly t: TaskRun) {}

  report() {
    const processed = this.ok + this.failed + this.current;
    this.t.progress({ initialCount: this.initial, processedCount: processed, failedCount: this.failed, remainingCount: Math.max(0, this.initial - processed) });
  }

  results(extra: Obj = {}) {
    this.t.info({ successfullyReprocessMailCount: this.ok, failedReprocessedMailCount: this.failed, ...extra });
  }

  /** Ends the task: cancelled, failed (some mails failed), or completed. */
  finish(extra: Obj = {}) {
    this.current = 0;
    this.report();
    this.results(extra);
    if (this.t.signal.aborted) throw new TaskCancelled('Cancelled');
    if (this.failed > 0) throw new Error(`${this.failed} of ${this.ok + this.failed} mails could not be indexed`);
  }
}

const stopIfCancelled = (t: TaskRun, tally: Tally, extra?: Obj) => {
  if (t.signal.aborted) tally.finish(extra);
};

/** The Dovecot user of an account, or a failure that says why there is none. */
function userOf(t: TaskRun, id: unknown): string {
  const account = t.store.get('x:Account', String(id));
  if (!account) throw new Error(`Account ${String(id)} no longer exists`);
  if (typeof account.emailAddress !== 'string') throw new Error(`Account "${String(account.name)}" has no address, so no mail`);
  return account.emailAddress;
}

/** Re-indexes these mailboxes of one user, one after the other; the caller emptied their index. */
async function indexAll(t: TaskRun, tally: Tally, user: string, boxes: MailboxInfo[], extra?: Obj) {
  for (const box of boxes) {
    stopIfCancelled(t, tally, extra);
    tally.current = 0;
    let outcome;
    try {
      outcome = await indexMailbox(t.dataDir, user, box, {
        signal: t.signal,
        fromEmpty: true,
        onProcessed: (n) => {
          tally.current = n;
          tally.report();
        },
      });
    } catch (e) {
      if (t.signal.aborted) tally.finish(extra);
      throw e;
    }
    tally.current = 0;
    tally.ok += outcome.indexed;
    tally.failed += outcome.failed;
    if (outcome.error) t.log(`Re-indexing ${box.name} of ${user}: ${outcome.error}`);
    tally.report();
    tally.results(extra);
  }
}

async function reindexUser(t: TaskRun, tally: Tally, user: string, boxes: MailboxInfo[], extra?: Obj) {
  await dropUserIndex(t.dataDir, user, t.signal);
  await indexAll(t, tally, user, boxes, extra);
}

const jamesPath = (user: string, mailbox: string) => `#private:${user}:${mailbox}`;

/** James's additionalInformation: the counts as numbers (0 before the task ran), and these fields. */
const jamesCounts = (rec: Obj, ...names: string[]): Obj => ({
  ...Object.fromEntries(names.map((n) => [n, rec[n] ?? null])),
  successfullyReprocessMailCount: rec.successfullyReprocessMailCount ?? 0,
  failedReprocessedMailCount: rec.failedReprocessedMailCount ?? 0,
});

async function requireMailbox(t: TaskRun, user: string, name: string): Promise<MailboxInfo> {
  const box = await mailboxOf(t.dataDir, user, name, t.signal);
  if (!box) throw new Error(`${user} has no mailbox named ${JSON.stringify(name)}`);
  return box;
}

/** Failures that stop the whole task say which user they hit. */
function about(user: string, e: unknown): Error {
  if (unknownUser(e)) return new Error(`Dovecot does not know ${user} (is its domain disabled?)`);
  return e instanceof DoveadmError ? new Error(`${user}: ${e.message}`) : (e as Error);
}

// ---- the kinds ----------------------------------------------------------------------

const fullReIndexing: TaskKind = {
  variant: 'FullReIndexing',
  label: 'Re-index all mail',
  jamesType: 'FullReIndexing',
  jamesInfo: (rec) => jamesCounts(rec),
  fields: { properties: { ...COUNTS } },
  creatable: true,
  onRestart: 'resume',
  async run(t) {
    const tally = new Tally(t);
    const users: string[] = [];
    for (const [, a] of t.store.findWhere('x:Account', `json_extract(data, '$."emailAddress"') IS NOT NULL`)) users.push(String(a.emailAddress));
    users.sort();
    const plan: [string, MailboxInfo[]][] = [];
    for (const user of users) {
      stopIfCancelled(t, tally);
      try {
        const boxes = await mailboxesOf(t.dataDir, user, t.signal);
        plan.push([user, boxes]);
        tally.initial += boxes.reduce((n, b) => n + b.messages, 0);
      } catch (e) {
        if (t.signal.aborted) tally.finish();
        // An account Dovecot does not serve (disabled domain) has no mail to index.
        if (!unknownUser(e)) throw about(user, e);
        t.log(`Re-indexing: ${user} skipped, Dovecot does not know it`);
      }
    }
    tally.report();
    for (const [user, boxes] of plan) {
      const before = tally.ok + tally.failed;
      try {
        await reindexUser(t, tally, user, boxes);
      } catch (e) {
        if (e instanceof TaskCancelled) throw e;
        if (!unknownUser(e)) throw about(user, e);
        // Removed while the task ran: what it had left counts as failed.
        t.log(`Re-indexing: ${user} went away during the task`);
        tally.current = 0;
        tally.failed += Math.max(0, boxes.reduce((n, b) => n + b.messages, 0) - (tally.ok + tally.failed - before));
      }
    }
    tally.finish();
  },
};

const reIndexUser: TaskKind = {
  variant: 'ReIndexUser',
  label: 'Re-index one user\u2019s mail',
  jamesType: 'userReIndexing',
  jamesInfo: (rec) => jamesCounts(rec, 'user'),
  fields: { properties: { accountId, user: { ...mailboxPath, description: 'The user (address) re-indexed' }, ...COUNTS } },
  creatable: true,
  check: (ctx, v) => accountProblem(ctx, v.accountId),
  onRestart: 'resume',
  async run(t) {
    const user = userOf(t, t.input.accountId);
    const tally = new Tally(t);
    tally.results({ user });
    try {
      const boxes = await mailboxesOf(t.dataDir, user, t.signal);
      tally.initial = boxes.reduce((n, b) => n + b.messages, 0);
      tally.report();
      await reindexUser(t, tally, user, boxes, { user });
    } catch (e) {
      if (e instanceof TaskCancelled || t.signal.aborted) tally.finish({ user });
      throw about(user, e);
    }
    tally.finish({ user });
  },
};

const reIndexMailbox: TaskKind = {
  variant: 'ReIndexMailbox',
  label: 'Re-index one mailbox',
  jamesType: 'mailboxReIndexing',
  jamesInfo: (rec) => jamesCounts(rec, 'mailboxPath'),
  fields: { properties: { accountId, mailboxName, mailboxPath, ...COUNTS } },
  creatable: true,
  check: (ctx, v) => accountProblem(ctx, v.accountId) ?? mailboxProblem(ctx, v),
  onRestart: 'resume',
  async run(t) {
    const user = userOf(t, t.input.accountId);
    const name = String(t.input.mailboxName);
    const extra = { mailboxPath: jamesPath(user, name) };
    const tally = new Tally(t);
    tally.results(extra);
    try {
      const box = await requireMailbox(t, user, name);
      tally.initial = box.messages;
      tally.report();
      dropMailboxIndex(await homeOf(t.dataDir, user, t.signal), box.guid);
      await indexAll(t, tally, user, [box], extra);
    } catch (e) {
      if (e instanceof TaskCancelled || t.signal.aborted) tally.finish(extra);
      throw about(user, e);
    }
    tally.finish(extra);
  },
};

const reIndexMessage: TaskKind = {
  variant: 'ReIndexMessage',
  label: 'Re-index one mail',
  jamesType: 'messageReIndexing',
  jamesInfo: (rec) => ({ mailboxPath: rec.mailboxPath ?? null, uid: rec.uid }),
  fields: {
    properties: {
      accountId,
      mailboxName,
      uid: { description: 'The mail\u2019s IMAP uid in that mailbox', type: { type: 'number', format: 'unsignedInteger', min: 1, max: MAX_UID }, update: 'immutable' },
      mailboxPath,
      ...COUNTS,
    },
  },
  creatable: true,
  check: (ctx, v) => accountProblem(ctx, v.accountId) ?? mailboxProblem(ctx, v) ?? uidProblem(v),
  onRestart: 'resume',
  async run(t) {
    const user = userOf(t, t.input.accountId);
    const name = String(t.input.mailboxName);
    const uid = Number(t.input.uid);
    const extra = { mailboxPath: jamesPath(user, name) };
    const tally = new Tally(t);
    tally.initial = 1;
    tally.report();
    tally.results(extra);
    try {
      const box = await requireMailbox(t, user, name);
      if (!(await hasUid(t.dataDir, user, name, uid, t.signal))) throw new Error(`${name} of ${user} has no mail with uid ${uid}`);
      const outcome = await indexMailbox(t.dataDir, user, box, { signal: t.signal });
      if (outcome.error) {
        t.log(`Re-indexing uid ${uid} of ${name} of ${user}: ${outcome.error}`);
        tally.failed = 1;
      } else tally.ok = 1;
    } catch (e) {
      if (t.signal.aborted) tally.finish(extra);
      throw about(user, e);
    }
    tally.finish(extra);
  },
};

const reIndexMessageId: TaskKind = {
  variant: 'ReIndexMessageId',
  label: 'Re-index one mail by Message-ID',
  jamesType: 'MessageIdReIndexingTask',
  jamesInfo: (rec) => ({ messageId: rec.messageId }),
  fields: {
    properties: {
      messageId: {
        description: 'The mail\u2019s Message-ID header (<local@domain>; the angle brackets are optional): every copy, in every mailbox of every user, is re-indexed',
        type: { type: 'string', format: 'text', maxLength: MAX_MESSAGE_ID },
        update: 'immutable',
      },
      ...COUNTS,
    },
  },
  creatable: true,
  check: (_ctx, v) => {
    const bad = messageIdProblem(v.messageId);
    return bad ? { type: 'invalidProperties', description: bad, properties: ['messageId'] } : null;
  },
  onRestart: 'resume',
  async run(t) {
    const messageId = String(t.input.messageId);
    const tally = new Tally(t);
    const users: string[] = [];
    for (const [, a] of t.store.findWhere('x:Account', `json_extract(data, '$."emailAddress"') IS NOT NULL`)) users.push(String(a.emailAddress));
    const found: [string, MailboxInfo, number][] = [];
    for (const user of users.sort()) {
      stopIfCancelled(t, tally);
      try {
        for (const [name, uids] of await findMessageId(t.dataDir, user, messageId, t.signal)) {
          const box = await mailboxOf(t.dataDir, user, name, t.signal);
          if (box) found.push([user, box, uids.length]);
        }
      } catch (e) {
        if (t.signal.aborted) tally.finish();
        if (!unknownUser(e)) throw about(user, e);
      }
    }
    if (found.length === 0) throw new Error(`No mail has the Message-ID ${messageId} in any mailbox`);
    tally.initial = found.reduce((n, [, , k]) => n + k, 0);
    tally.report();
    for (const [user, box, k] of found) {
      stopIfCancelled(t, tally);
      try {
        const outcome = await indexMailbox(t.dataDir, user, box, { signal: t.signal });
        if (outcome.error) tally.failed += k;
        else tally.ok += k;
      } catch (e) {
        if (t.signal.aborted) tally.finish();
        throw about(user, e);
      }
      tally.report();
    }
    tally.finish();
  },
};

export const REINDEX_KINDS: TaskKind[] = [fullReIndexing, reIndexUser, reIndexMailbox, reIndexMessage, reIndexMessageId];
