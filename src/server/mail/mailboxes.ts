// A user's real mailboxes in Postern's private Dovecot, through doveadm: the name rules of
// seed 002 (a full path with "." between levels, as Maildir++ names them), listing with
// message counts and sizes, creating with the parents, deleting with the children. The
// Dovecot user is the account's address (doveadm looks it up through the running IMAP
// service's userdb, i.e. Postern's bridge).

import { DoveadmError, doveadm, doveadmTable, type DoveadmOptions } from './doveadm';

/** Maildir++'s hierarchy separator, which is also the one seed 002 uses. */
export const SEPARATOR = '.';
export const INBOX = 'INBOX';
/**
 * Longest full path accepted. Maildir++ keeps the whole path as one directory name, "."
 * followed by the path in modified UTF-7 (RFC 3501 5.1.3), and a directory name has at
 * most 255 bytes: so at most 254 characters, fewer when some are beyond ASCII.
 */
export const MAX_NAME_LENGTH = 254;

/** Bytes of the name in modified UTF-7, as Maildir++ writes it on disk. */
export function storedNameLength(name: string): number {
  let bytes = 0;
  let run = 0; // UTF-16 code units of the current run beyond printable ASCII
  const flush = () => {
    if (run) bytes += 2 + Math.ceil((run * 16) / 6);
    run = 0;
  };
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e) {
      flush();
      bytes += c === 0x26 ? 2 : 1;
    } else run++;
  }
  flush();
  return bytes;
}

/** Why a mailbox path cannot be created, or null: seed 002's rules plus what Maildir++ refuses. */
export function mailboxNameProblem(name: string): string | null {
  if (name.length === 0) return 'A mailbox name cannot be empty';
  if (name.length > MAX_NAME_LENGTH) return `A mailbox name has at most ${MAX_NAME_LENGTH} characters, not ${name.length}`;
  const bad = [...new Set(name.match(/[#&%*]/g) ?? [])];
  if (bad.length) return `A mailbox name cannot contain ${bad.map((c) => JSON.stringify(c)).join(', ')} (# & % * are not allowed)`;
  if (name.includes('/')) return 'A mailbox name cannot contain "/": levels are separated by "." (INBOX.work)';
  if ([...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return 'A mailbox name cannot contain control characters';
  if (name.startsWith(SEPARATOR) || name.endsWith(SEPARATOR)) return 'A mailbox name cannot start or end with ".": "." separates levels (INBOX.work)';
  if (name.includes(SEPARATOR + SEPARATOR)) return 'A mailbox name cannot contain an empty level (".." in it)';
  if (name.split(SEPARATOR).some((s) => s.trim() !== s)) return 'A level of a mailbox name cannot start or end with a space';
  const stored = storedNameLength(name);
  if (stored > MAX_NAME_LENGTH) return `A mailbox name takes at most ${MAX_NAME_LENGTH} bytes in the mail store, where characters beyond ASCII take several; this one takes ${stored}`;
  return null;
}

/** The name as Dovecot knows it: INBOX is written in capitals whatever the case it was given in. */
export function normalizeMailboxName(name: string): string {
  const [first, ...rest] = name.split(SEPARATOR);
  return first.toUpperCase() === INBOX ? [INBOX, ...rest].join(SEPARATOR) : name;
}

export const isInbox = (name: string) => name.toUpperCase() === INBOX;

/** The ancestors of a path, outermost first: "a.b.c" → ["a", "a.b"]. */
export function parentNames(name: string): string[] {
  const parts = name.split(SEPARATOR);
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join(SEPARATOR));
}

/** Whether `name` is `ancestor` or lies under it. */
export const isWithin = (name: string, ancestor: string) => name === ancestor || name.startsWith(ancestor + SEPARATOR);

export interface MailboxStatus {
  name: string;
  totalEmails: number;
  unreadEmails: number;
  /** Bytes: the sum of the messages' sizes as IMAP reports them. */
  size: number;
}

const count = (v: string | undefined) => {
  const n = Number(v);
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
};

const STATUS_ITEMS = 'messages unseen vsize';

/**
 * Every selectable mailbox of the user, with its counts, INBOX always among them (one
 * doveadm call; two while the user's Maildir is not made yet). Every user has an INBOX,
 * but `status '*'` skips it until its directories exist: Dovecot makes them when INBOX is
 * first opened or mail arrives, not at a login that only LISTs. Asked for by its exact
 * name, INBOX is opened, so made, and answers its (zero) counts.
 */
export async function listMailboxes(dataDir: string, user: string, opts?: DoveadmOptions): Promise<MailboxStatus[]> {
  const status = async (mask: string) =>
    (await doveadmTable(dataDir, ['mailbox', 'status', '-u', user, STATUS_ITEMS, mask], opts))
      .filter((r) => typeof r.mailbox === 'string' && r.mailbox !== '')
      .map((r) => ({ name: r.mailbox, totalEmails: count(r.messages), unreadEmails: count(r.unseen), size: count(r.vsize) }));
  const all = await status('*');
  if (all.some((m) => m.name === INBOX)) return all;
  const inbox = (await status(INBOX)).filter((m) => m.name === INBOX);
  return [...inbox, ...all];
}

/** doveadm exits 65 (EX_DATAERR) when the mailbox already exists, 68 when it does not. */
const EXISTS = /already exists/i;
const MISSING = /doesn't exist|does not exist|not found/i;

/**
 * Creates the mailbox and every missing parent, outermost first, subscribed. A mailbox
 * that exists already is fine (the path now exists, which is what was asked).
 */
export async function createMailbox(dataDir: string, user: string, name: string, existing: ReadonlySet<string>, opts?: DoveadmOptions): Promise<void> {
  for (const n of [...parentNames(name), name]) {
    if (existing.has(n)) continue;
    try {
      // "--": a name may start with "-" and must never be read as an option.
      await doveadm(dataDir, ['mailbox', 'create', '-s', '-u', user, '--', n], opts);
    } catch (e) {
      if (!(e instanceof DoveadmError && EXISTS.test(e.message))) throw e;
    }
  }
}

/**
 * Deletes the mailbox with everything under it, deepest first; one that is already gone is
 * fine. The children are found here, by exact name, not with doveadm's -r: that lists them
 * with the pattern `<name>.*`, where a "%" or "*" in a name made over IMAP (Dovecot allows
 * them there) matches the mailboxes of other parents too.
 */
export async function deleteMailbox(dataDir: string, user: string, name: string, opts?: DoveadmOptions): Promise<void> {
  const under = (await listMailboxes(dataDir, user, opts)).map((m) => m.name).filter((n) => n !== name && isWithin(n, name));
  under.sort((a, b) => b.split(SEPARATOR).length - a.split(SEPARATOR).length);
  for (const n of [...under, name]) {
    try {
      await doveadm(dataDir, ['mailbox', 'delete', '-s', '-u', user, '--', n], opts);
    } catch (e) {
      if (!(e instanceof DoveadmError && MISSING.test(e.message) && !/INBOX can't/i.test(e.message))) throw e;
    }
  }
}

/** Whether a doveadm refusal is about the name itself (bad input) rather than the service. */
export function isNameRefusal(e: unknown): boolean {
  return e instanceof DoveadmError && /invalid mailbox name|name must not|too long/i.test(e.message);
}
