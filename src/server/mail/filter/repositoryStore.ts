// Mail repositories in the store: the three built-in repositories, writing a mail set aside
// (its record, its message as a blob, its repository's size, in one transaction), and
// removing one. Used by the content filter, the repository tasks and x:RepositoryMail's
// destroy. Mails are the server's own records: they are written here, never through /set.

import { randomBytes } from 'node:crypto';
import { utcDateTime } from '../../../shared/schema/validate';
import { BlobStore } from '../../store/blobs';
import type { Data, Store } from '../../store/records';
import { describeParsed, MAX_TEXT, parseMessage, type MessageDescription } from './dlpMatch';

export const REPOSITORY = 'x:MailRepository';
export const MAIL = 'x:RepositoryMail';
/**
 * The owner of the messages' blobs (store/blobs.ts): no account uploads them; a caller who
 * may read repository mails downloads them (http/blobs.ts, repositoryMailBlob) under their own account id.
 */
export const MAIL_BLOB_OWNER = MAIL;

export type BuiltInPurpose = 'error' | 'addressError' | 'quarantine';

export const BUILT_IN_REPOSITORIES: { path: string; purpose: BuiltInPurpose; description: string }[] = [
  { path: 'var/mail/error/', purpose: 'error', description: 'Mails the content filter could not process' },
  { path: 'var/mail/address-error/', purpose: 'addressError', description: 'Mails for local addresses that have no mailbox' },
  { path: 'var/mail/quarantine/', purpose: 'quarantine', description: 'Mails that matched a DLP rule of their sender\u2019s domain' },
];

export { MAX_TEXT };

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
function newId(): string {
  let s = '';
  for (const b of randomBytes(10)) s += ID_ALPHABET[b & 31];
  return s;
}

/** Creates the built-in repositories that do not exist yet (first start, or after an upgrade). */
export function ensureBuiltInRepositories(store: Store): void {
  const missing = BUILT_IN_REPOSITORIES.filter((r) => !store.findBy(REPOSITORY, 'path', r.path));
  if (missing.length === 0) return;
  store.transaction(() => {
    for (const r of missing) {
      store.insert(REPOSITORY, newId(), { path: r.path, protocol: 'file', purpose: r.purpose, description: r.description, builtIn: true, size: 0, createdAt: utcDateTime() }, []);
    }
  });
  store.flushChanges();
}

/** The id of the built-in repository with that purpose (created when missing). */
export function repositoryFor(store: Store, purpose: BuiltInPurpose): string {
  const path = BUILT_IN_REPOSITORIES.find((r) => r.purpose === purpose)!.path;
  let id = store.findBy(REPOSITORY, 'path', path);
  if (!id) {
    ensureBuiltInRepositories(store);
    id = store.findBy(REPOSITORY, 'path', path)!;
  }
  return id;
}

export interface ParkedMail {
  sender: string | null;
  recipients: string[];
  state: string;
  error: string;
  remoteHost: string | null;
  remoteAddr: string | null;
}

/** The header section of a message as received (up to the first empty line). */
export function headerSection(raw: Buffer): string {
  const text = raw.subarray(0, Math.min(raw.length, MAX_TEXT)).toString('utf8');
  const end = text.search(/\r?\n\r?\n/);
  return end < 0 ? text : text.slice(0, end);
}

/** Subject and text of a message, parsed by mailparser; a message it cannot parse keeps empty ones. */
export async function describeMessage(raw: Buffer): Promise<MessageDescription> {
  try {
    return describeParsed(await parseMessage(raw));
  } catch {
    return { subject: null, textBody: '' };
  }
}

const ipOrNull = (a: string | null) => (a && /^[0-9a-fA-F:.]+$/.test(a) ? a.replace(/^::ffff:/i, '') : null);

/**
 * Sets a mail aside in a repository: its record and its message, in one transaction. Returns
 * its id. `described`: its subject and text when the caller parsed it already (DLP).
 */
export async function parkMail(store: Store, repositoryId: string, mail: ParkedMail, raw: Buffer, described?: MessageDescription): Promise<string> {
  const { subject, textBody } = described ?? await describeMessage(raw);
  const id = newId();
  const blobs = new BlobStore(store.db);
  durably(store, () => store.transaction(() => {
    const repo = store.get(REPOSITORY, repositoryId);
    if (!repo) throw new Error(`mail repository ${repositoryId} no longer exists`);
    const blob = blobs.put(MAIL_BLOB_OWNER, 'message/rfc822', raw);
    blobs.keep(MAIL_BLOB_OWNER, blob.blobId);
    const data: Data = {
      repositoryId,
      sender: mail.sender || null,
      recipients: Object.fromEntries(mail.recipients.map((r) => [r.toLowerCase(), true])),
      state: mail.state,
      error: mail.error,
      remoteHost: mail.remoteHost,
      remoteAddr: ipOrNull(mail.remoteAddr),
      lastUpdated: utcDateTime(),
      subject,
      size: raw.length,
      headers: headerSection(raw),
      textBody,
      blobId: blob.blobId,
    };
    store.insert(MAIL, id, data, [{ objectName: REPOSITORY, id: repositoryId }]);
    store.update(REPOSITORY, repositoryId, { ...repo, size: Number(repo.size ?? 0) + 1 }, []);
  }));
  store.flushChanges();
  return id;
}

/**
 * Runs `write` with synchronous=FULL: the store runs NORMAL (WAL), whose last commits an
 * OS crash or power cut can undo, and a parked mail's commit is what the filter's 250 to
 * Postfix stands on (Postfix deletes its copy then).
 */
function durably<T>(store: Store, write: () => T): T {
  const before = store.db.pragma('synchronous', { simple: true }) as number;
  if (before >= 2) return write();
  store.db.pragma('synchronous = FULL');
  try {
    return write();
  } finally {
    store.db.pragma(`synchronous = ${before}`);
  }
}

/**
 * What a mail's removal takes with it, inside the caller's transaction: its message (the
 * blob) and one from its repository's size. The record itself is deleted by the caller.
 */
export function forgetRepositoryMail(store: Store, _id: string, prev: Data): void {
  if (typeof prev.blobId === 'string') store.db.prepare('DELETE FROM blobs WHERE id = ? AND account_id = ?').run(prev.blobId, MAIL_BLOB_OWNER);
  const repoId = String(prev.repositoryId);
  const repo = store.get(REPOSITORY, repoId);
  if (repo) store.update(REPOSITORY, repoId, { ...repo, size: Math.max(0, Number(repo.size ?? 0) - 1) }, []);
}

/** Removes a mail (server side: tasks). False when it was already gone. */
export function removeMail(store: Store, id: string): boolean {
  let gone = false;
  store.transaction(() => {
    const prev = store.get(MAIL, id);
    if (!prev) return;
    forgetRepositoryMail(store, id, prev);
    store.delete(MAIL, id);
    gone = true;
  });
  store.flushChanges();
  return gone;
}

/** The message of a mail as received, or null when it is gone. */
export function mailMessage(store: Store, mail: Data): Buffer | null {
  if (typeof mail.blobId !== 'string') return null;
  return new BlobStore(store.db).get(MAIL_BLOB_OWNER, mail.blobId)?.data ?? null;
}

/** Ids of a repository's mails, oldest first. */
export function repositoryMailIds(store: Store, repositoryId: string): string[] {
  return store.referrers(REPOSITORY, repositoryId).filter((r) => r.object === MAIL).map((r) => r.id).sort();
}

/** The recipients of a stored mail as a list. */
export const mailRecipients = (mail: Data): string[] => Object.keys((mail.recipients as Data | undefined) ?? {});

/**
 * A repository mail's message for the JMAP download URL (http/blobs.ts), in the caller's own
 * account's URL like any blob: only for a caller who may read repository mails.
 */
export function repositoryMailBlob(store: Store, caller: { permissions: Set<string> }, blobId: string) {
  if (!caller.permissions.has('sysRepositoryMailGet')) return null;
  return new BlobStore(store.db).get(MAIL_BLOB_OWNER, blobId);
}
