// What the mail daemons ask of the directory (issue 10): which domains are local, which
// addresses are mailboxes, where an address's mail goes, and who may log in. Postfix asks
// through the socketmap server (socketmap.ts), Dovecot through the checkpassword bridge
// (authSocket.ts). Every answer is read from the store when asked, through indexed lookups
// (mail_domains and mail_addresses, kept by objects/addresses.ts; x:AddressForward's unique
// address index), so a change takes effect at once and nothing scans the directory.

import type { Store } from '../store/records';
import { accountSecrets } from '../auth/signIn';
import { userdbExtras } from './userdbExtras';
import { statement } from '../store/statements';

export { accountSecrets } from '../auth/signIn';

type Obj = Record<string, unknown>;

export interface MailLogin {
  accountId: string;
  /** The account's primary address (lower-case). */
  address: string;
  /** Every usable secret hash (Password and AppPassword credentials not expired); none for a group. */
  secrets: string[];
  /** The mailbox directory relative to the mail root: '<domain>/<local>'. */
  home: string;
  /** Extra userdb fields (quota_rule, …: userdbExtras.ts), answered to Dovecot as they are. */
  fields?: Record<string, string>;
}

export interface MailDirectory {
  /** An enabled local domain or an alias of one (lower-case input). */
  isLocalDomain(domain: string): boolean;
  /** The canonical mailbox address (lower-case) when `address` is a User's or Group's primary address in an enabled domain; else null. */
  mailbox(address: string): string | null;
  /**
   * Postfix virtual_alias_maps semantics. `key` is 'local@domain' or '@domain'.
   * - an account alias (enabled) → [its account's address]
   * - x@domainAlias → [x@domain]
   * - a mailing list address or alias → its recipients
   * - a forwarded user address → the forward's destinations (itself among them = keep a copy)
   * - a mailbox address with no forward → [itself] (so a catch-all never captures it)
   * - '@domain' with a catchAllAddress → [catchAllAddress]
   * - otherwise null
   */
  aliasTargets(key: string): string[] | null;
  /** For IMAP/SMTP login and LMTP delivery: a User (or Group, secrets []) by address or alias; null when unknown or its domain disabled. */
  login(address: string): MailLogin | null;
}

interface DomainRow { domain_id: string; is_alias: number }
interface AddressRow { owner_type: string; owner_id: string; is_alias: number; enabled: number }

const sql = (store: Store) => ({
  domain: statement(store, 'SELECT domain_id, is_alias FROM mail_domains WHERE name = ?'),
  address: statement(store, 'SELECT owner_type, owner_id, is_alias, enabled FROM mail_addresses WHERE local = ? AND domain_id = ?'),
});

/** 'Local@Domain' → ['local', 'domain'], or null when it is not one address ('@domain' gives local ''). */
export function splitAddress(address: string): [string, string] | null {
  const at = address.lastIndexOf('@');
  if (at < 0 || at === address.length - 1) return null;
  return [address.slice(0, at).toLowerCase(), address.slice(at + 1).toLowerCase()];
}

export function mailDirectory(store: Store): MailDirectory {
  const q = sql(store);

  /** The enabled domain a name stands for (itself or by alias), or null. */
  const domainOf = (name: string): { id: string; record: Obj; alias: boolean } | null => {
    const row = q.domain.get(name.toLowerCase()) as DomainRow | undefined;
    if (!row) return null;
    const record = store.get('x:Domain', row.domain_id);
    if (!record || record.isEnabled === false) return null;
    return { id: row.domain_id, record, alias: row.is_alias === 1 };
  };

  /** Who owns local@domain (the canonical domain's id), when the address is in use and enabled. */
  const owner = (local: string, domainId: string): { type: string; id: string; alias: boolean; record: Obj } | null => {
    const row = q.address.get(local, domainId) as AddressRow | undefined;
    if (!row || row.enabled !== 1) return null;
    const record = store.get(row.owner_type, row.owner_id);
    return record ? { type: row.owner_type, id: row.owner_id, alias: row.is_alias === 1, record } : null;
  };

  const addressOf = (record: Obj) => (typeof record.emailAddress === 'string' ? record.emailAddress : null);

  const members = (v: unknown) => Object.keys((v as Obj | null | undefined) ?? {}).map((a) => a.toLowerCase());

  /** local@domain in an enabled domain, its domain alias resolved: the canonical parts. */
  const canonical = (address: string) => {
    const parts = splitAddress(address);
    if (!parts || parts[0] === '') return null;
    const domain = domainOf(parts[1]);
    if (!domain) return null;
    return { local: parts[0], domain };
  };

  return {
    isLocalDomain(domain) {
      return domainOf(domain) !== null;
    },

    mailbox(address) {
      const c = canonical(address);
      if (!c || c.domain.alias) return null;
      const o = owner(c.local, c.domain.id);
      return o && o.type === 'x:Account' && !o.alias ? addressOf(o.record) : null;
    },

    aliasTargets(key) {
      const parts = splitAddress(key);
      if (!parts) return null;
      const [local, domainName] = parts;
      const domain = domainOf(domainName);
      if (!domain) return null;
      if (local === '') {
        const catchAll = domain.record.catchAllAddress;
        return typeof catchAll === 'string' && catchAll !== '' ? [catchAll.toLowerCase()] : null;
      }
      // x@alias is x@domain only when that address exists (or the domain catches all): an
      // unknown local part is refused at RCPT, not accepted and bounced later.
      if (domain.alias) {
        const catchAll = domain.record.catchAllAddress;
        return (q.address.get(local, domain.id) as AddressRow | undefined) || (typeof catchAll === 'string' && catchAll !== '') ? [`${local}@${String(domain.record.name)}`] : null;
      }
      const o = owner(local, domain.id);
      // A disabled alias answers with itself, which no mailbox has: refused, never caught by the catch-all.
      if (!o) return q.address.get(local, domain.id) ? [`${local}@${domainName}`] : null;
      if (o.type === 'x:MailingList') {
        const recipients = members(o.record.recipients);
        return recipients.length ? recipients : null;
      }
      const primary = addressOf(o.record);
      if (!primary) return null;
      if (o.alias) return [primary];
      const forwardId = store.findBy('x:AddressForward', 'address', primary);
      const forward = forwardId ? store.get('x:AddressForward', forwardId) : null;
      const destinations = members(forward?.destinations);
      return destinations.length ? destinations : [primary];
    },

    login(address) {
      const c = canonical(address);
      if (!c) return null;
      const o = owner(c.local, c.domain.id);
      if (!o || o.type !== 'x:Account') return null;
      const primary = addressOf(o.record);
      const parts = primary ? splitAddress(primary) : null;
      if (!primary || !parts) return null;
      return { accountId: o.id, address: primary, secrets: accountSecrets(o.record), home: `${parts[1]}/${parts[0]}`, fields: userdbExtras(store, o.record) };
    },
  };
}
