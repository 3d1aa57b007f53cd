// Management › Directory › Accounts: x:Account in Stalwart 0.16's shape, union `User`
// (x:UserAccount) / `Group` (x:GroupAccount). `name` is the local part and `domainId` the
// domain; Postern lets the domain be empty for accounts that only administer (the bootstrap
// `admin`): they sign in by name and have no mailbox. Everyone else signs in, and receives
// mail, at `emailAddress`, which the server sets.

import { removeMailStores } from '../mail/mailStore';
import type { SetError } from '../../shared/jmap/errors';
import { validationFailed } from '../../shared/jmap/errors';
import { utcDateTime, type ValidationError } from '../../shared/schema/validate';
import type { FieldsEntry, ItemAction, List, ListFilter } from '../../shared/schema/types';
import { endAccountSessions } from '../auth/oauthStore';
import { accountPermissions, accountRoleIds } from '../auth/permissions';
import { addressConflict, claimsOf, writeAddresses } from './addresses';
import { ascending, descriptionProperty, labelled, listPage, textProperty } from './builders';
import { ACCOUNT_FIELDS, ACCOUNT_NESTED_FORMS, ACCOUNT_SCHEMAS, completeCredentials, secretHashes } from './credentials';
import type { ObjectDef, WriteContext } from './define';
import { changed, escalation, outranks } from './directory';
import { aliasErrors, localPartProblem } from './domains';
import { lockoutCheck } from './lockout';
import { SIEVE_ACCOUNT_PROPERTIES, SIEVE_FORM_SECTION } from './sieve';
import { accountQuotasWritten, ACCOUNT_QUOTA_PROPERTIES, completeQuotaValues, QUOTA_FORM_SECTION, QUOTA_INDEXED } from './quotas';
import { statement } from '../store/statements';

type Obj = Record<string, unknown>;

const common = {
  name: textProperty('The part of the address before "@" (the sign-in name when the account has no domain)', 'immutable', {
    format: 'loginName',
    maxLength: 64,
  }),
  domainId: {
    description: 'Domain of the account. Postern: may be empty for an account that only administers; it signs in by name and has no mailbox',
    type: { type: 'objectId', objectName: 'x:Domain', nullable: true },
    update: 'immutable',
  },
  emailAddress: {
    description: 'The account\u2019s address, name@domain (set by the server); the sign-in name',
    type: { type: 'string', format: 'emailAddress', nullable: true },
    update: 'serverSet',
  },
  description: descriptionProperty('Full name or description'),
  aliases: {
    description: 'Other addresses whose mail goes to this account',
    type: { type: 'objectList', objectName: 'x:EmailAlias' },
    update: 'mutable',
  },
  permissions: {
    description: 'Permissions of the account itself, on top of or instead of its roles\u2019',
    type: { type: 'object', objectName: 'x:Permissions' },
    update: 'mutable',
  },
  locale: { description: 'Language and region, such as en_US', type: { type: 'string', maxLength: 32 }, update: 'mutable' },
  timeZone: { description: 'Time zone, such as Europe/Paris', type: { type: 'string', nullable: true, maxLength: 64 }, update: 'mutable' },
  memberTenantId: {
    description: 'Tenant this account belongs to',
    type: { type: 'objectId', objectName: 'x:Tenant', nullable: true },
    update: 'mutable',
  },
  createdAt: { description: 'When the account was created', type: { type: 'utcDateTime' }, update: 'serverSet' },
  ...ACCOUNT_QUOTA_PROPERTIES,
} satisfies FieldsEntry['properties'];

const defaults = { permissions: { '@type': 'Inherit' }, locale: 'en_US' };

const userFields: FieldsEntry = {
  properties: {
    ...common,
    ...SIEVE_ACCOUNT_PROPERTIES,
    roles: { description: 'Roles whose permissions the user has', type: { type: 'object', objectName: 'x:UserRoles' }, update: 'mutable' },
    credentials: {
      description: 'How the user signs in: passwords and app passwords (for mail clients). Secrets are stored hashed and never returned.',
      type: { type: 'objectList', objectName: 'x:Credential' },
      update: 'mutable',
    },
    memberGroupIds: {
      description: 'Groups this account is a member of; it has their roles too',
      type: { type: 'set', class: { type: 'objectId', objectName: 'x:Account/Group' } },
      update: 'mutable',
    },
  },
  defaults: { ...defaults, roles: { '@type': 'User' } },
};

const groupFields: FieldsEntry = {
  properties: {
    ...common,
    roles: { description: 'Roles the group gives its members', type: { type: 'object', objectName: 'x:Roles' }, update: 'mutable' },
  },
  defaults: { ...defaults, roles: { '@type': 'Default' } },
};

/** Another account without a domain that has this name (names are unique per domain). */
function sameNameWithoutDomain(ctx: WriteContext, name: string, id: string): string | null {
  const stmt = statement(ctx.store, `SELECT id FROM records WHERE type = 'x:Account' AND lower(json_extract(data, '$."name"')) = lower(?) AND json_extract(data, '$."domainId"') IS NULL AND id != ? LIMIT 1`, { pluck: true });
  return (stmt.get(name, id) as string | undefined) ?? null;
}

/** Names, aliases and the server-set address; `next` gets its emailAddress. */
function addressCheck(ctx: WriteContext, id: string, next: Obj, prev: Obj | null): SetError | null {
  const errors: ValidationError[] = [];
  if (!prev && typeof next.name === 'string') {
    const problem = localPartProblem(next.name);
    if (problem) errors.push({ type: 'Invalid', property: 'name', description: problem, value: next.name });
  }
  errors.push(...aliasErrors(next));
  if (errors.length) return validationFailed(errors);
  const domain = typeof next.domainId === 'string' ? ctx.store.get('x:Domain', next.domainId) : null;
  next.emailAddress = domain ? `${String(next.name).toLowerCase()}@${String(domain.name)}` : null;
  // An account from before domains (migrated) may be named like an address: that sign-in name stays its own.
  const named = domain && !prev ? sameNameWithoutDomain(ctx, String(next.emailAddress), id) : null;
  if (named) {
    return {
      type: 'primaryKeyViolation',
      description: `An account without a domain is named ${JSON.stringify(next.emailAddress)} and signs in with it: rename or remove that account first`,
      properties: ['name'],
      objectId: { object: 'x:Account', id: named },
    };
  }
  if (!domain) {
    const other = sameNameWithoutDomain(ctx, String(next.name), id);
    if (other) {
      return {
        type: 'primaryKeyViolation',
        description: `Another account without a domain is named ${JSON.stringify(next.name)}`,
        properties: ['name'],
        objectId: { object: 'x:Account', id: other },
      };
    }
  }
  return addressConflict(ctx.store, 'x:Account', id, claimsOf(next));
}

/** What the account holds (a user) or gives its members (a group). */
const held = (ctx: WriteContext, v: Obj | null) => accountPermissions(ctx.store, v);

/** Permissions the change gives the account (or its members) that the caller does not hold. */
function grants(ctx: WriteContext, next: Obj, prev: Obj | null): SetError | null {
  const groupsChanged = changed(prev, next, ['memberGroupIds']).length > 0;
  const byRoles = escalation(ctx, {
    prev,
    next,
    parents: groupsChanged ? 'memberGroupIds' : 'roles',
    parentsOf: (v) => accountRoleIds(ctx.store, v),
  });
  if (byRoles) return byRoles;
  const before = held(ctx, prev);
  const missing = [...held(ctx, next)].filter((p) => !before.has(p) && !ctx.caller.permissions.has(p)).sort();
  if (missing.length === 0) return null;
  const touched = changed(prev, next, ['roles', 'permissions', 'memberGroupIds']);
  return {
    type: 'forbidden',
    description: `You are not authorized to grant permissions: ${missing.join(', ')}`,
    properties: touched.length ? touched : ['permissions'],
  };
}

const label = (v: Obj) => String(v.emailAddress ?? v.name);

/** The forward of a user's address, which must go before the user does. */
function forwardOf(ctx: WriteContext, account: Obj): string | null {
  return typeof account.emailAddress === 'string' ? ctx.store.findBy('x:AddressForward', 'address', account.emailAddress) : null;
}

function accountList(
  words: Pick<List, 'title' | 'subtitle' | 'singularName' | 'pluralName'>,
  filters: ListFilter[],
  kind?: 'User' | 'Group',
  related: ItemAction[] = [],
): List {
  return listPage({
    ...words,
    labelProperty: 'name',
    columns: labelled({ emailAddress: 'Address', name: 'Name', description: 'Description', roles: 'Roles', occupationRatio: 'Mailbox usage' }),
    filters,
    ...(kind ? { filtersStatic: { '@type': kind } } : {}),
    sort: ascending('emailAddress'),
    related,
  });
}

const filters: ListFilter[] = [
  { type: 'text', field: 'emailAddress', label: 'Address' },
  { type: 'text', field: 'name', label: 'Name' },
  { type: 'objectId', field: 'domainId', label: 'Domain', objectName: 'x:Domain' },
  { type: 'objectId', field: 'memberTenantId', label: 'Tenant', objectName: 'x:Tenant' },
];
const userFilters: ListFilter[] = [...filters, { type: 'objectId', field: 'memberGroupIds', label: 'Member of', objectName: 'x:Account/Group' }];

const sections = {
  account: (title: string) => ({ title, fields: labelled({ name: 'Name', domainId: 'Domain', emailAddress: 'Address', description: 'Description' }) }),
  email: { title: 'Email', fields: labelled({ aliases: 'Aliases' }) },
  locale: { title: 'Locale & Time Zone', fields: labelled({ locale: 'Locale', timeZone: 'Time zone' }) },
  details: { title: 'Details', fields: labelled({ createdAt: 'Created' }) },
};
const userForm = {
  title: 'User account',
  sections: [
    sections.account('User Account'),
    { title: 'Authentication', fields: labelled({ credentials: 'Credentials' }) },
    { title: 'Groups & Roles', fields: labelled({ memberGroupIds: 'Member of groups', roles: 'Roles', permissions: 'Permissions', memberTenantId: 'Tenant' }) },
    sections.email, QUOTA_FORM_SECTION, SIEVE_FORM_SECTION, sections.locale, sections.details,
  ],
};
const groupForm = {
  title: 'Group account',
  sections: [
    sections.account('Group Account'),
    { title: 'Roles', fields: labelled({ roles: 'Roles', permissions: 'Permissions', memberTenantId: 'Tenant' }) },
    sections.email, QUOTA_FORM_SECTION, sections.locale, sections.details,
  ],
};

export const account: ObjectDef = {
  name: 'x:Account',
  description: 'A user who can sign in and receive mail, or a group account with its own mailbox.',
  permissionPrefix: 'sysAccount',
  variants: [
    { name: 'User', label: 'User', fields: userFields, schemaName: 'x:UserAccount' },
    { name: 'Group', label: 'Group', fields: groupFields, schemaName: 'x:GroupAccount' },
  ],
  schemas: ACCOUNT_SCHEMAS,
  extraFields: ACCOUNT_FIELDS,
  indexed: ['name', '@type', 'domainId', 'emailAddress', 'memberTenantId', ...QUOTA_INDEXED],
  onCreate(value) {
    value.createdAt = utcDateTime();
  },
  // Completes the stored value too: credential secrets hashed, the address set.
  check(ctx, id, next, prev) {
    if (prev) {
      const err = outranks(ctx, `Account "${label(prev)}"`, held(ctx, prev));
      if (err) return err;
    }
    const err = completeCredentials(next, prev) ?? addressCheck(ctx, id, next, prev) ?? grants(ctx, next, prev);
    if (!err) completeQuotaValues(ctx.store, next);
    return err ?? lockoutCheck(ctx.store, { type: 'x:Account', id, prev, next }, changed(prev, next, ['roles', 'permissions', 'memberGroupIds']));
  },
  afterWrite(ctx, id, next, prev) {
    writeAddresses(ctx.store, 'x:Account', id, claimsOf(next));
    if (!ctx.dryRun) accountQuotasWritten(ctx.store, id, next, prev);
    // A new, changed or removed secret ends the account's OAuth sessions: whoever knew the old one is out.
    if (prev && secretHashes(prev).join('\n') !== secretHashes(next).join('\n')) endAccountSessions(ctx.store.db, id);
  },
  // A deleted user's mail goes with it (mail/mailStore.ts), once the deletion committed.
  async apply(ctx, done) {
    const addresses = [...done.destroyed.values()].map((r) => r.emailAddress).filter((a): a is string => typeof a === 'string');
    if (addresses.length) await removeMailStores(ctx.store, addresses);
    return {};
  },
  checkDestroy(ctx, id, prev) {
    if (id === ctx.caller.accountId) return { type: 'forbidden', description: 'You cannot delete the account you are signed in with' };
    const err = outranks(ctx, `Account "${label(prev)}"`, held(ctx, prev)) ?? lockoutCheck(ctx.store, { type: 'x:Account', id, prev, next: null });
    if (err) return err;
    const forward = forwardOf(ctx, prev);
    if (forward) {
      return {
        type: 'objectIsLinked',
        description: `Mail to ${label(prev)} is forwarded (x:AddressForward ${forward}): delete the forward first`,
        linkedObjects: [{ object: 'x:AddressForward', id: forward }],
      };
    }
    writeAddresses(ctx.store, 'x:Account', id, []);
    return null;
  },
  // Stalwart's convention: the union's form only picks the variant; each variant's form is under its schema name.
  form: { title: 'Account', sections: [{ fields: labelled({ '@type': 'Type' }) }] },
  extraForms: { 'x:UserAccount': userForm, 'x:GroupAccount': groupForm, ...ACCOUNT_NESTED_FORMS },
  list: accountList({ title: 'Accounts', subtitle: 'Users and groups', singularName: 'account', pluralName: 'accounts' }, filters),
  views: {
    'x:Account/User': {
      description: 'Users who can sign in',
      filter: { '@type': 'User' },
      list: accountList({ title: 'Users', subtitle: 'People who sign in and receive mail', singularName: 'user', pluralName: 'users' }, userFilters, 'User'),
    },
    // The console's "fullest mailboxes": users by occupation, server-side (occupationRatio is indexed).
    'x:Account/Fullest': {
      description: 'Postern extension: users by how full their mailbox is, the fullest first',
      filter: { '@type': 'User' },
      list: listPage({
        title: 'Fullest mailboxes', subtitle: 'Users by how full their mailbox is, the fullest first', singularName: 'user', pluralName: 'users',
        labelProperty: 'name',
        columns: labelled({ emailAddress: 'Address', occupationRatio: 'Occupation', usedDiskQuota: 'Storage used', computedMaxDiskQuota: 'Storage limit', usedEmails: 'Messages', computedMaxEmails: 'Message limit' }),
        filters: [{ type: 'objectId', field: 'domainId', label: 'Domain', objectName: 'x:Domain' }, { type: 'integer', field: 'occupationRatioIsGreaterThanOrEqual', label: 'Minimum occupation (0 to 1)' }],
        filtersStatic: { '@type': 'User' },
        sort: [{ property: 'occupationRatio', isAscending: false }],
      }),
    },
    'x:Account/Group': {
      description: 'Group accounts',
      filter: { '@type': 'Group' },
      list: accountList(
        { title: 'Groups', subtitle: 'Group accounts: shared roles and a shared mailbox', singularName: 'group', pluralName: 'groups' },
        filters,
        'Group',
        [{ type: 'query', label: 'Show members', objectName: 'x:Account/User', fieldName: 'memberGroupIds' }],
      ),
    },
  },
};
