// The rules the console reads out of a Stalwart-shaped schema, each from the schema alone.

import { describe, expect, it } from 'vitest';
import { dashboardsOf, measureWords, metricLabel } from './dashboards';
import { lacksEnterprise } from './edition';
import { creatableVariants, formFieldsOf, formFor, isActionObject, isTypeSwitchForm, resolveView, variantsOf } from './resolve';
import { stalwartTestSchema as doc } from './stalwartTestSchema';
import { testSchema } from './testSchema';

const names = (f: ReturnType<typeof formFor>) => formFieldsOf(f).map((x) => x.name);

describe('type-switch forms', () => {
  it('are forms whose only field is @type', () => {
    expect(isTypeSwitchForm(doc.forms['x:DataStore'])).toBe(true);
    expect(isTypeSwitchForm(doc.forms['x:UserAccount'])).toBe(false);
    expect(isTypeSwitchForm(undefined)).toBe(false);
    expect(isTypeSwitchForm({ sections: [{ fields: [{ name: '@type', label: 'Type' }, { name: 'name', label: 'Name' }] }] })).toBe(false);
  });

  it('give way to the picked variant’s form, or to its properties when it has none', () => {
    const store = resolveView(doc, 'x:DataStore')!;
    expect(names(formFor(doc, store, 'PostgreSql'))).toEqual(['host', 'port', 'password', 'poolSize']);
    expect(formFor(doc, store, 'PostgreSql').sections[0].title).toBe('Connection');
    expect(names(formFor(doc, store, 'RocksDb'))).toEqual(['path']);
    // Nothing picked yet: every variant's properties, never the bare type switch.
    expect(names(formFor(doc, store))).toEqual(['path', 'host', 'port', 'password', 'poolSize']);
    const blobs = resolveView(doc, 'x:BlobStore')!;
    expect(names(formFor(doc, blobs, 'Default'))).toEqual([]);
  });

  it('on a view over one variant, the variant’s own form wins over the parent’s type switch', () => {
    const users = resolveView(doc, 'x:Account/User')!;
    expect(users.fixedVariant).toBe('User');
    expect(users.form.title).toBe('User account');
    expect(users.form.sections.map((s) => s.title)).toEqual(['Account', 'Authentication', 'Access', 'Quotas', 'Details']);
    // The group variant has no form: its properties.
    const groups = resolveView(doc, 'x:Account/Group')!;
    expect(names(groups.form)).toEqual(['name', 'description']);
  });

  it('leave an object’s own full form alone (Postern’s unions keep theirs)', () => {
    const roles = resolveView(testSchema, 'x:ClusterRole')!;
    expect(names(roles.form)).toEqual(['name', 'description', 'tasks']);
    const postern = { ...doc, forms: { ...doc.forms, 'x:Account': { sections: [{ fields: [{ name: 'name', label: 'Name' }] }] } } };
    expect(names(resolveView(postern, 'x:Account/User')!.form)).toEqual(['name']);
  });
});

describe('creatable variants', () => {
  it('leaves out variants whose own fields are all server-set (tasks only the server makes)', () => {
    expect(creatableVariants(doc, variantsOf(doc, 'x:Task')!).map((v) => v.name)).toEqual(['AccountMaintenance', 'StoreMaintenance']);
  });
  it('keeps variants with no fields at all, and every variant of a plain union', () => {
    expect(creatableVariants(doc, variantsOf(doc, 'x:Action')!).map((v) => v.name)).toEqual(['ReloadSettings', 'TroubleshootDmarc']);
    expect(creatableVariants(doc, variantsOf(doc, 'x:BlobStore')!).map((v) => v.name)).toEqual(['Default', 'S3', 'FileSystem']);
    expect(creatableVariants(doc, variantsOf(doc, 'x:Account')!).map((v) => v.name)).toEqual(['User', 'Group']);
  });
});

describe('action objects', () => {
  it('are objects with no list of their own nor through a view', () => {
    expect(isActionObject(doc, 'x:Action')).toBe(true);
    expect(isActionObject(doc, 'x:Task')).toBe(false);
    expect(isActionObject(doc, 'x:Account')).toBe(false);
    expect(isActionObject(doc, 'x:DataStore')).toBe(false);
    // Not a union of commands: an object whose list the schema left out.
    expect(isActionObject(testSchema, 'x:Role')).toBe(false);
    expect(isActionObject(testSchema, 'x:Tenant')).toBe(false);
  });
});

describe('dashboards', () => {
  it('reads Stalwart’s dashboard shape: cards and charts naming metrics', () => {
    const [d] = dashboardsOf(doc);
    expect(d).toMatchObject({ id: 'overview', label: 'Overview' });
    expect(d.cards.map((c) => c.title)).toEqual(['Users', 'Waiting']);
    expect(d.cards[0]).toMatchObject({ metrics: ['user.count'], aggregate: 'avg', source: 'live', description: 'Accounts on the server.' });
    expect(d.charts[0].series).toEqual([{ label: 'messages', metrics: ['queue.count'] }]);
    expect(metricLabel(doc, 'user.count')).toBe('Number of users');
    expect(metricLabel(doc, 'other.thing')).toBe('other.thing');
    expect(measureWords(d.cards[0])).toBe('average now');
    expect(measureWords(d.cards[1])).toBe('total over the period');
  });
  it('leaves out what is not in that shape', () => {
    expect(dashboardsOf({ ...doc, dashboards: { cards: [] } })).toEqual([]);
    expect(dashboardsOf({ ...doc, dashboards: [{ id: 'x', cards: [{ nope: 1 }, { title: 'Kept' }] }, 'junk'] })).toEqual([
      { id: 'x', label: 'x', cards: [{ title: 'Kept', metrics: [], description: undefined, source: undefined, aggregate: undefined, format: undefined }], charts: [] },
    ]);
    expect(dashboardsOf(testSchema)).toEqual([]);
  });
});

describe('enterprise', () => {
  it('is lacking on any named edition but enterprise', () => {
    expect(lacksEnterprise('oss')).toBe(true);
    expect(lacksEnterprise('community')).toBe(true);
    expect(lacksEnterprise('enterprise')).toBe(false);
    expect(lacksEnterprise(undefined)).toBe(false);
  });
});
