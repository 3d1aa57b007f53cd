// Input checks of the re-indexing tasks (tasks/reindex.ts): the account exists, has mail
// and is one the caller may act on; a mailbox name, a uid and a Message-ID are well formed,
// and the mailbox is one of the account's as far as the mirror of its mailboxes knows.

import type { SetError } from '../../shared/jmap/errors';
import { callerFor } from '../auth/caller';
import type { WriteContext } from '../objects/define';
import { recordsOf } from '../mail/mailboxMirror';
import { mailboxNameProblem, normalizeMailboxName } from '../mail/mailboxes';

type Obj = Record<string, unknown>;

export const MAX_UID = 4294967295;
export const MAX_MESSAGE_ID = 998;

/** The account must exist (the engine's reference check), have mail, and be one the caller outranks or is. */
export function accountProblem(ctx: WriteContext, id: unknown): SetError | null {
  if (typeof id !== 'string') return null; // the schema's type check answers
  const account = ctx.store.get('x:Account', id);
  if (!account) return { type: 'invalidForeignKey', description: `No account ${JSON.stringify(id)}`, properties: ['accountId'] };
  if (typeof account.emailAddress !== 'string') {
    return { type: 'invalidForeignKey', description: `Account "${String(account.name)}" has no domain, so no address and no mail to re-index`, properties: ['accountId'] };
  }
  if (id !== ctx.caller.accountId && ctx.caller.accountId !== 'system') {
    const held = callerFor(ctx.store, id)?.permissions ?? new Set<string>();
    const missing = [...held].filter((p) => !ctx.caller.permissions.has(p));
    if (missing.length) {
      return { type: 'forbidden', description: `${account.emailAddress} holds permissions you do not: you cannot re-index its mail`, properties: ['accountId'] };
    }
  }
  return null;
}

/** A valid name, and one of the account's mailboxes as far as the mirror of its mailboxes knows them. */
export function mailboxProblem(ctx: WriteContext, value: Obj): SetError | null {
  const name = value.mailboxName;
  if (typeof name !== 'string') return null;
  const bad = mailboxNameProblem(name);
  if (bad) return { type: 'invalidProperties', description: bad, properties: ['mailboxName'] };
  value.mailboxName = normalizeMailboxName(name);
  const known = recordsOf(ctx.store, String(value.accountId));
  // An account whose mailboxes were never listed: the task itself finds out.
  if (known.size > 0 && !known.has(String(value.mailboxName))) {
    const address = String(ctx.store.get('x:Account', String(value.accountId))?.emailAddress);
    return { type: 'invalidProperties', description: `${address} has no mailbox named ${JSON.stringify(value.mailboxName)}`, properties: ['mailboxName'] };
  }
  return null;
}

export function uidProblem(value: Obj): SetError | null {
  const uid = value.uid;
  if (typeof uid === 'number' && Number.isInteger(uid) && uid >= 1 && uid <= MAX_UID) return null;
  return { type: 'invalidProperties', description: `A uid is a whole number from 1 to ${MAX_UID}, not ${JSON.stringify(uid)}`, properties: ['uid'] };
}

/** Why a Message-ID cannot be looked for, or null. */
export function messageIdProblem(id: unknown): string | null {
  if (typeof id !== 'string' || id.trim() === '') return 'A Message-ID cannot be empty';
  if (id.length > MAX_MESSAGE_ID) return `A Message-ID has at most ${MAX_MESSAGE_ID} characters, not ${id.length}`;
  const bare = id.trim().replace(/^<(.*)>$/, '$1');
  if (bare === '' || /[\s<>\p{Cc}]/u.test(bare)) return `${JSON.stringify(id)} is not a Message-ID: it looks like <local@domain> (the angle brackets are optional), with no spaces`;
  return null;
}
