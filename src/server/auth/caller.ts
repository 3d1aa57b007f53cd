// Who is calling: the signed-in account and what it may do.

import type { Store } from '../store/records';
import { accountRoleIds, effectivePermissions } from './permissions';

export interface Caller {
  accountId: string;
  name: string;
  permissions: Set<string>;
}

/** The account's permissions: its own roles plus the roles of the groups it is in. */
export function callerFor(store: Store, accountId: string): Caller | null {
  const account = store.get('x:Account', accountId);
  if (!account || account['@type'] !== 'User') return null;
  return { accountId, name: String(account.name), permissions: effectivePermissions(store, accountRoleIds(store, account)) };
}
