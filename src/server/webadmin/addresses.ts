// Mail addresses in WebAdmin paths: seed 002 restricts them to ASCII. Only their structure
// is checked here (one `@`, a local part and a domain); what a valid address is stays the
// schema's rule (EmailAddress), checked by the /set the route makes.

import type { Calls, Rec } from './calls';
import { invalid, WebAdminError } from './errors';
import { domainName, domainWithAlias, findDomain } from './domains';

export interface Address {
  /** lower-cased `local@domain` */
  address: string;
  local: string;
  domain: string;
}

/** `what` names the address in errors ("group", "group member", …). */
export function parseAddress(raw: string, what: string): Address {
  const at = raw.lastIndexOf('@');
  const bad = /[^\x21-\x7e]/.exec(raw);
  if (bad) throw invalid(`The ${what} address ${JSON.stringify(raw)} is not valid`, `Mail addresses are restricted to printable ASCII without spaces; ${JSON.stringify(bad[0])} is not allowed`);
  if (at <= 0 || at === raw.length - 1) throw invalid(`The ${what} address ${JSON.stringify(raw)} is not valid`, 'A mail address is local-part@domain');
  const local = raw.slice(0, at).toLowerCase();
  const domain = domainName(raw.slice(at + 1));
  return { address: `${local}@${domain}`, local, domain };
}

/** The x:Domain of an address, or 403 as seed 002 says when this server does not own it. */
export function ownedDomain(calls: Calls, a: Address, what: string): Rec {
  const found = findDomain(calls, a.domain);
  if (found) return found;
  const aliased = domainWithAlias(calls, a.domain);
  const why = aliased
    ? `${a.domain} is an alias of ${String(aliased.name)}: use ${a.local}@${String(aliased.name)}`
    : `${a.domain} is not a domain of this server (PUT /domains/${a.domain} adds it)`;
  throw new WebAdminError(403, 'InvalidArgument', `Server does not own the domain of the ${what} address ${a.address}`, why);
}

/** A JSON-pointer segment (RFC 6901): `~` and `/` escaped. */
export const pointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** The members of a Set<String> value ({member: true}), sorted. */
export const setMembers = (v: unknown): string[] =>
  v && typeof v === 'object' ? Object.entries(v as Record<string, unknown>).filter(([, on]) => on === true).map(([k]) => k).sort() : [];
