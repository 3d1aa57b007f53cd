// Seed 002 › Administrating users, over x:Account (User). A James user name is a full
// address: its local part is the account's `name`, its domain the account's `domainId`
// (a name without `@` is an account with no domain, such as the bootstrap `admin`).
//   PUT /users/{u} {"password": …}   creates the user, or changes the password of an existing one
//                                     (400 bad name, payload or unknown domain; 409 address taken)
//   DELETE /users/{u}                 204, also when there is no such user (as James does)
//   GET /users                        [{"username": …}] sorted

import type { SetError } from '../../shared/jmap/errors';
import { isPlainObject } from '../../shared/equal';
import type { Calls, Rec } from './calls';
import { domainName, domainWithAlias, findDomain } from './domains';
import { conflict, fromSetError, invalid } from './errors';
import { noContent, ok, type Route } from './router';

export const USER = 'x:Account/User';
const ACCOUNT = 'x:Account';

export interface Username {
  raw: string;
  local: string;
  /** lower-cased; null for an account with no domain */
  domain: string | null;
}

/** Seed 002's rules for a user name (not empty, at most 255 characters, no `/`), then its parts. */
export function parseUsername(raw: string): Username {
  const bad = (why: string) => invalid(`The user name ${JSON.stringify(raw)} is invalid`, why);
  if (raw.length > 255) throw bad(`A user name has at most 255 characters, not ${raw.length}`);
  if (raw.includes('/')) throw bad('A user name cannot contain "/"');
  const at = raw.lastIndexOf('@');
  if (at < 0) return { raw, local: raw, domain: null };
  if (at === 0) throw bad('The part before "@" is empty');
  if (at === raw.length - 1) throw bad('The domain after "@" is empty');
  return { raw, local: raw.slice(0, at), domain: domainName(raw.slice(at + 1)) };
}

/**
 * The user with this name in this domain (null: an account with no domain), or null. Looked
 * up by its whole address, which few others contain (a filter on text matches anywhere in it).
 */
export function findUser(calls: Calls, local: string, domain: Rec | null): Rec | null {
  const want = local.toLowerCase();
  const filter = domain ? { emailAddress: `${want}@${String(domain.name)}` } : { name: local, domainId: null };
  const found = calls.find(USER, filter, ['name', 'domainId', 'credentials']);
  return found.find((u) => String(u.name).toLowerCase() === want && (u.domainId ?? null) === (domain?.id ?? null)) ?? null;
}

/** The password of a PUT body, or 400. */
function password(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw invalid('The payload is invalid', 'The body must be JSON: {"password": "…"}');
  }
  if (!isPlainObject(parsed)) throw invalid('The payload is invalid', 'The body must be a JSON object: {"password": "…"}');
  const extra = Object.keys(parsed).filter((k) => k !== 'password');
  if (extra.length) throw invalid('The payload is invalid', `Unknown properties: ${extra.join(', ')}`);
  if (typeof parsed.password !== 'string') throw invalid('The payload is invalid', '"password" is required and must be a string');
  return parsed.password;
}

/** The patch that sets the account's Password credential (or adds one when it has none). */
function passwordPatch(user: Rec, secret: string): Record<string, unknown> {
  const credentials = (isPlainObject(user.credentials) ? user.credentials : {}) as Record<string, unknown>;
  const key = Object.keys(credentials).find((k) => isPlainObject(credentials[k]) && (credentials[k] as Record<string, unknown>)['@type'] === 'Password');
  if (key !== undefined) return { [`credentials/${key}/secret`]: secret };
  const next = Math.max(-1, ...Object.keys(credentials).map(Number).filter(Number.isInteger)) + 1;
  return { [`credentials/${next}`]: { '@type': 'Password', secret } };
}

function userError(name: Username) {
  return (e: SetError) => {
    if (e.type === 'primaryKeyViolation') return conflict(`The address ${name.raw} is already used`, e.description ?? null);
    const onSecret = (e.properties ?? []).some((p) => p.startsWith('credentials'));
    return fromSetError(onSecret ? 'The payload is invalid' : `The user name ${JSON.stringify(name.raw)} is invalid`, e);
  };
}

export function userRoutes(): Route[] {
  return [
    {
      method: 'PUT',
      path: '/users/:user',
      handler: async ({ params, calls, body }) => {
        const name = parseUsername(params.user);
        const secret = password(await body());
        const domain = name.domain === null ? null : findDomain(calls, name.domain);
        if (name.domain !== null && !domain) {
          const aliased = domainWithAlias(calls, name.domain);
          throw invalid(
            `The domain ${name.domain} does not exist`,
            aliased ? `${name.domain} is an alias of ${String(aliased.name)}: use ${name.local}@${String(aliased.name)}` : `Add it first: PUT /domains/${name.domain}`,
          );
        }
        const domainId = domain?.id ?? null;
        const existing = findUser(calls, name.local, domain);
        const mapError = userError(name);
        if (existing) calls.update(ACCOUNT, existing.id, passwordPatch(existing, secret), `The password of ${name.raw} cannot be changed`, mapError);
        else {
          const value = { '@type': 'User', name: name.local, domainId, credentials: { 0: { '@type': 'Password', secret } } };
          calls.create(ACCOUNT, value, `The user ${name.raw} cannot be created`, mapError);
        }
        return noContent();
      },
    },
    {
      method: 'DELETE',
      path: '/users/:user',
      handler: ({ params, calls }) => {
        const name = parseUsername(params.user);
        const domain = name.domain === null ? null : findDomain(calls, name.domain);
        const user = name.domain !== null && !domain ? null : findUser(calls, name.local, domain);
        if (user) calls.destroy(ACCOUNT, user.id, `The user ${name.raw} cannot be removed`);
        return noContent();
      },
    },
    {
      method: 'GET',
      path: '/users',
      handler: ({ calls }) => {
        const users = calls.getMany(USER, calls.queryAll(USER), ['name', 'emailAddress']);
        const names = users.map((u) => String(u.emailAddress ?? u.name)).sort();
        return ok(names.map((username) => ({ username })));
      },
    },
  ];
}
