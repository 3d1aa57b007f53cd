// The doveadm side of re-indexing (tasks/reindex.ts runs it as tasks): a user's mailboxes
// with their counts, dropping an index, rebuilding it with a progress counter, and
// finding mails by uid or Message-ID. Everything goes to the private Dovecot (doveadm.ts).
//
// What "re-index" means with fts-xapian: the backend keeps one Xapian database per
// mailbox, <home>/xapian-indexes/db_<mailbox GUID>, and knows which mails it holds from
// that database alone. `doveadm fts rescan` removes all of a user's databases;
// removing one mailbox's database does the same for that mailbox. `doveadm index` then
// reads every mail of the mailbox again (and refreshes Dovecot's cache), printing
// `\rN/M` every 100 mails, and fts-xapian (verbose=1, set for that run only) logs every
// mail it adds; on a mailbox whose index is complete it only checks and returns.
// Dovecot has no command that rebuilds the entry of one mail: re-indexing one mail
// makes sure its mailbox's index is complete (a mail's entry never changes, as mails
// are immutable); rebuild the whole mailbox to replace a damaged index.

import fs from 'node:fs';
import path from 'node:path';
import { xapianIndexDir, xapianSetting } from '../services/dovecotFts';
import { DoveadmError, doveadm, doveadmTable } from './doveadm';

export interface MailboxInfo {
  name: string;
  guid: string;
  messages: number;
}

export interface IndexOutcome {
  indexed: number;
  failed: number;
  /** Why the rest failed, when some did. */
  error: string | null;
}

/** A long mailbox may take a while: a minute, plus this much per mail. */
const PER_MAIL_MS = 50;

const count = (v: string | undefined) => {
  const n = Number(v);
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
};

/** Dovecot says it does not know the user (exit 67, EX_NOUSER). */
export const unknownUser = (e: unknown) => e instanceof DoveadmError && e.exitCode === 67;
/** Dovecot says the mailbox does not exist (exit 68, EX_NOHOST: "Mailbox doesn't exist"). */
export const unknownMailbox = (e: unknown) => e instanceof DoveadmError && e.exitCode === 68;

/** Every mailbox of the user with its message count and GUID (one doveadm call). */
export async function mailboxesOf(dataDir: string, user: string, signal?: AbortSignal): Promise<MailboxInfo[]> {
  const rows = await doveadmTable(dataDir, ['mailbox', 'status', '-u', user, 'messages guid', '*'], { signal });
  return rows.filter((r) => r.guid).map((r) => ({ name: r.mailbox, guid: r.guid, messages: count(r.messages) }));
}

/** One mailbox (its exact name), or null when the user has none of that name. */
export async function mailboxOf(dataDir: string, user: string, name: string, signal?: AbortSignal): Promise<MailboxInfo | null> {
  try {
    const [row] = await doveadmTable(dataDir, ['mailbox', 'status', '-u', user, 'messages guid', name], { signal });
    return row?.guid ? { name: row.mailbox, guid: row.guid, messages: count(row.messages) } : null;
  } catch (e) {
    if (unknownMailbox(e)) return null;
    throw e;
  }
}

/** The user's home as the userdb answers it. */
export async function homeOf(dataDir: string, user: string, signal?: AbortSignal): Promise<string> {
  const home = (await doveadm(dataDir, ['user', '-f', 'home', user], { signal })).stdout.trim();
  if (!path.isAbsolute(home)) throw new Error(`Dovecot gives ${user} no usable home (${JSON.stringify(home)})`);
  return home;
}

/** Empties the whole full-text index of the user (every mailbox). */
export async function dropUserIndex(dataDir: string, user: string, signal?: AbortSignal): Promise<void> {
  await doveadm(dataDir, ['fts', 'rescan', '-u', user], { signal });
}

/** Empties one mailbox's full-text index. */
export function dropMailboxIndex(home: string, guid: string): void {
  if (!/^[0-9a-f]{32}$/.test(guid)) throw new Error(`Not a mailbox GUID: ${JSON.stringify(guid)}`);
  fs.rmSync(path.join(xapianIndexDir(home), `db_${guid}`), { recursive: true, force: true });
}

/**
 * `doveadm -v index` on one mailbox: indexes what its index lacks, reporting the number
 * of mails done as doveadm counts them. Mails of a run that failed count as failed from
 * where it stopped. Throws only when cancelled (signal) or when the service or the
 * user is not there: those stop the whole task.
 */
export async function indexMailbox(
  dataDir: string,
  user: string,
  box: MailboxInfo,
  /** fromEmpty: the mailbox's index was just emptied, so fts-xapian's document count is the progress. */
  opts: { signal?: AbortSignal; onProcessed?: (done: number) => void; fromEmpty?: boolean } = {},
): Promise<IndexOutcome> {
  let done = 0;
  let total = box.messages;
  const moved = (n: number) => {
    if (n <= done) return;
    done = n;
    opts.onProcessed?.(done);
  };
  // doveadm's own counter (every 100 mails, on stdout) …
  let out = '';
  const onOutput = (chunk: string) => {
    out = (out + chunk).slice(-200);
    const last = [...out.matchAll(/(\d+)\/(\d+)/g)].at(-1);
    if (!last) return;
    total = Math.max(total, count(last[2]));
    moved(count(last[1]));
  };
  // … and, finer, fts-xapian's log of every mail it adds (verbose=1, on stderr): "with N docs
  // in the index" counts the mails in this mailbox's index, which was emptied before the run.
  let log = '';
  const onLog = opts.fromEmpty ? (chunk: string) => {
    log = (log + chunk).slice(-400);
    const last = [...log.matchAll(/with (\d+) docs in the index/g)].at(-1);
    if (last) moved(count(last[1]));
  } : undefined;
  const verbose = opts.fromEmpty ? ['-o', `plugin/fts_xapian=${xapianSetting(true)}`] : [];
  try {
    await doveadm(dataDir, ['-v', ...verbose, 'index', '-u', user, box.name], {
      signal: opts.signal,
      timeoutMs: 60_000 + box.messages * PER_MAIL_MS,
      onOutput,
      onLog,
    });
    opts.onProcessed?.(total);
    return { indexed: total, failed: 0, error: null };
  } catch (e) {
    if (opts.signal?.aborted || unknownUser(e) || !(e instanceof DoveadmError) || e.exitCode === null) throw e;
    return { indexed: done, failed: Math.max(0, total - done), error: e.message };
  }
}

/** Whether the mailbox holds a mail with this uid. */
export async function hasUid(dataDir: string, user: string, mailbox: string, uid: number, signal?: AbortSignal): Promise<boolean> {
  const rows = await doveadmTable(dataDir, ['fetch', '-u', user, 'uid', 'mailbox', mailbox, 'uid', String(uid)], { signal });
  return rows.some((r) => r.uid === String(uid));
}

/** `<id@host>` whether or not it was given with its angle brackets. */
export function messageIdHeader(messageId: string): string {
  const id = messageId.trim();
  return id.startsWith('<') && id.endsWith('>') ? id : `<${id}>`;
}

/**
 * The user's mails whose Message-ID header is exactly this one, by mailbox name. The
 * header search goes through the full-text index (n-grams, so it may match more); the
 * fetched header decides.
 */
export async function findMessageId(dataDir: string, user: string, messageId: string, signal?: AbortSignal): Promise<Map<string, number[]>> {
  const wanted = messageIdHeader(messageId);
  const rows = await doveadmTable(dataDir, ['fetch', '-u', user, 'mailbox uid hdr.message-id', 'header', 'message-id', wanted], { signal });
  const out = new Map<string, number[]>();
  for (const r of rows) {
    if (r['hdr.message-id'].trim() !== wanted) continue;
    out.set(r.mailbox, [...(out.get(r.mailbox) ?? []), count(r.uid)]);
  }
  return out;
}
