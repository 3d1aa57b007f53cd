// The JMAP session resource (RFC 8620 §2), its state, and the caller's own account.

import { createHash } from 'node:crypto';
import type { Caller } from '../auth/caller';
import { LIMITS } from '../jmap/context';
import { VALIDATE_CAPABILITY } from '../jmap/dryRun';
import type { Req } from './respond';

const sessionStates = new WeakMap<Caller, string>();

/** Changes when the caller's account or permissions do; callers are cached, so is this. */
export function sessionState(caller: Caller): string {
  let state = sessionStates.get(caller);
  if (!state) sessionStates.set(caller, (state = computeSessionState(caller)));
  return state;
}

function computeSessionState(caller: Caller): string {
  return createHash('sha256').update(caller.accountId).update([...caller.permissions].sort().join(',')).digest('base64url').slice(0, 12);
}

function origin(req: Req): string {
  const host = req.headers.host && /^[A-Za-z0-9.:[\]-]+$/.test(req.headers.host) ? req.headers.host : 'localhost';
  return `http://${host}`;
}

export function session(req: Req, caller: Caller) {
  const base = origin(req);
  const { maxQueryLimit: _omit, ...core } = LIMITS;
  return {
    capabilities: {
      // The limits the server enforces: the upload ones in http/blobs.ts, the rest in jmap/.
      'urn:ietf:params:jmap:core': {
        ...core,
        collationAlgorithms: ['i;ascii-casemap', 'i;octet'],
      },
      'urn:stalwart:jmap': {},
      // Postern's /set dry run (jmap/dryRun.ts): `"validateOnly": true` checks and rolls back.
      [VALIDATE_CAPABILITY]: {},
    },
    accounts: {
      [caller.accountId]: {
        name: caller.name,
        isPersonal: true,
        isReadOnly: false,
        accountCapabilities: { 'urn:stalwart:jmap': {} },
      },
    },
    primaryAccounts: { 'urn:stalwart:jmap': caller.accountId },
    username: caller.name,
    apiUrl: `${base}/jmap/`,
    downloadUrl: `${base}/jmap/download/{accountId}/{blobId}/{name}?accept={type}`,
    uploadUrl: `${base}/jmap/upload/{accountId}/`,
    eventSourceUrl: `${base}/jmap/eventsource/?types={types}&closeafter={closeafter}&ping={ping}`,
    state: sessionState(caller),
  };
}

/** GET /api/account: who the console is signed in as, what it may do, and its language (the account's `locale`). */
export function accountInfo(caller: Caller, locale?: unknown) {
  return {
    name: caller.name,
    accountId: caller.accountId,
    permissions: [...caller.permissions].sort(),
    edition: 'oss',
    locale: typeof locale === 'string' && locale ? locale : 'en_US',
  };
}
