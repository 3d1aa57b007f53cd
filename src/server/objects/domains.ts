// Management › Directory › Domains: x:Domain in Stalwart 0.16's shape (only the fields the
// embedded server honours), and x:EmailAlias, the alias item accounts and lists share.
// Mail for an enabled domain (or an alias of one) is accepted by Postfix; mail/directory.ts
// answers from these records and the name index (objects/addresses.ts).

import type { SetError } from '../../shared/jmap/errors';
import { validationFailed } from '../../shared/jmap/errors';
import type { ValidationError } from '../../shared/schema/validate';
import { utcDateTime } from '../../shared/schema/validate';
import type { FieldsEntry } from '../../shared/schema/types';
import { domainConflict, writeDomainNames } from './addresses';
import { ascending, descriptionProperty, labelled, listPage, textProperty } from './builders';
import type { ObjectDef } from './define';
import { DOMAIN_QUOTA_PROPERTIES, domainQuotasWritten } from './quotas';

type Obj = Record<string, unknown>;

/**
 * Why a domain name is refused, or null. Seed 002's rules (not empty, no `@`, no `/`, at most
 * 255 characters) and a host name's: dot-separated labels of letters, digits and hyphens, each
 * 1 to 63 characters, not starting or ending with a hyphen. Checked lower-case.
 */
export function domainNameProblem(name: string): string | null {
  if (name.trim() === '') return 'A domain name cannot be empty';
  if (name.includes('@')) return 'A domain name cannot contain "@"';
  if (name.includes('/')) return 'A domain name cannot contain "/"';
  if (name.length > 255) return 'A domain name has at most 255 characters';
  const labels = name.split('.');
  if (labels.some((l) => l === '')) return 'A domain name cannot start or end with a dot, nor have two dots in a row';
  for (const l of labels) {
    if (!/^[a-z0-9-]+$/.test(l)) return `"${l}" is not a host name label: use letters a–z, digits and "-" (write other scripts in their xn-- form)`;
    if (l.length > 63) return `"${l.slice(0, 20)}…" has more than 63 characters: a host name label has at most 63`;
    if (l.startsWith('-') || l.endsWith('-')) return `"${l}" cannot start or end with "-"`;
  }
  return null;
}

/**
 * Why a local part (the part of an address before `@`: an account's, list's or alias's
 * name) is refused, or null. Seed 002's user name rules (not empty, no `/`) and the
 * characters every mail daemon takes as they are.
 */
export function localPartProblem(name: string): string | null {
  if (name === '') return 'A name cannot be empty';
  if (name.includes('@')) return 'Give only the part before "@": the domain is chosen separately';
  if (!/^[A-Za-z0-9._+-]+$/.test(name)) return 'A name before "@" can use letters (a–z, A–Z), digits and . _ - + only';
  if (name.startsWith('.') || name.endsWith('.') || name.includes('..')) return 'A name before "@" cannot start or end with a dot, nor have two dots in a row';
  return null;
}

/** Seed 002: mail addresses are restricted to ASCII. The errors for the addresses of `property`. */
export function nonAsciiErrors(property: string, addresses: string[]): ValidationError[] {
  return addresses
    .filter((a) => !/^[\x21-\x7e]+$/.test(a))
    .map((a) => ({ type: 'Invalid' as const, property, description: `${a}: addresses are restricted to ASCII characters (write an international domain in its xn-- form)`, value: a }));
}

export const EMAIL_ALIAS_FIELDS: FieldsEntry = {
  properties: {
    name: textProperty('The part of the alias before "@"', 'mutable', { maxLength: 64 }),
    domainId: {
      description: 'Domain of the alias',
      type: { type: 'objectId', objectName: 'x:Domain' },
      update: 'mutable',
    },
    enabled: { description: 'Whether mail to the alias is accepted', type: { type: 'boolean' }, update: 'mutable' },
    description: descriptionProperty('What the alias is for'),
  },
  defaults: { enabled: true },
};

/** Errors of the aliases of an account or list (their local parts), at `aliases/<n>/name`. */
export function aliasErrors(value: Obj): ValidationError[] {
  const out: ValidationError[] = [];
  for (const [k, a] of Object.entries((value.aliases as Obj | undefined) ?? {})) {
    const name = (a as Obj).name;
    const problem = typeof name === 'string' ? localPartProblem(name) : null;
    if (problem) out.push({ type: 'Invalid', property: `aliases/${k}/name`, description: problem, value: name });
  }
  return out;
}

/** Lower-cases a domain's name and aliases (in place) and says what is wrong with them. */
function normalise(value: Obj): SetError | null {
  const errors: ValidationError[] = [];
  if (typeof value.name === 'string') {
    value.name = value.name.toLowerCase();
    const problem = domainNameProblem(value.name as string);
    if (problem) errors.push({ type: 'Invalid', property: 'name', description: problem, value: value.name });
  }
  const aliases: Obj = {};
  for (const a of Object.keys((value.aliases as Obj | undefined) ?? {})) {
    const lower = a.toLowerCase();
    const problem = domainNameProblem(lower);
    if (problem) errors.push({ type: 'Invalid', property: 'aliases', description: `${a}: ${problem}`, value: a });
    aliases[lower] = true;
  }
  value.aliases = aliases;
  if (typeof value.catchAllAddress === 'string') value.catchAllAddress = value.catchAllAddress.toLowerCase();
  return errors.length ? validationFailed(errors) : null;
}

export const domain: ObjectDef = {
  name: 'x:Domain',
  description: 'A mail domain this server receives mail for, with its aliases and catch-all address.',
  permissionPrefix: 'sysDomain',
  fields: {
    properties: {
      name: textProperty('Domain name, such as example.org (lower-case). Postern: fixed once created; to rename, create the new domain', 'immutable', {
        maxLength: 255,
      }),
      aliases: {
        description: 'Other domain names whose mail goes to this domain: mail to someone@alias is mail to someone@name',
        type: { type: 'set', class: { type: 'string' } },
        update: 'mutable',
      },
      isEnabled: {
        description: 'Whether mail for this domain is accepted and its accounts can log in to IMAP and SMTP',
        type: { type: 'boolean' },
        update: 'mutable',
      },
      catchAllAddress: {
        description: 'Where mail for an unknown address of this domain goes; refused when empty',
        type: { type: 'string', format: 'emailAddress', nullable: true },
        update: 'mutable',
      },
      description: descriptionProperty('Description of the domain'),
      createdAt: { description: 'When the domain was created', type: { type: 'utcDateTime' }, update: 'serverSet' },
      ...DOMAIN_QUOTA_PROPERTIES,
    },
    defaults: { isEnabled: true },
  },
  extraFields: { 'x:EmailAlias': EMAIL_ALIAS_FIELDS },
  extraForms: { 'x:EmailAlias': { sections: [{ fields: labelled({ name: 'Name', domainId: 'Domain', enabled: 'Enabled', description: 'Description' }) }] } },
  unique: ['name'],
  indexed: ['name'],
  onCreate(value) {
    value.createdAt = utcDateTime();
  },
  check(ctx, id, next) {
    return normalise(next) ?? domainConflict(ctx.store, id, next);
  },
  afterWrite(ctx, id, next, prev) {
    writeDomainNames(ctx.store, id, next);
    if (!ctx.dryRun) domainQuotasWritten(ctx.store, id, next, prev); // a refresh of its accounts, after the commit
  },
  // Accounts, aliases and lists in the domain hold references to it: destroy answers
  // objectIsLinked before this runs. What is left is the name index.
  checkDestroy(ctx, id) {
    writeDomainNames(ctx.store, id, null);
    return null;
  },
  form: {
    title: 'Domain',
    subtitle: 'A domain this server receives mail for',
    sections: [
      { title: 'Domain', fields: labelled({ name: 'Domain name', description: 'Description', isEnabled: 'Enabled' }) },
      { title: 'Email', fields: labelled({ aliases: 'Domain aliases', catchAllAddress: 'Catch-all address', quotas: 'Default quotas' }) },
      { title: 'Details', fields: labelled({ createdAt: 'Created' }) },
    ],
  },
  list: listPage({
    title: 'Domains',
    subtitle: 'Domains this server receives mail for',
    singularName: 'domain', pluralName: 'domains',
    labelProperty: 'name',
    columns: labelled({ name: 'Domain name', isEnabled: 'Enabled', description: 'Description' }),
    filters: [{ type: 'text', field: 'name', label: 'Domain name' }],
    sort: ascending('name'),
    related: [
      { type: 'query', label: 'Show accounts', objectName: 'x:Account', fieldName: 'domainId' },
      { type: 'query', label: 'Show mailing lists', objectName: 'x:MailingList', fieldName: 'domainId' },
    ],
  }),
};
