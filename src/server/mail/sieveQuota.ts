// The Sieve limits of one account as Dovecot userdb fields. Pigeonhole reads unknown userdb
// fields as plugin settings, so the values are the account's at every ManageSieve login and
// delivery, straight from the store. Pigeonhole's 0 means "no limit".
//   sieve_max_script_size     x:SieveUserInterpreter.maxScriptSize (per script), at most the
//                             byte quota: Pigeonhole 0.5 weighs the quota only against the
//                             scripts already stored, so it would take a first script of any size
//   sieve_quota_max_scripts   x:SieveUserInterpreter.maxScripts (empty: no limit)
//   sieve_quota_max_storage   the account's maxSieveStorage, else maxStorage (empty: no limit)

import { singletonValue } from '../objects/define';
import { sieveUserInterpreter } from '../objects/sieve';
import type { Store } from '../store/records';

type Obj = Record<string, unknown>;

const limit = (v: unknown): string => (typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? String(v) : '0');

/** The account's own Sieve byte quota, or null when it takes the default. */
export const ownSieveStorage = (account: Obj): number | null => (typeof account.maxSieveStorage === 'number' ? account.maxSieveStorage : null);

export function sieveQuotaFields(store: Store, account: Obj): Record<string, string> {
  const global = singletonValue(store, sieveUserInterpreter);
  const storage = limit(ownSieveStorage(account) ?? global.maxStorage);
  const size = limit(global.maxScriptSize);
  const capped = storage !== '0' && (size === '0' || Number(storage) < Number(size)) ? storage : size;
  return { sieve_max_script_size: capped, sieve_quota_max_scripts: limit(global.maxScripts), sieve_quota_max_storage: storage };
}
