// The extra fields of an account's Dovecot userdb answer (the checkpassword bridge, on every
// login and every delivery: nothing is cached, so a changed limit applies to the next one).
//
// Quotas: the limits that apply, resolved user → domain → global when asked (never the
// values stored on the account, which only serve lists): `quota_rule` in bytes and
// `quota_rule2` in messages, 0 meaning unlimited as Dovecot reads it. Both are always
// answered, so the plugin section (services/dovecotQuota.ts) needs no rule of its own and a
// changed global default needs no reload. Sieve's limits come from sieveQuota.ts.

import type { Store } from '../store/records';
import { accountLevels, domainLevels, globalLevels, resolve } from '../objects/quotas';
import { sieveQuotaFields } from './sieveQuota';

type Obj = Record<string, unknown>;

export function quotaFields(store: Store, account: Obj): Record<string, string> {
  const own = accountLevels(account);
  const domain = domainLevels(store, account.domainId);
  const global = globalLevels(store);
  const size = resolve(own.size, domain.size, global.size) ?? 0;
  const count = resolve(own.count, domain.count, global.count) ?? 0;
  return { quota_rule: `*:bytes=${size}`, quota_rule2: `*:messages=${count}` };
}

export function userdbExtras(store: Store, account: Obj): Record<string, string> {
  return { ...quotaFields(store, account), ...sieveQuotaFields(store, account) };
}
