// Which account a sign-in name stands for: an account's address (emailAddress, any case),
// or, for an account with no domain (the bootstrap `admin`), its name. Indexed lookups.
// And which of an account's secrets sign in: those of its credentials that are usable now.

import type { Store } from '../store/records';
import { statement } from '../store/statements';

type Obj = Record<string, unknown>;

export function accountIdBySignInName(store: Store, login: string): string | null {
  if (login.includes('@')) {
    const id = store.findBy('x:Account', 'emailAddress', login.toLowerCase());
    if (id) return id;
  }
  const stmt = statement(store, `SELECT id FROM records WHERE type = 'x:Account' AND json_extract(data, '$."name"') = ? AND json_extract(data, '$."domainId"') IS NULL LIMIT 1`, { pluck: true });
  return (stmt.get(login) as string | undefined) ?? null;
}

/** Whether a credential can be used now: a Password or AppPassword with a secret, not expired. */
export function usableSecret(credential: unknown, now = Date.now()): string | null {
  const c = credential as Obj | null;
  if (!c || (c['@type'] !== 'Password' && c['@type'] !== 'AppPassword') || typeof c.secret !== 'string' || c.secret === '') return null;
  if (typeof c.expiresAt === 'string' && Date.parse(c.expiresAt) <= now) return null;
  return c.secret;
}

/** Every usable secret hash of an account (none for a group). */
export function accountSecrets(account: Obj | null, now = Date.now()): string[] {
  if (account?.['@type'] !== 'User') return [];
  return Object.values((account.credentials as Obj | undefined) ?? {}).flatMap((c) => usableSecret(c, now) ?? []);
}
