// Who is calling: the signed-in account and what it may do.

import type { Store } from '../store/records';
import { effectivePermissions } from './permissions';

export interface Caller {
  accountId: string;
  name: string;
  permissions: Set<string>;
}

type Obj = Record<string, unknown>;
const members = (v: unknown): string[] => Object.keys((v as Obj | null | undefined) ?? {});

/** The account's permissions: its own roles plus the roles of the groups it is in. */
export function callerFor(store: Store, accountId: string): Caller | null {
  const account = store.get('x:Account', accountId);
  if (!account || account['@type'] !== 'User') return null;
  const roles = members(account.roles);
  for (const gid of members(account.memberGroupIds)) roles.push(...members(store.get('x:Account', gid)?.roles));
  return { accountId, name: String(account.name), permissions: effectivePermissions(store, roles) };
}
