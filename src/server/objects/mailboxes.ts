// Management › Directory › Users › (a user) › Mailboxes: x:AccountMailbox, a Postern
// extension (Stalwart 0.16 reaches a user's mailboxes through JMAP Mail in that user's
// account; Postern's mail store is Dovecot). Each record mirrors one real mailbox of the
// account in Postern's private Dovecot: the name is the full path with "." between levels
// (INBOX.work), as seed 002 writes it. Reads refresh the mirror first and writes are carried
// out with doveadm (mail/mailboxMirror.ts); nothing is kept here that Dovecot does not have.

import type { SetError } from '../../shared/jmap/errors';
import { callerFor } from '../auth/caller';
import { applyMailboxWrites, MAILBOX, recordsOf, refreshMailboxes } from '../mail/mailboxMirror';
import { isInbox, mailboxNameProblem, MAX_NAME_LENGTH, normalizeMailboxName } from '../mail/mailboxes';
import { ascending, labelled, listPage } from './builders';
import type { ObjectDef, WriteContext } from './define';

type Obj = Record<string, unknown>;

const count = (description: string) => ({ description, type: { type: 'number' as const, format: 'unsignedInteger' as const }, update: 'serverSet' as const });

/** The account must have a mailbox (an address) and be one the caller outranks or is. */
function accountProblem(ctx: WriteContext, accountId: string): SetError | null {
  const account = ctx.store.get('x:Account', accountId);
  if (!account) return null; // the engine's reference check answers invalidForeignKey
  if (typeof account.emailAddress !== 'string') {
    return {
      type: 'invalidForeignKey',
      description: `Account "${String(account.name)}" has no domain, so no address and no mailboxes`,
      properties: ['accountId'],
    };
  }
  if (accountId !== ctx.caller.accountId) {
    const held = callerFor(ctx.store, accountId)?.permissions ?? new Set<string>();
    const missing = [...held].filter((p) => !ctx.caller.permissions.has(p));
    if (missing.length) {
      return {
        type: 'forbidden',
        description: `${String(account.emailAddress)} holds permissions you do not (${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}): you cannot manage its mailboxes`,
        properties: ['accountId'],
      };
    }
  }
  return null;
}

function check(ctx: WriteContext, _id: string, next: Obj, prev: Obj | null): SetError | null {
  if (prev) return null; // nothing is mutable
  const name = String(next.name);
  const problem = mailboxNameProblem(name);
  if (problem) {
    return { type: 'validationFailed', description: `name: ${problem}`, properties: ['name'], validationErrors: [{ type: 'Invalid', property: 'name', description: problem, value: name }] };
  }
  next.name = normalizeMailboxName(name);
  const accountErr = accountProblem(ctx, String(next.accountId));
  if (accountErr) return accountErr;
  const same = recordsOf(ctx.store, String(next.accountId)).get(String(next.name));
  if (same) {
    return {
      type: 'primaryKeyViolation',
      description: `The account already has a mailbox ${JSON.stringify(next.name)}`,
      properties: ['name'],
      objectId: { object: MAILBOX, id: same.id },
    };
  }
  Object.assign(next, { totalEmails: 0, unreadEmails: 0, size: 0 });
  return null;
}

function checkDestroy(ctx: WriteContext, _id: string, prev: Obj): SetError | null {
  if (isInbox(String(prev.name))) {
    return {
      type: 'forbidden',
      description: 'INBOX cannot be deleted: Dovecot keeps every account\u2019s INBOX, where its mail is delivered. Delete the mailboxes under it one by one, or its messages, instead',
      properties: ['name'],
    };
  }
  return accountProblem(ctx, String(prev.accountId));
}

export const accountMailbox: ObjectDef = {
  name: MAILBOX,
  description:
    'Postern extension: a mailbox of a user, as it exists in the mail store (Dovecot). Read live from the store; creating one makes it (and its missing parents) there, deleting one removes it with everything under it.',
  permissionPrefix: 'sysAccountMailbox',
  fields: {
    properties: {
      accountId: {
        description: 'The account whose mailbox this is',
        type: { type: 'objectId', objectName: 'x:Account' },
        update: 'immutable',
      },
      name: {
        description: `Full path of the mailbox, levels separated by "." (INBOX.work); not empty, without # & % * or empty levels, at most ${MAX_NAME_LENGTH} characters. INBOX is written in capitals.`,
        type: { type: 'string', format: 'string', maxLength: MAX_NAME_LENGTH },
        update: 'immutable',
      },
      totalEmails: count('Messages in the mailbox (itself, not the mailboxes under it)'),
      unreadEmails: count('Messages not yet seen'),
      size: { description: 'Total size of its messages', type: { type: 'number', format: 'size' }, update: 'serverSet' },
    },
  },
  ownerProperty: 'accountId',
  indexed: ['accountId', 'name'],
  clientVerbs: ['Get', 'Query', 'Create', 'Destroy'],
  check,
  checkDestroy,
  refresh: refreshMailboxes,
  apply: applyMailboxWrites,
  form: {
    title: 'Mailbox',
    subtitle: 'A folder of the user\u2019s mail store',
    sections: [
      { title: 'Mailbox', fields: labelled({ accountId: 'Account', name: 'Name' }) },
      { title: 'Contents', fields: labelled({ totalEmails: 'Messages', unreadEmails: 'Unread', size: 'Size' }) },
    ],
  },
  list: listPage({
    title: 'Mailboxes',
    subtitle: 'Folders of a user\u2019s mail store',
    singularName: 'mailbox', pluralName: 'mailboxes',
    labelProperty: 'name',
    columns: labelled({ name: 'Name', totalEmails: 'Messages', unreadEmails: 'Unread', size: 'Size' }),
    filters: [{ type: 'objectId', field: 'accountId', label: 'Account', objectName: 'x:Account/User' }],
    sort: ascending('name'),
  }),
};
