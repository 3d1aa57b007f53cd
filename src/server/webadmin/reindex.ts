// Seed 002 › ReIndexing: each route creates an x:Task (through the caller's own /set, so
// permissions and the kind's checks apply) and answers 201 {"taskId"} with its Location.
//   POST /mailboxIndex?task=reIndex                                   FullReIndexing
//   POST /mailboxIndex/users/{u}?task=reIndex                         ReIndexUser
//   POST /mailboxIndex/users/{u}/mailboxes/{m}?task=reIndex           ReIndexMailbox
//   POST /mailboxIndex/users/{u}/mailboxes/{m}/uid/{uid}?task=reIndex ReIndexMessage
//   POST /mailboxIndex/messages/{messageId}?task=reIndex              ReIndexMessageId
// {m} (James: an implementation-dependent mailboxId) is the mailbox's full name (INBOX.work)
// or the id of its x:AccountMailbox record. {messageId} is the mail's Message-ID header.
// Bad input answers 400 with the precise cause, as the seed documents only 201 and 400:
// a missing or unknown task parameter, an unknown user or mailbox (the user's mailboxes are
// read from Dovecot first), a malformed uid or Message-ID. Nothing is started then.

import { mailboxNameProblem, normalizeMailboxName } from '../mail/mailboxes';
import { MAX_UID, messageIdProblem } from '../tasks/reindexChecks';
import { TASK } from '../tasks/status';
import type { Calls, Rec } from './calls';
import { invalid, WebAdminError } from './errors';
import { mailUser, MAILBOX } from './mailboxes';
import type { Reply, Route } from './router';

/** ?task=reIndex is compulsory, as in James. */
function requireTask(query: URLSearchParams): void {
  const task = query.get('task');
  if (task === null || task === '') throw invalid("'task' query parameter is compulsory. Supported values are [reIndex]", 'Add ?task=reIndex to the URL');
  if (task !== 'reIndex') throw invalid(`Invalid value supplied for query parameter 'task': ${task}. Supported values are [reIndex]`, `The only task these routes start is reIndex, not ${JSON.stringify(task)}`);
}

/** The user of the path: an account with mail, or 400 (the seed's answer for a request in error). */
function user(calls: Calls, raw: string): Rec {
  try {
    return mailUser(calls, raw);
  } catch (e) {
    if (e instanceof WebAdminError && e.statusCode === 404) throw invalid(e.message, e.detail);
    throw e;
  }
}

/** The mailbox of the path by name or record id, as Dovecot has it now, or 400. */
async function mailbox(calls: Calls, account: Rec, raw: string): Promise<string> {
  await calls.refresh(MAILBOX, 'query', { filter: { accountId: account.id } });
  const boxes = calls.find(MAILBOX, { accountId: account.id }, ['accountId', 'name']).filter((m) => m.accountId === account.id);
  const name = mailboxNameProblem(raw) ? null : normalizeMailboxName(raw);
  const found = boxes.find((m) => m.name === name) ?? boxes.find((m) => m.id === raw);
  if (!found) {
    throw invalid(`The mailbox ${JSON.stringify(raw)} does not exist`, `${String(account.emailAddress)} has no mailbox named ${JSON.stringify(raw)} (GET /users/${String(account.emailAddress)}/mailboxes lists them)`);
  }
  return String(found.name);
}

function uid(raw: string): number {
  const n = /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= MAX_UID)) throw invalid(`Invalid uid ${JSON.stringify(raw)}`, `A uid is a whole number from 1 to ${MAX_UID}`);
  return n;
}

function start(calls: Calls, value: Record<string, unknown>): Reply {
  const taskId = calls.create(TASK, value, 'The re-indexing task could not be started');
  return { status: 201, body: { taskId }, headers: { Location: `/tasks/${taskId}` } };
}

export function reindexRoutes(): Route[] {
  return [
    {
      method: 'POST',
      path: '/mailboxIndex',
      handler: ({ calls, query }) => {
        requireTask(query);
        return start(calls, { '@type': 'FullReIndexing' });
      },
    },
    {
      method: 'POST',
      path: '/mailboxIndex/users/:user',
      handler: ({ params, calls, query }) => {
        requireTask(query);
        return start(calls, { '@type': 'ReIndexUser', accountId: user(calls, params.user).id });
      },
    },
    {
      method: 'POST',
      path: '/mailboxIndex/users/:user/mailboxes/:mailbox',
      handler: async ({ params, calls, query }) => {
        requireTask(query);
        const account = user(calls, params.user);
        return start(calls, { '@type': 'ReIndexMailbox', accountId: account.id, mailboxName: await mailbox(calls, account, params.mailbox) });
      },
    },
    {
      method: 'POST',
      path: '/mailboxIndex/users/:user/mailboxes/:mailbox/uid/:uid',
      handler: async ({ params, calls, query }) => {
        requireTask(query);
        const account = user(calls, params.user);
        const n = uid(params.uid);
        return start(calls, { '@type': 'ReIndexMessage', accountId: account.id, mailboxName: await mailbox(calls, account, params.mailbox), uid: n });
      },
    },
    {
      method: 'POST',
      path: '/mailboxIndex/messages/:messageId',
      handler: ({ params, calls, query }) => {
        requireTask(query);
        const bad = messageIdProblem(params.messageId);
        if (bad) throw invalid(`Invalid messageId ${JSON.stringify(params.messageId)}`, bad);
        return start(calls, { '@type': 'ReIndexMessageId', messageId: params.messageId });
      },
    },
  ];
}
