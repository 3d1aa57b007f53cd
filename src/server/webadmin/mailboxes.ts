// Seed 002 › Administrating user mailboxes, over x:AccountMailbox (the user's real Dovecot
// mailboxes, refreshed before each read; writes carried out by doveadm before the answer).
//   PUT    /users/{u}/mailboxes/{m}   204 (also when it exists); parents are made too (INBOX.work)
//   DELETE /users/{u}/mailboxes/{m}   204, with its children, also when there is none
//   GET    /users/{u}/mailboxes/{m}   204 exists / 404
//   GET    /users/{u}/mailboxes       [{"mailboxName": …}]
//   DELETE /users/{u}/mailboxes       204: every mailbox but INBOX, which Dovecot always keeps
// 400 for an invalid mailbox name, 404 for an unknown user, 503 when Dovecot cannot be reached.

import type { SetError } from '../../shared/jmap/errors';
import { recordsOf } from '../mail/mailboxMirror';
import { isInbox, mailboxNameProblem, normalizeMailboxName } from '../mail/mailboxes';
import type { Calls, Rec } from './calls';
import { findDomain } from './domains';
import { forbidden, fromSetError, invalid, notFound, type WebAdminError } from './errors';
import { noContent, ok, type Route } from './router';
import { findUser, parseUsername } from './users';

export const MAILBOX = 'x:AccountMailbox';

/** The user named in the path, or 404. */
export function existingUser(calls: Calls, raw: string): Rec {
  const name = parseUsername(raw);
  const domain = name.domain === null ? null : findDomain(calls, name.domain);
  const user = name.domain !== null && !domain ? null : findUser(calls, name.local, domain);
  if (!user) throw notFound(`The user ${raw} does not exist`, `No user is named ${JSON.stringify(raw)} (GET /users lists them)`);
  return user;
}

/** A user with a mail store (an address), or 404: an account without a domain only administers. */
export function mailUser(calls: Calls, raw: string): Rec {
  const user = existingUser(calls, raw);
  if (user.domainId === null || user.domainId === undefined) {
    throw notFound(`The user ${raw} has no mailboxes`, `${raw} is an account without a domain: it signs in to administer and has no mail store (mail users are name@domain)`);
  }
  return user;
}

/** Seed 002's mailbox name rules, or 400; the name as Dovecot writes it. */
function mailboxName(raw: string): string {
  const problem = mailboxNameProblem(raw);
  if (problem) throw invalid(`The mailbox name ${JSON.stringify(raw)} is invalid`, problem);
  return normalizeMailboxName(raw);
}

/**
 * The user's mailboxes as Dovecot has them now. When the mirror has records of the account
 * but the caller sees none, they are hidden from it: the account holds permissions the
 * caller does not (x:AccountMailbox follows its account's protection). That is a 403, never
 * an empty list or a 204 for a mailbox left in place.
 */
async function mailboxes(calls: Calls, user: Rec, raw: string): Promise<Rec[]> {
  const accountId = user.id;
  await calls.refresh(MAILBOX, 'query', { filter: { accountId } });
  const found = calls.find(MAILBOX, { accountId }, ['accountId', 'name']).filter((m) => m.accountId === accountId);
  if (found.length === 0 && recordsOf(calls.store, accountId).size > 0) {
    throw forbidden(`The mailboxes of ${raw} cannot be managed`, `${raw} holds permissions you do not: you cannot read or change its mailboxes`);
  }
  return found;
}

function failure(message: string, e: SetError): WebAdminError {
  // Dovecot keeps INBOX: asking to delete it is a request this server cannot honour, not a fault.
  if (e.type === 'forbidden' && e.properties?.includes('name')) return invalid(message, e.description ?? null);
  return fromSetError(message, e);
}

async function destroyAll(calls: Calls, ids: string[], message: string): Promise<void> {
  for (let i = 0; i < ids.length; i += 100) {
    const res = await calls.setApplied(MAILBOX, { destroy: ids.slice(i, i + 100) });
    const errors = Object.values((res.notDestroyed ?? {}) as Record<string, SetError>);
    if (errors.length) throw failure(message, errors[0]);
  }
}

export function mailboxRoutes(): Route[] {
  return [
    {
      method: 'PUT',
      path: '/users/:user/mailboxes/:mailbox',
      handler: async ({ params, calls }) => {
        const user = mailUser(calls, params.user);
        const name = mailboxName(params.mailbox);
        if ((await mailboxes(calls, user, params.user)).some((m) => m.name === name)) return noContent();
        const res = await calls.setApplied(MAILBOX, { create: { m: { accountId: user.id, name } } });
        const err = (res.notCreated as Record<string, SetError> | null)?.m;
        // Made by someone else meanwhile: it exists, which is what was asked.
        if (err && err.type !== 'primaryKeyViolation') throw failure(`The mailbox ${name} of ${params.user} cannot be created`, err);
        return noContent();
      },
    },
    {
      method: 'DELETE',
      path: '/users/:user/mailboxes/:mailbox',
      handler: async ({ params, calls }) => {
        const user = mailUser(calls, params.user);
        const name = mailboxName(params.mailbox);
        if (isInbox(name)) throw invalid(`The mailbox ${name} of ${params.user} cannot be deleted`, 'INBOX cannot be deleted: Dovecot keeps every account\u2019s INBOX, where its mail is delivered');
        const found = (await mailboxes(calls, user, params.user)).find((m) => m.name === name);
        if (found) await destroyAll(calls, [found.id], `The mailbox ${name} of ${params.user} cannot be deleted`);
        return noContent();
      },
    },
    {
      method: 'GET',
      path: '/users/:user/mailboxes/:mailbox',
      handler: async ({ params, calls }) => {
        const user = mailUser(calls, params.user);
        const name = mailboxName(params.mailbox);
        if ((await mailboxes(calls, user, params.user)).some((m) => m.name === name)) return noContent();
        throw notFound(`The mailbox ${name} of ${params.user} does not exist`, `${params.user} has no mailbox named ${JSON.stringify(name)}`);
      },
    },
    {
      method: 'GET',
      path: '/users/:user/mailboxes',
      handler: async ({ params, calls }) => {
        const user = mailUser(calls, params.user);
        const names = (await mailboxes(calls, user, params.user)).map((m) => String(m.name)).sort();
        return ok(names.map((mailboxName) => ({ mailboxName })));
      },
    },
    {
      method: 'DELETE',
      path: '/users/:user/mailboxes',
      handler: async ({ params, calls }) => {
        const user = mailUser(calls, params.user);
        const all = await mailboxes(calls, user, params.user);
        // Top levels only (each goes with its children); INBOX stays, its children go.
        const names = new Set(all.map((m) => String(m.name)));
        const roots = all.filter((m) => {
          const n = String(m.name);
          if (isInbox(n)) return false;
          const parent = n.slice(0, Math.max(0, n.lastIndexOf('.')));
          return !parent || isInbox(parent) || !names.has(parent);
        });
        await destroyAll(calls, roots.map((m) => m.id), `The mailboxes of ${params.user} cannot be deleted`);
        return noContent();
      },
    },
  ];
}
