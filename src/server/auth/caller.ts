// Who is calling: the signed-in account and what it may do.

import type { Store } from '../store/records';
import { accountPermissions } from './permissions';

export interface Caller {
  accountId: string;
  name: string;
  permissions: Set<string>;
}

/** The name an account signs in with: its address, or its name when it has no domain. */
export function signInName(account: Record<string, unknown>): string {
  return typeof account.emailAddress === 'string' ? account.emailAddress : String(account.name);
}

/** The account's permissions: its roles, its groups' and its own (auth/permissions.ts). */
export function callerFor(store: Store, accountId: string): Caller | null {
  const account = store.get('x:Account', accountId);
  if (!account || account['@type'] !== 'User') return null;
  return { accountId, name: signInName(account), permissions: accountPermissions(store, account) };
}
