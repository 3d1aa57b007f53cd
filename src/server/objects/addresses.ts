// The directory's name indexes (store migration 5): every x:Domain name and alias in
// mail_domains, every address of an account or a mailing list (primary and aliases) in
// mail_addresses. They make addresses unique across accounts, aliases and lists, and let
// the mail daemons' lookups (mail/directory.ts) answer without scanning. Written in the
// /set transaction of the record they come from, so they roll back with it.

import type { SetError } from '../../shared/jmap/errors';
import type { ValidationError } from '../../shared/schema/validate';
import { validationFailed } from '../../shared/jmap/errors';
import type { Store } from '../store/records';
import { statement } from '../store/statements';

type Obj = Record<string, unknown>;

/** One address a record claims: `local` lower-case, `property` where the record says it. */
export interface Claim {
  local: string;
  domainId: string;
  alias: boolean;
  enabled: boolean;
  property: string;
}

/** The addresses of an account or list: its name in its domain, then each alias. */
export function claimsOf(value: Obj): Claim[] {
  const out: Claim[] = [];
  if (typeof value.name === 'string' && typeof value.domainId === 'string') {
    out.push({ local: value.name.toLowerCase(), domainId: value.domainId, alias: false, enabled: true, property: 'name' });
  }
  for (const [k, a] of Object.entries((value.aliases as Obj | undefined) ?? {})) {
    const alias = a as Obj;
    if (typeof alias.name !== 'string' || typeof alias.domainId !== 'string') continue;
    out.push({ local: alias.name.toLowerCase(), domainId: alias.domainId, alias: true, enabled: alias.enabled !== false, property: `aliases/${k}/name` });
  }
  return out;
}

const sql = (store: Store) => ({
  addressOwner: statement(store, 'SELECT owner_type AS type, owner_id AS id FROM mail_addresses WHERE local = ? AND domain_id = ?'),
  dropAddresses: statement(store, 'DELETE FROM mail_addresses WHERE owner_id = ? AND owner_type = ?'),
  addAddress: statement(store, 'INSERT INTO mail_addresses (local, domain_id, owner_type, owner_id, is_alias, enabled) VALUES (?, ?, ?, ?, ?, ?)'),
  domainOwner: statement(store, 'SELECT domain_id AS id FROM mail_domains WHERE name = ?', { pluck: true }),
  dropDomain: statement(store, 'DELETE FROM mail_domains WHERE domain_id = ?'),
  addDomain: statement(store, 'INSERT INTO mail_domains (name, domain_id, is_alias) VALUES (?, ?, ?)'),
});

/** A domain's name as the record shows it (for messages). */
function domainName(store: Store, domainId: string): string {
  return String(store.get('x:Domain', domainId)?.name ?? domainId);
}

/**
 * Why the claims cannot be taken by record `ownerId` of `ownerType`: an address given twice
 * in the record (validationFailed on the later property) or owned by another account or list
 * (primaryKeyViolation on the property, naming the owner). Null when all are free.
 */
export function addressConflict(store: Store, ownerType: string, ownerId: string, claims: Claim[]): SetError | null {
  const seen = new Map<string, Claim>();
  const twice: ValidationError[] = [];
  for (const c of claims) {
    const key = `${c.local}@${c.domainId}`;
    const first = seen.get(key);
    if (first) {
      twice.push({ type: 'Invalid', property: c.property, description: `${c.local}@${domainName(store, c.domainId)} is already given at ${first.property}`, value: c.local });
    } else seen.set(key, c);
  }
  if (twice.length) return validationFailed(twice);
  for (const c of claims) {
    const other = sql(store).addressOwner.get(c.local, c.domainId) as { type: string; id: string } | undefined;
    if (!other || (other.type === ownerType && other.id === ownerId)) continue;
    const record = store.get(other.type, other.id);
    const owner = other.type === 'x:MailingList' ? 'mailing list' : record?.['@type'] === 'Group' ? 'group' : 'account';
    const address = `${c.local}@${domainName(store, c.domainId)}`;
    return {
      type: 'primaryKeyViolation',
      description: `The address ${address} is already used by the ${owner} ${String(record?.emailAddress ?? other.id)}`,
      properties: [c.property],
      objectId: { object: other.type, id: other.id },
    };
  }
  return null;
}

/** Replaces the addresses a record owns with `claims` (none when it is destroyed). */
export function writeAddresses(store: Store, ownerType: string, ownerId: string, claims: Claim[]): void {
  const s = sql(store);
  s.dropAddresses.run(ownerId, ownerType);
  for (const c of claims) s.addAddress.run(c.local, c.domainId, ownerType, ownerId, c.alias ? 1 : 0, c.enabled ? 1 : 0);
}

/** The names a domain answers to: its name (property `name`), then each alias. */
export function domainClaims(value: Obj): { name: string; alias: boolean; property: string }[] {
  const out = typeof value.name === 'string' ? [{ name: value.name, alias: false, property: 'name' }] : [];
  for (const a of Object.keys((value.aliases as Obj | undefined) ?? {})) out.push({ name: a, alias: true, property: 'aliases' });
  return out;
}

/** Why a domain cannot take these names: one given twice, or a name or alias of another domain. */
export function domainConflict(store: Store, domainId: string, value: Obj): SetError | null {
  const claims = domainClaims(value);
  const own = claims.find((c) => c.alias && c.name === value.name);
  if (own) {
    return validationFailed([{ type: 'Invalid', property: 'aliases', description: `${own.name} is the domain's own name, not an alias`, value: own.name }]);
  }
  for (const c of claims) {
    const other = sql(store).domainOwner.get(c.name) as string | undefined;
    if (!other || other === domainId) continue;
    return {
      type: 'primaryKeyViolation',
      description: `${c.name} is already the name or an alias of domain ${domainName(store, other)}`,
      properties: [c.property],
      objectId: { object: 'x:Domain', id: other },
    };
  }
  return null;
}

export function writeDomainNames(store: Store, domainId: string, value: Obj | null): void {
  const s = sql(store);
  s.dropDomain.run(domainId);
  for (const c of value ? domainClaims(value) : []) s.addDomain.run(c.name, domainId, c.alias ? 1 : 0);
}

/** The id of the domain a name (or alias) belongs to. */
export function domainIdByName(store: Store, name: string): string | null {
  return (sql(store).domainOwner.get(name.toLowerCase()) as string | undefined) ?? null;
}
