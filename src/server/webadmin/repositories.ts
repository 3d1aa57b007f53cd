// Seed 002 › Administrating mail repositories, over x:MailRepository and x:RepositoryMail:
//   PUT /mailRepositories/{path}?protocol=p     create (204; an existing one stays as it is)
//   GET /mailRepositories                       [{repository, path}] (path = the encoded path)
//   GET /mailRepositories/{path}                {repository, path, size}
//   GET …/mails?limit&offset                    mail keys, oldest first (a key is the mail's id)
//   GET …/mails/{key}                           JSON (Accept: application/json, the default) or the
//                                               .eml (Accept: message/rfc822); ?additionalFields=…
//   DELETE …/mails/{key}                        204, also when the mail is already gone
//   DELETE …/mails                              task ClearMailRepository → 201 {"taskId"}
//   PATCH …/mails[/{key}]?action=reprocess[&queue][&processor]
//                                               task ReprocessRepositoryMails → 201 {"taskId"}
// Unknown repository: 404. The body is parsed by mailparser and never rendered: htmlBody is
// the HTML source as a JSON string.

import { simpleParser } from 'mailparser';
import { ID_PATTERN } from '../../shared/schema/validate';
import { mailMessage, mailRecipients } from '../mail/filter/repositoryStore';
import type { Calls, Rec } from './calls';
import { invalid, notFound } from './errors';
import { noContent, ok, type Reply, type Route, type RouteRequest } from './router';

export const REPOSITORY = 'x:MailRepository';
export const MAIL = 'x:RepositoryMail';
const TASK = 'x:Task';

const ADDITIONAL = ['attributes', 'headers', 'textBody', 'htmlBody', 'messageSize', 'perRecipientsHeaders'];

/** The repository at `path` (as the seed writes it, trailing `/` optional), or 404. */
export function findRepository(calls: Calls, raw: string): Rec {
  // The seed also names a repository by its whole URL (file://var/mail/error/).
  const wanted = raw.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/+$/, '');
  const found = calls.find(REPOSITORY, { path: wanted }, ['path', 'size']).find((r) => String(r.path).replace(/\/+$/, '') === wanted);
  if (!found) throw notFound(`The mail repository ${raw} can not be found`, `There is no mail repository with the path ${JSON.stringify(raw)} (GET /mailRepositories lists them)`);
  return found;
}

const entry = (r: Rec) => ({ repository: String(r.path), path: encodeURIComponent(String(r.path)) });

/** A strictly positive (limit) or non-negative (offset) integer parameter; 400 otherwise. */
function count(query: URLSearchParams, name: 'limit' | 'offset'): number | null {
  const raw = query.get(name);
  if (raw === null) return null;
  const n = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || (name === 'limit' && n < 1)) {
    throw invalid(`Invalid ${name}`, `${name} must be ${name === 'limit' ? 'a strictly positive' : 'a positive'} integer, not ${JSON.stringify(raw)}`);
  }
  return n;
}

function findMail(calls: Calls, repo: Rec, key: string): Rec | null {
  if (!ID_PATTERN.test(key)) return null; // no mail has such a key (and /get would refuse it as an argument)
  const [mail] = calls.getMany(MAIL, [key]);
  return mail && mail.repositoryId === repo.id ? mail : null;
}

function mailOr404(calls: Calls, repo: Rec, key: string): Rec {
  const mail = findMail(calls, repo, key);
  if (!mail) throw notFound(`The mail ${key} can not be found`, `The repository ${String(repo.path)} has no mail with the key ${JSON.stringify(key)}`);
  return mail;
}

/** A header section as {name: [values]} (unfolded), names as the message writes them. */
function headerMap(lines: readonly { key: string; line: string }[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const { line } of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    (out[name] ??= []).push(line.slice(colon + 1).replace(/\r?\n[ \t]+/g, ' ').trim());
  }
  return out;
}

async function details(calls: Calls, mail: Rec, fields: string[]): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {
    name: mail.id,
    sender: mail.sender ?? null,
    recipients: mailRecipients(mail),
    state: mail.state ?? null,
    error: mail.error ?? null,
    remoteHost: mail.remoteHost ?? null,
    remoteAddr: mail.remoteAddr ?? null,
    lastUpdated: mail.lastUpdated ?? null,
  };
  if (fields.length === 0) return out;
  const raw = mailMessage(calls.store, mail);
  const parsed = raw && (fields.includes('headers') || fields.includes('htmlBody')) ? await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true }).catch(() => null) : null;
  for (const f of fields) {
    if (f === 'attributes') out.attributes = {}; // Postern keeps no mail attributes
    if (f === 'headers') out.headers = parsed ? headerMap(parsed.headerLines) : {};
    if (f === 'textBody') out.textBody = mail.textBody ?? null;
    if (f === 'htmlBody') out.htmlBody = parsed && typeof parsed.html === 'string' ? parsed.html : null;
    if (f === 'messageSize') out.messageSize = mail.size ?? null;
    if (f === 'perRecipientsHeaders') out.perRecipientsHeaders = Object.fromEntries(mailRecipients(mail).map((r) => [r, {}])); // none are added per recipient
  }
  return out;
}

function additionalFields(query: URLSearchParams): string[] {
  const raw = query.get('additionalFields');
  if (raw === null || raw === '') return [];
  const fields = raw.split(',').map((f) => f.trim());
  const unknown = fields.filter((f) => !ADDITIONAL.includes(f));
  if (unknown.length) throw invalid('Invalid additionalFields', `Unknown additional field ${unknown.map((u) => JSON.stringify(u)).join(', ')}: supported are ${ADDITIONAL.join(', ')}`);
  return [...new Set(fields)];
}

const wantsEml = (headers: RouteRequest['headers']) => /^\s*message\/rfc822\b/i.test(String(headers.accept ?? ''));

/** Starts a task; 201 {"taskId"} with its Location. */
function startTask(calls: Calls, value: Record<string, unknown>, message: string): Reply {
  const taskId = calls.create(TASK, value, message);
  return { status: 201, body: { taskId }, headers: { Location: `/tasks/${taskId}` } };
}

/** ?action=reprocess (compulsory) with James's queue and processor → the task's inputs. */
function reprocessInputs(query: URLSearchParams) {
  const action = query.get('action');
  if (action !== 'reprocess') {
    throw invalid('Invalid action', action === null ? 'The action query parameter is compulsory: ?action=reprocess' : `Unknown action ${JSON.stringify(action)}: the only action is reprocess`);
  }
  return { targetQueue: query.get('queue'), targetState: query.get('processor') };
}

export function repositoryRoutes(): Route[] {
  return [
    {
      method: 'PUT',
      path: '/mailRepositories/:path',
      handler: ({ params, calls, query }) => {
        const protocol = query.get('protocol');
        if (!protocol) throw invalid('Invalid protocol', 'Give the repository\u2019s protocol: PUT /mailRepositories/{encodedPath}?protocol=file');
        const path = params.path;
        // The same repository with or without its trailing `/`, as findRepository reads paths.
        const bare = (p: unknown) => String(p).replace(/\/+$/, '');
        const existing = calls.find(REPOSITORY, { path: bare(path) }, ['path']).find((r) => bare(r.path) === bare(path));
        if (existing) return noContent();
        calls.create(REPOSITORY, { path, protocol }, `The mail repository ${JSON.stringify(path)} could not be created`);
        return noContent();
      },
    },
    {
      method: 'GET',
      path: '/mailRepositories',
      handler: ({ calls }) => ok(calls.getMany(REPOSITORY, calls.queryAll(REPOSITORY, undefined, [{ property: 'path', isAscending: true }]), ['path']).map(entry)),
    },
    {
      method: 'GET',
      path: '/mailRepositories/:path',
      handler: ({ params, calls }) => {
        const repo = findRepository(calls, params.path);
        return ok({ ...entry(repo), size: Number(repo.size ?? 0) });
      },
    },
    {
      method: 'GET',
      path: '/mailRepositories/:path/mails',
      handler: ({ params, calls, query }) => {
        const limit = count(query, 'limit');
        const offset = count(query, 'offset') ?? 0;
        const repo = findRepository(calls, params.path);
        const ids = calls.queryAll(MAIL, { repositoryId: repo.id }, [{ property: 'lastUpdated', isAscending: true }]);
        return ok(ids.slice(offset, limit === null ? undefined : offset + limit));
      },
    },
    {
      method: 'GET',
      path: '/mailRepositories/:path/mails/:key',
      handler: async ({ params, calls, query, headers }) => {
        const fields = additionalFields(query);
        const repo = findRepository(calls, params.path);
        const mail = mailOr404(calls, repo, params.key);
        if (!wantsEml(headers)) return ok(await details(calls, mail, fields));
        const raw = mailMessage(calls.store, mail);
        if (!raw) throw notFound(`The message of mail ${params.key} can not be found`, 'Its stored message is missing');
        return { status: 200, raw: { type: 'message/rfc822', data: raw } };
      },
    },
    {
      method: 'DELETE',
      path: '/mailRepositories/:path/mails/:key',
      handler: ({ params, calls }) => {
        const repo = findRepository(calls, params.path);
        if (findMail(calls, repo, params.key)) calls.destroy(MAIL, params.key, `The mail ${params.key} could not be deleted`);
        return noContent();
      },
    },
    {
      method: 'DELETE',
      path: '/mailRepositories/:path/mails',
      handler: ({ params, calls }) => {
        const repo = findRepository(calls, params.path);
        return startTask(calls, { '@type': 'ClearMailRepository', repositoryId: repo.id }, `The repository ${String(repo.path)} could not be cleared`);
      },
    },
    {
      method: 'PATCH',
      path: '/mailRepositories/:path/mails',
      handler: ({ params, calls, query }) => {
        const inputs = reprocessInputs(query);
        const repo = findRepository(calls, params.path);
        return startTask(calls, { '@type': 'ReprocessRepositoryMails', repositoryId: repo.id, mailIds: {}, ...inputs }, `The mails of ${String(repo.path)} could not be reprocessed`);
      },
    },
    {
      method: 'PATCH',
      path: '/mailRepositories/:path/mails/:key',
      handler: ({ params, calls, query }) => {
        const inputs = reprocessInputs(query);
        const repo = findRepository(calls, params.path);
        const mail = mailOr404(calls, repo, params.key);
        return startTask(calls, { '@type': 'ReprocessRepositoryMails', repositoryId: repo.id, mailIds: { [mail.id]: true }, ...inputs }, `The mail ${mail.id} could not be reprocessed`);
      },
    },
  ];
}
