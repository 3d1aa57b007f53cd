import { describe, expect, it } from 'vitest';
import type { SchemaDocument } from '../../../shared/schema/types';
import { resolveView } from '../../schema/resolve';
import { parseWithUnit } from './cells';
import { planColumns } from './columns';
import { parseCsv } from './csv';
import { buildRow, placeSetError, wantedNames } from './rows';
import { SIZE_UNITS } from '../../lib/units';

// An account union in Stalwart's shapes: a user's credentials are a list of tagged items.
const doc: SchemaDocument = {
  objects: { 'x:Account': { type: 'object', permissionPrefix: 'sysAccount' }, 'x:Account/User': { type: 'view', objectName: 'x:Account' }, 'x:Domain': { type: 'object' } },
  schemas: {
    'x:Account': { type: 'multiple', variants: [{ name: 'User', label: 'User', schemaName: 'x:UserAccount' }, { name: 'Group', label: 'Group account', schemaName: 'x:GroupAccount' }] },
    'x:Credential': { type: 'multiple', variants: [{ name: 'Password', label: 'Password', schemaName: 'x:PasswordCredential' }, { name: 'AppPassword', label: 'App password', schemaName: 'x:AppCredential' }] },
    'x:UserRoles': { type: 'multiple', variants: [{ name: 'User', label: 'User' }, { name: 'Admin', label: 'Administrator' }] },
  },
  fields: {
    'x:UserAccount': {
      properties: {
        name: { description: 'Name', type: { type: 'string', format: 'loginName' }, update: 'immutable' },
        domainId: { description: 'Domain', type: { type: 'objectId', objectName: 'x:Domain', nullable: true }, update: 'immutable' },
        quota: { description: 'Quota', type: { type: 'number', format: 'size', nullable: true }, update: 'mutable' },
        disabled: { description: 'Off', type: { type: 'boolean' }, update: 'mutable' },
        locale: { description: 'Locale', type: { type: 'enum', enumName: 'Locale' }, update: 'mutable' },
        roles: { description: 'Roles', type: { type: 'object', objectName: 'x:UserRoles' }, update: 'mutable' },
        credentials: { description: 'Credentials', type: { type: 'objectList', objectName: 'x:Credential' }, update: 'mutable' },
        createdAt: { description: 'Created', type: { type: 'utcDateTime' }, update: 'serverSet' },
        extra: { description: 'Map', type: { type: 'map', keyClass: { type: 'string' }, valueClass: { type: 'string' } }, update: 'mutable' },
      },
    },
    'x:GroupAccount': { properties: { name: { description: 'Name', type: { type: 'string' }, update: 'immutable' } } },
    'x:PasswordCredential': {
      properties: {
        secret: { description: 'Secret', type: { type: 'string', format: 'secret', nullable: true }, update: 'mutable' },
        expiresAt: { description: 'Expires', type: { type: 'utcDateTime', nullable: true }, update: 'mutable' },
        credentialId: { description: 'Id', type: { type: 'string' }, update: 'serverSet' },
      },
    },
    'x:AppCredential': {
      properties: {
        description: { description: 'For', type: { type: 'string' }, update: 'mutable' },
        secret: { description: 'Secret', type: { type: 'string', format: 'secret', nullable: true }, update: 'mutable' },
      },
    },
  },
  forms: {
    'x:Account': { sections: [{ fields: [{ name: '@type', label: 'Kind' }] }] },
    'x:UserAccount': {
      sections: [{ fields: ['name', 'domainId', 'quota', 'disabled', 'locale', 'roles', 'credentials', 'createdAt', 'extra'].map((name) => ({ name, label: name === 'domainId' ? 'Domain' : name === 'quota' ? 'Disk quota' : name })) }],
    },
    'x:GroupAccount': { sections: [{ fields: [{ name: 'name', label: 'Group name' }] }] },
  },
  lists: { 'x:Domain': { title: 'Domains', subtitle: '', singularName: 'domain', pluralName: 'domains', labelProperty: 'name', columns: [{ name: 'name', label: 'Name' }] } },
  enums: { Locale: [{ name: 'en_US', label: 'English (US)' }, { name: 'de_DE', label: 'Deutsch' }] },
  layouts: [],
};

const users = resolveView(doc, 'x:Account/User')!;
const accounts = resolveView(doc, 'x:Account')!;
const domains = new Map([['example.test', 'd1']]);
const names = (objectName: string, name: string) => (objectName === 'x:Domain' ? domains.get(name.toLowerCase()) ?? null : undefined);

function build(view = users, text: string) {
  const [head, ...body] = parseCsv(text);
  const plan = planColumns(doc, view, head.fields);
  return { plan, rows: body.map((r) => buildRow(doc, plan, r, names)) };
}

describe('CSV columns and rows', () => {
  it('headers name fields by property or label, any case; a variant of a tagged list fills its one value field', () => {
    const { plan } = build(users, 'NAME,Domain,disk quota,password,app password,createdAt,extra,colour,name\n');
    expect(plan.columns.map((c) => c.target ?? c.ignored)).toEqual([
      { kind: 'property', name: 'name' },
      { kind: 'property', name: 'domainId' },
      { kind: 'property', name: 'quota' },
      { kind: 'item', property: 'credentials', variant: 'Password', field: 'secret' },
      'unknown', // an app password needs a description too: no single cell fills it
      'serverSet',
      'unsupported',
      'unknown',
      'twice',
    ]);
  });

  it('parses cells by type: sizes, booleans, enums by label, records by name, unions by variant', () => {
    const { rows } = build(users, 'name,domainId,quota,disabled,locale,roles,password\nann,Example.Test,1.5 GB,yes,deutsch,Administrator,s3cret \n');
    expect(rows[0].errors).toEqual([]);
    expect(rows[0].value).toEqual({
      '@type': 'User', name: 'ann', domainId: 'd1', quota: 1.5 * 1024 ** 3, disabled: true, locale: 'de_DE', roles: { '@type': 'Admin' },
      credentials: { 0: { '@type': 'Password', secret: 's3cret ' } },
    });
  });

  it("a cell an export guarded (a ' before =, +, -, @) imports as it was; a password stays as typed", () => {
    const { rows } = build(users, "name,password\n'-ann,'=pw\n");
    expect(rows[0].value).toEqual({ '@type': 'User', name: '-ann', credentials: { 0: { '@type': 'Password', secret: "'=pw" } } });
  });

  it('empty cells leave the field out; each bad cell gets its own error on its column', () => {
    const { rows } = build(users, 'name,domainId,quota,disabled,locale\nbob,,,,\ncid,nowhere.test,lots,maybe,fr\n');
    expect(rows[0].value).toEqual({ '@type': 'User', name: 'bob' });
    expect(rows[1].value).toBeNull();
    expect(rows[1].errors.map((e) => e.column)).toEqual([1, 2, 3, 4]);
    expect(rows[1].errors[0].message).toBe('No domain named “nowhere.test”');
    expect(rows[1].errors[2].message).toBe('Write true or false (yes or no)');
    expect(rows[1].errors[3].message).toBe('Not one of: English (US), Deutsch');
  });

  it('a union not fixed by the view takes its variant from the type column (by name or the form label)', () => {
    const { plan, rows } = build(accounts, 'Kind,name\nUser,ann\ngroup account,team\nrobot,x\n,y\n');
    expect(plan.columns[0].target).toEqual({ kind: 'type' });
    expect(rows[0].value).toEqual({ '@type': 'User', name: 'ann' });
    expect(rows[1].value).toEqual({ '@type': 'Group', name: 'team' });
    expect(rows[2].errors[0]).toMatchObject({ column: 0, message: 'Not one of: User, Group account' });
    expect(rows[3].errors[0].column).toBe(0);
  });

  it('a line with the wrong number of fields is an error of the row', () => {
    const { rows } = build(users, 'name,quota\nann\n');
    expect(rows[0].errors).toEqual([{ column: -1, message: 'This line has 1 fields, the header line 2' }]);
  });

  it('collects the record names to look up, once per object', () => {
    const [head, ...body] = parseCsv('name,domainId\na,x.test\nb,x.test\nc,y.test\n');
    const plan = planColumns(doc, users, head.fields);
    expect(wantedNames(doc, plan, body)).toEqual(new Map([['x:Domain', new Set(['x.test', 'y.test'])]]));
  });

  it('places a server error on the columns of the properties it names, else on the row', () => {
    const { plan } = build(users, 'name,password\n');
    const describe = () => ({ summary: 'Check the fields', fields: { name: 'Not a valid name' } });
    expect(placeSetError(plan, { type: 'primaryKeyViolation', properties: ['name'], description: 'The address a@b.test is already used' }, describe)).toEqual([
      { column: 0, property: 'name', message: 'The address a@b.test is already used' },
    ]);
    expect(placeSetError(plan, { type: 'validationFailed', properties: ['name', 'credentials/0/secret'], validationErrors: [
      { type: 'Invalid', property: 'name', description: 'bad' }, { type: 'Required', property: 'credentials/0/secret', description: 'needed' },
    ] }, describe).map((e) => e.column)).toEqual([0, 1]);
    expect(placeSetError(plan, { type: 'forbidden', description: 'No' }, describe)).toEqual([{ column: -1, property: undefined, message: 'No' }]);
  });

  it('reads sizes with and without units', () => {
    expect(parseWithUnit(SIZE_UNITS, '1 GB')).toBe(1024 ** 3);
    expect(parseWithUnit(SIZE_UNITS, '512mb')).toBe(512 * 1024 ** 2);
    expect(parseWithUnit(SIZE_UNITS, '2048')).toBe(2048);
    expect(parseWithUnit(SIZE_UNITS, '1,5 KB')).toBe(1536);
    expect(parseWithUnit(SIZE_UNITS, 'big')).toBeNull();
  });

  it('refuses a number whose separator may group thousands (1,000 or 1.000: one thousand, or one?) rather than guess', () => {
    expect(parseWithUnit(SIZE_UNITS, '1,000 MB')).toBeNull();
    expect(parseWithUnit(SIZE_UNITS, '1,000')).toBeNull();
    expect(parseWithUnit(SIZE_UNITS, '12.500')).toBeNull();
    expect(parseWithUnit(SIZE_UNITS, '0.125 KB')).toBe(128);
    expect(parseWithUnit(SIZE_UNITS, '1.25')).toBe(1.25);
    const { rows } = build(users, 'name,quota\nann,"1,000"\n');
    expect(rows[0].value).toBeNull();
    expect(rows[0].errors.map((e) => e.column)).toEqual([1]);
    expect(rows[0].errors[0].message).toBe('Write the number without grouping its digits: 1000, or 1.5 with a decimal');
  });
});
