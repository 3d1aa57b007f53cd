// Management › Directory › Mailing lists: x:MailingList in Stalwart 0.16's shape, James's
// address groups (seed 002): mail to the list's address, or to one of its aliases, goes to
// every recipient. Its address is unique among accounts, aliases and lists.

import type { SetError } from '../../shared/jmap/errors';
import { validationFailed } from '../../shared/jmap/errors';
import type { ValidationError } from '../../shared/schema/validate';
import { addressConflict, claimsOf, writeAddresses } from './addresses';
import { ascending, descriptionProperty, labelled, listPage, textProperty } from './builders';
import type { ObjectDef, WriteContext } from './define';
import { aliasErrors, localPartProblem, nonAsciiErrors } from './domains';

type Obj = Record<string, unknown>;

/** Lower-cases the recipients (in place), sets the address, and checks names and addresses. */
function check(ctx: WriteContext, id: string, next: Obj): SetError | null {
  const errors: ValidationError[] = [];
  const problem = typeof next.name === 'string' ? localPartProblem(next.name) : null;
  if (problem) errors.push({ type: 'Invalid', property: 'name', description: problem, value: next.name });
  errors.push(...aliasErrors(next), ...nonAsciiErrors('recipients', Object.keys((next.recipients as Obj | undefined) ?? {})));
  if (errors.length) return validationFailed(errors);
  const recipients: Obj = {};
  for (const r of Object.keys((next.recipients as Obj | undefined) ?? {})) recipients[r.toLowerCase()] = true;
  next.recipients = recipients;
  const domain = ctx.store.get('x:Domain', String(next.domainId));
  next.emailAddress = domain ? `${String(next.name).toLowerCase()}@${String(domain.name)}` : null;
  if (next.emailAddress && recipients[next.emailAddress as string]) {
    return validationFailed([{ type: 'Invalid', property: 'recipients', description: 'A list cannot be one of its own recipients', value: next.emailAddress }]);
  }
  return addressConflict(ctx.store, 'x:MailingList', id, claimsOf(next));
}

export const mailingList: ObjectDef = {
  name: 'x:MailingList',
  description: 'A mailing list: mail to its address goes to every recipient.',
  permissionPrefix: 'sysMailingList',
  fields: {
    properties: {
      name: textProperty('The part of the list\u2019s address before "@"', 'mutable', { maxLength: 64 }),
      domainId: { description: 'Domain of the list\u2019s address', type: { type: 'objectId', objectName: 'x:Domain' }, update: 'mutable' },
      emailAddress: {
        description: 'The list\u2019s address, name@domain (set by the server)',
        type: { type: 'string', format: 'emailAddress', nullable: true },
        update: 'serverSet',
      },
      recipients: {
        description: 'Addresses that receive the list\u2019s mail (local or elsewhere)',
        type: { type: 'set', class: { type: 'string', format: 'emailAddress' }, minItems: 1 },
        update: 'mutable',
      },
      aliases: {
        description: 'Other addresses of the list',
        type: { type: 'objectList', objectName: 'x:EmailAlias' },
        update: 'mutable',
      },
      description: descriptionProperty('What the list is for'),
      memberTenantId: {
        description: 'Tenant this list belongs to',
        type: { type: 'objectId', objectName: 'x:Tenant', nullable: true },
        update: 'mutable',
      },
    },
  },
  indexed: ['emailAddress', 'domainId', 'memberTenantId'],
  check: (ctx, id, next) => check(ctx, id, next),
  afterWrite(ctx, id, next) {
    writeAddresses(ctx.store, 'x:MailingList', id, claimsOf(next));
  },
  checkDestroy(ctx, id) {
    writeAddresses(ctx.store, 'x:MailingList', id, []);
    return null;
  },
  form: {
    title: 'Mailing list',
    subtitle: 'Mail to the list goes to every recipient',
    sections: [
      {
        title: 'Mailing List',
        fields: labelled({ name: 'Name', domainId: 'Domain', emailAddress: 'Address', description: 'Description', recipients: 'Recipients', aliases: 'Aliases' }),
      },
      { title: 'Details', fields: labelled({ memberTenantId: 'Tenant' }) },
    ],
  },
  list: listPage({
    title: 'Mailing lists',
    subtitle: 'Addresses whose mail goes to several recipients',
    singularName: 'mailing list', pluralName: 'mailing lists',
    labelProperty: 'emailAddress',
    columns: labelled({ emailAddress: 'Address', description: 'Description' }),
    filters: [
      { type: 'text', field: 'emailAddress', label: 'Address' },
      { type: 'objectId', field: 'domainId', label: 'Domain', objectName: 'x:Domain' },
      { type: 'objectId', field: 'memberTenantId', label: 'Tenant', objectName: 'x:Tenant' },
    ],
    sort: ascending('emailAddress'),
  }),
};
