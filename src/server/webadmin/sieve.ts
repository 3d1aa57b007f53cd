// Seed 002 › Administrating Sieve quotas: bytes a user's Sieve scripts may take together.
// The default is x:SieveUserInterpreter.maxStorage (a Postern extension of Stalwart's
// singleton), a user's own one x:UserAccount.maxSieveStorage; null means none set (the
// user then takes the default; without a default there is no limit). Enforced by
// Pigeonhole on ManageSieve uploads (mail/sieveQuota.ts).
//   GET    /sieve/quota/default        200 <bytes>, or 204 when none is set
//   PUT    /sieve/quota/default <n>    204; 400 unless a whole number of bytes, at least 1
//   DELETE /sieve/quota/default        204
//   GET | PUT | DELETE /sieve/quota/users/{u}   the same for one user; 404 for an unknown user

import type { Calls } from './calls';
import { invalid } from './errors';
import { existingUser } from './mailboxes';
import { noContent, ok, type Reply, type Route } from './router';

const INTERPRETER = 'x:SieveUserInterpreter';
const SINGLETON = 'singleton';
const ACCOUNT = 'x:Account';

/** The body: a whole number of bytes, at least 1 (a JSON number, as the seed sends it). */
export function quotaBody(text: string): number {
  const raw = text.trim();
  const bad = (why: string) => invalid('Invalid payload: the body is the quota in bytes, such as 102400', why);
  if (raw === '') throw bad('The body is empty');
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw bad(`${JSON.stringify(raw.slice(0, 40))} is not a number`);
  }
  if (typeof value !== 'number') throw bad(`${JSON.stringify(raw.slice(0, 40))} is not a number`);
  if (!Number.isInteger(value)) throw bad(`${raw} is not a whole number of bytes`);
  if (value < 1) throw bad(`${raw} is below 1 byte: a quota is at least 1 byte (DELETE removes it)`);
  if (!Number.isSafeInteger(value)) throw bad(`${raw} is too large`);
  return value;
}

const answer = (v: unknown): Reply => (typeof v === 'number' ? ok(v) : noContent());

function readDefault(calls: Calls): unknown {
  return calls.getMany(INTERPRETER, [SINGLETON], ['maxStorage'])[0]?.maxStorage;
}

function writeDefault(calls: Calls, value: number | null) {
  calls.update(INTERPRETER, SINGLETON, { maxStorage: value }, 'The default Sieve quota cannot be changed');
}

function writeUser(calls: Calls, user: string, value: number | null) {
  const account = existingUser(calls, user);
  calls.update(ACCOUNT, account.id, { maxSieveStorage: value }, `The Sieve quota of ${user} cannot be changed`);
}

export function sieveRoutes(): Route[] {
  return [
    { method: 'GET', path: '/sieve/quota/default', handler: ({ calls }) => answer(readDefault(calls)) },
    {
      method: 'PUT',
      path: '/sieve/quota/default',
      handler: async ({ calls, body }) => {
        writeDefault(calls, quotaBody(await body()));
        return noContent();
      },
    },
    {
      method: 'DELETE',
      path: '/sieve/quota/default',
      handler: ({ calls }) => {
        writeDefault(calls, null);
        return noContent();
      },
    },
    {
      method: 'GET',
      path: '/sieve/quota/users/:user',
      handler: ({ params, calls }) => {
        const account = existingUser(calls, params.user);
        return answer(calls.getMany(ACCOUNT, [account.id], ['maxSieveStorage'])[0]?.maxSieveStorage);
      },
    },
    {
      method: 'PUT',
      path: '/sieve/quota/users/:user',
      handler: async ({ params, calls, body }) => {
        existingUser(calls, params.user); // an unknown user is 404 before the body is judged
        writeUser(calls, params.user, quotaBody(await body()));
        return noContent();
      },
    },
    {
      method: 'DELETE',
      path: '/sieve/quota/users/:user',
      handler: ({ params, calls }) => {
        writeUser(calls, params.user, null);
        return noContent();
      },
    },
  ];
}
