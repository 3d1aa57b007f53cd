// The x:AccountMailbox records mirror each account's real Dovecot mailboxes. Before a call
// reads them (refresh) the accounts it names are listed with doveadm and the store is made
// to match in one transaction: new mailboxes get a record, vanished ones lose theirs, counts
// are brought up to date. After a /set committed (apply) its creations and deletions are
// carried out with doveadm; one Dovecot refuses is undone in the store and answered as a
// SetError. The records carry no store references to their account, so they never keep an
// account from being deleted; a deleted account's records are dropped at its next refresh.

import path from 'node:path';
import type { SetError } from '../../shared/jmap/errors';
import { MethodError } from '../jmap/errors';
import { newId } from '../jmap/set';
import type { AppliedWrites, ApplyFailures, HookMethod, Rec, WriteContext } from '../objects/define';
import type { Store } from '../store/records';
import { DoveadmError } from './doveadm';
import { createMailbox, deleteMailbox, isNameRefusal, listMailboxes, type MailboxStatus } from './mailboxes';
import { statement } from '../store/statements';

export const MAILBOX = 'x:AccountMailbox';
/** One doveadm listing may take this long before the call gives up. */
export const REFRESH_TIMEOUT_MS = 10_000;
/** Accounts one call may refresh: each is a doveadm run. */
export const MAX_ACCOUNTS_PER_CALL = 25;

type Obj = Record<string, unknown>;

/** DATA_DIR: the directory of the store's database file. */
export const dataDirOf = (store: Store) => path.dirname(store.db.name);

/** The Dovecot user of an account (its address), or null when it has no mailbox. */
export function mailUserOf(store: Store, accountId: string): string | null {
  const account = store.get('x:Account', accountId);
  return account && typeof account.emailAddress === 'string' ? account.emailAddress : null;
}

/** The mirror records of one account, by name. */
export function recordsOf(store: Store, accountId: string): Map<string, Rec> {
  const stmt = statement(store, `SELECT id, data FROM records WHERE type = '${MAILBOX}' AND json_extract(data, '$."accountId"') = ?`);
  const out = new Map<string, Rec>();
  for (const row of stmt.all(accountId) as { id: string; data: string }[]) {
    const data = JSON.parse(row.data) as Obj;
    out.set(String(data.name), { ...data, id: row.id });
  }
  return out;
}

const unavailable = (user: string, e: unknown) =>
  new MethodError('serverUnavailable', `The mailboxes of ${user} cannot be read from Dovecot: ${e instanceof Error ? e.message : String(e)}`);

/**
 * Makes the store match Dovecot for one account. `rewrite`: records written again even
 * when unchanged (just created by a /set, whose store references to the account go).
 * `ids`: the id a mailbox found without a record takes (a /set's created id, whose record
 * a refresh running meanwhile dropped because Dovecot did not have the mailbox yet).
 */
export async function refreshAccount(store: Store, accountId: string, rewrite: ReadonlySet<string> = new Set(), ids: ReadonlyMap<string, string> = new Map()): Promise<void> {
  const user = mailUserOf(store, accountId);
  let listed: MailboxStatus[] = [];
  if (user) {
    try {
      listed = await listMailboxes(dataDirOf(store), user, { timeoutMs: REFRESH_TIMEOUT_MS });
    } catch (e) {
      throw unavailable(user, e);
    }
  }
  store.transaction(() => {
    const current = recordsOf(store, accountId);
    for (const m of listed) {
      const counts = { totalEmails: m.totalEmails, unreadEmails: m.unreadEmails, size: m.size };
      const rec = current.get(m.name);
      current.delete(m.name);
      if (!rec) {
        const id = ids.get(m.name);
        store.insert(MAILBOX, id !== undefined && !store.get(MAILBOX, id) ? id : newId(), { accountId, name: m.name, ...counts }, []);
      } else if (rewrite.has(rec.id) || Object.entries(counts).some(([k, v]) => rec[k] !== v)) {
        const { id, ...data } = rec;
        store.update(MAILBOX, id, { ...data, ...counts }, []);
      }
    }
    for (const gone of current.values()) store.delete(MAILBOX, gone.id);
  });
  store.flushChanges();
}

/** Every distinct account id among these values, in order. */
const distinct = (ids: unknown[]) => [...new Set(ids.filter((v): v is string => typeof v === 'string'))];

/** The accounts a call reads or writes, whose mailboxes are refreshed first. */
export function accountsOfCall(store: Store, method: HookMethod, args: Obj): string[] {
  const ofRecords = (ids: unknown[]) => distinct(ids.map((id) => (typeof id === 'string' ? store.get(MAILBOX, id)?.accountId : undefined)));
  switch (method) {
    case 'query':
    case 'queryChanges': {
      const filter = args.filter as Obj | null | undefined;
      const account = filter && typeof filter === 'object' ? filter.accountId : undefined;
      if (typeof account !== 'string') {
        throw new MethodError('unsupportedFilter', `${MAILBOX}/${method} needs a filter on accountId: mailboxes are read from Dovecot one account at a time`);
      }
      return [account];
    }
    case 'get': {
      if (Array.isArray(args.ids)) return ofRecords(args.ids);
      if (args.ids === null || args.ids === undefined) return store.distinctValues(MAILBOX, 'accountId').filter((v): v is string => typeof v === 'string');
      return [];
    }
    case 'set': {
      const created = args.create && typeof args.create === 'object' ? Object.values(args.create as Obj) : [];
      const fromCreate = created.map((v) => (v && typeof v === 'object' ? (v as Obj).accountId : undefined));
      return distinct([...fromCreate, ...ofRecords(Array.isArray(args.destroy) ? args.destroy : [])]);
    }
    default:
      return [];
  }
}

/** The refresh hook: the accounts of the call, a few at a time. */
export async function refreshMailboxes(ctx: WriteContext, method: HookMethod, args: Obj): Promise<void> {
  const named = accountsOfCall(ctx.store, method, args);
  const accounts = named.filter((id) => ctx.store.get('x:Account', id));
  if (accounts.length > MAX_ACCOUNTS_PER_CALL) {
    throw new MethodError('requestTooLarge', `${MAILBOX}/${method} would read the mailboxes of ${accounts.length} accounts from Dovecot; at most ${MAX_ACCOUNTS_PER_CALL} in one call (query one account's with a filter on accountId)`);
  }
  // The mirror of an account that is gone is dropped.
  for (const id of named) if (!accounts.includes(id)) await refreshAccount(ctx.store, id);
  for (let i = 0; i < accounts.length; i += 4) await Promise.all(accounts.slice(i, i + 4).map((id) => refreshAccount(ctx.store, id)));
}

const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));

function createFailure(e: unknown): SetError {
  if (isNameRefusal(e)) return { type: 'invalidProperties', properties: ['name'], description: `Dovecot refuses this name: ${reason(e)}` };
  return { type: 'serverFail', description: `The mailbox could not be created in Dovecot: ${reason(e)}` };
}

/** The apply hook: deletions first (with their children), then creations (with their parents). */
export async function applyMailboxWrites(ctx: WriteContext, done: AppliedWrites): Promise<ApplyFailures> {
  const store = ctx.store;
  const dataDir = dataDirOf(store);
  const failures: Required<ApplyFailures> = { created: {}, updated: {}, destroyed: {} };
  const touched = new Set<string>();
  const opts = { timeoutMs: REFRESH_TIMEOUT_MS };
  for (const [id, prev] of done.destroyed) {
    const accountId = String(prev.accountId);
    const user = mailUserOf(store, accountId);
    try {
      if (user) await deleteMailbox(dataDir, user, String(prev.name), opts);
      touched.add(accountId);
    } catch (e) {
      const { id: _, ...data } = prev;
      store.transaction(() => store.insert(MAILBOX, id, data, []));
      failures.destroyed[id] = { type: 'serverFail', description: `The mailbox could not be deleted in Dovecot: ${reason(e)}` };
    }
  }
  const created = new Set<string>();
  const createdIds = new Map<string, Map<string, string>>(); // account → name → id
  for (const [id, rec] of done.created) {
    const accountId = String(rec.accountId);
    const user = mailUserOf(store, accountId);
    try {
      if (!user) throw new DoveadmError('the account has no address, so no mailbox', null);
      const existing = new Set(recordsOf(store, accountId).keys());
      existing.delete(String(rec.name));
      await createMailbox(dataDir, user, String(rec.name), existing, opts);
      touched.add(accountId);
      created.add(id);
      if (!createdIds.has(accountId)) createdIds.set(accountId, new Map());
      createdIds.get(accountId)!.set(String(rec.name), id);
    } catch (e) {
      store.transaction(() => store.get(MAILBOX, id) && store.delete(MAILBOX, id));
      failures.created[id] = createFailure(e);
    }
  }
  store.flushChanges();
  // Parents made, children gone, counts read: the mirror as Dovecot now has it. A failure
  // here leaves the records as the /set wrote them until the next read refreshes them.
  for (const accountId of touched) {
    try {
      await refreshAccount(store, accountId, created, createdIds.get(accountId));
    } catch {
      // the writes themselves were carried out
    }
  }
  return failures;
}
