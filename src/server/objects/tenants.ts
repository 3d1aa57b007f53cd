// Management › Directory › Tenants: x:Tenant in Stalwart 0.16's shape, with the fields this
// server honours (name, createdAt, logo). Stalwart's roles, permissions, quotas and
// usedDiskQuota are not here: nothing on this server would apply them yet, and a field
// that is stored but has no effect would mislead. Postern's own field says so.

import { utcDateTime } from '../../shared/schema/validate';
import { ascending, descriptionProperty, labelled, listPage, textProperty } from './builders';
import type { ObjectDef } from './define';

/** A logo is a URL or a data: URL of a small image. */
const MAX_LOGO_LENGTH = 100_000;

export const tenant: ObjectDef = {
  name: 'x:Tenant',
  description: 'An organisation sharing this server: its accounts and roles are managed together.',
  permissionPrefix: 'sysTenant',
  fields: {
    properties: {
      name: textProperty('Name of the tenant', 'mutable', { maxLength: 255 }),
      createdAt: { description: 'When the tenant was created', type: { type: 'utcDateTime' }, update: 'serverSet' },
      logo: textProperty('The tenant\u2019s logo: an image address, or the image itself as a data URL', 'mutable', { nullable: true, maxLength: MAX_LOGO_LENGTH }),
      description: descriptionProperty('Postern extension: description of the tenant'),
    },
    defaults: { logo: null, description: null },
  },
  unique: ['name'],
  indexed: ['name', 'createdAt'],
  onCreate(value) {
    value.createdAt = utcDateTime();
  },
  form: {
    title: 'Tenant',
    sections: [{ fields: labelled({ name: 'Name', description: 'Description', logo: 'Logo', createdAt: 'Created at' }) }],
  },
  list: listPage({
    title: 'Tenants',
    subtitle: 'Organisations sharing this server',
    singularName: 'tenant', pluralName: 'tenants',
    labelProperty: 'name',
    columns: labelled({ name: 'Name', description: 'Description', createdAt: 'Created' }),
    filters: [{ type: 'text', field: 'name', label: 'Name' }],
    sort: ascending('name'),
    related: [{ type: 'query', label: 'Show roles', objectName: 'x:Role', fieldName: 'memberTenantId' }],
  }),
};
