// From a view or object name to everything a page needs: the JMAP object, its record
// shape, properties, form layout, list layout and permission names. No per-type code.

import type {
  Form, FormField, List, ObjectEntry, Property, SchemaDocument, SchemaEntry, Variant,
} from '../../shared/schema/types';

/** The one required-field rule, shared with the server's validator. */
export { isRequired } from '../../shared/schema/values';

export type Verb = 'Get' | 'Create' | 'Update' | 'Destroy' | 'Query';

export interface ResolvedView {
  viewName: string;
  /** The object whose methods are called (the parent for a view). */
  objectName: string;
  entry: ObjectEntry;
  singleton: boolean;
  permissionPrefix?: string;
  list?: List;
  form: Form;
  /** The record's top-level shape: one schema, or a union of variants. */
  shape: SchemaEntry | undefined;
  /** For a view over a union, the variant it shows (from filtersStatic `@type`). */
  fixedVariant?: string;
}

export function humanize(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function resolveView(doc: SchemaDocument, viewName: string): ResolvedView | undefined {
  const entry = doc.objects[viewName];
  if (!entry) return undefined;
  const objectName = entry.type === 'view' && entry.objectName ? entry.objectName : viewName;
  const parent = doc.objects[objectName];
  const list = doc.lists[viewName] ?? doc.lists[objectName];
  const shape = doc.schemas[viewName] ?? doc.schemas[objectName];
  const staticType = list?.filtersStatic?.['@type'];
  const suffix = viewName.includes('/') ? viewName.slice(viewName.lastIndexOf('/') + 1) : undefined;
  const fixedVariant =
    shape?.type === 'multiple'
      ? shape.variants.find((v) => v.name === staticType || v.name === suffix)?.name
      : undefined;
  const resolved: ResolvedView = {
    viewName,
    objectName,
    entry,
    singleton: (parent?.type ?? entry.type) === 'singleton',
    permissionPrefix: entry.permissionPrefix ?? parent?.permissionPrefix,
    list,
    shape,
    fixedVariant,
    form: { sections: [] },
  };
  resolved.form = formFor(doc, resolved, fixedVariant);
  return resolved;
}

/**
 * Stalwart's convention: a form whose only field is `@type` lays out no fields of its own.
 * It says "pick a variant first"; the variant's own form (or its properties) follows.
 */
export function isTypeSwitchForm(form: Form | undefined): boolean {
  const fields = form ? formFieldsOf(form) : [];
  return fields.length === 1 && fields[0].name === '@type';
}

/**
 * The form of a record of this view with `variant` as its `@type` (ignored for a single
 * schema). In order: the view's own form, then the object's, unless either is only a type
 * switch; then the variant's form (`forms[schemaName]`, so a view over one variant of a
 * union, `x:Account/User`, shows `forms["x:UserAccount"]`); else every property of the
 * variant (of every variant when none is picked) in one section.
 */
export function formFor(doc: SchemaDocument, view: Pick<ResolvedView, 'viewName' | 'objectName' | 'shape' | 'fixedVariant'>, variant?: string): Form {
  const own = doc.forms[view.viewName] ?? doc.forms[view.objectName];
  if (own && !isTypeSwitchForm(own)) return own;
  const picked = variant ?? view.fixedVariant;
  const schemaName = recordSchemaName(view.shape, picked);
  const byShape = schemaName ? doc.forms[schemaName] : undefined;
  const titled = (f: Form): Form => ({ ...f, title: f.title ?? own?.title, subtitle: f.subtitle ?? own?.subtitle });
  if (byShape && !isTypeSwitchForm(byShape)) return titled(byShape);
  const names = new Set<string>();
  if (view.shape?.type === 'multiple') {
    for (const v of view.shape.variants) {
      if (!picked || v.name === picked) for (const p of Object.keys(propertiesOf(doc, v.schemaName))) names.add(p);
    }
  } else if (schemaName) {
    for (const p of Object.keys(propertiesOf(doc, schemaName))) names.add(p);
  }
  return titled({ sections: [{ fields: [...names].map((name) => ({ name, label: humanize(name) })) }] });
}

/**
 * The variants a person may create. Stalwart's x:Task has 18 variants, of which a client
 * may create 10: the other 8 are made by the server only, and the schema says so by
 * marking every one of their own fields `serverSet`. So, from the schema alone: a variant
 * is not creatable when it has fields of its own (beside those every variant shares, like
 * a task's `status`) and all of them are server-set. A variant with no fields at all
 * (`{"@type":"ReloadSettings"}`) is creatable: there is nothing the server must fill.
 */
export function creatableVariants(doc: SchemaDocument, variants: Variant[]): Variant[] {
  const propsOf = variants.map((v) => propertiesOf(doc, v.schemaName));
  const shared = new Set(Object.keys(propsOf[0] ?? {}).filter((name) => propsOf.every((p) => name in p)));
  return variants.filter((_, i) => {
    const own = Object.entries(propsOf[i]).filter(([name]) => variants.length === 1 || !shared.has(name));
    return own.length === 0 || own.some(([, p]) => p.update !== 'serverSet');
  });
}

/**
 * An object that is a command, not a store of records (Stalwart's x:Action): a union of
 * commands, one variant each; a record is created to run one and the answer comes back in
 * the /set reply; it cannot be listed or read back. The schema says so by giving it no
 * list, neither of its own nor through a view. (Stalwart's permission enum still names
 * `sysActionGet`/`sysActionQuery`, so the permissions cannot tell; the missing list is the
 * schema's own word.) An object of one schema without a list is just an object whose
 * list the schema left out: it keeps the generated list.
 */
export function isActionObject(doc: SchemaDocument, objectName: string): boolean {
  if (doc.objects[objectName]?.type !== 'object' || doc.schemas[objectName]?.type !== 'multiple') return false;
  if (doc.lists[objectName]) return false;
  return !Object.entries(doc.objects).some(([name, o]) => o.type === 'view' && o.objectName === objectName && doc.lists[name]);
}

function recordSchemaName(shape: SchemaEntry | undefined, variant: string | undefined): string | undefined {
  if (!shape) return undefined;
  if (shape.type === 'single') return shape.schemaName;
  return shape.variants.find((v) => v.name === variant)?.schemaName;
}

export function propertiesOf(doc: SchemaDocument, schemaName: string | undefined): Record<string, Property> {
  return (schemaName && doc.fields[schemaName]?.properties) || {};
}

export function defaultsOf(doc: SchemaDocument, schemaName: string | undefined): Record<string, unknown> {
  return (schemaName && doc.fields[schemaName]?.defaults) || {};
}

/** The properties of a record of this view with the given `@type` (ignored for single schemas). */
export function recordFields(doc: SchemaDocument, view: ResolvedView, variant?: string): { schemaName?: string; properties: Record<string, Property> } {
  const schemaName = recordSchemaName(view.shape, variant ?? view.fixedVariant);
  return { schemaName, properties: propertiesOf(doc, schemaName) };
}

/**
 * The properties a list of this view may show: the record's, or for a union with no
 * variant fixed (x:Task), those of every variant (the first variant naming one wins).
 */
export function listProperties(doc: SchemaDocument, view: ResolvedView): Record<string, Property> {
  if (view.shape?.type !== 'multiple' || view.fixedVariant) return recordFields(doc, view).properties;
  const out: Record<string, Property> = {};
  for (const v of view.shape.variants) for (const [k, p] of Object.entries(propertiesOf(doc, v.schemaName))) out[k] ??= p;
  return out;
}

export function variantsOf(doc: SchemaDocument, objectName: string): Variant[] | undefined {
  const s = doc.schemas[objectName];
  return s?.type === 'multiple' ? s.variants : undefined;
}

export function permissionName(prefix: string | undefined, verb: Verb): string | undefined {
  return prefix ? `${prefix}${verb}` : undefined;
}

/** Whether the caller may use `verb`; an object without a permission prefix is not guarded. */
export function can(permissions: ReadonlySet<string> | undefined, prefix: string | undefined, verb: Verb): boolean {
  const name = permissionName(prefix, verb);
  return !name || !permissions || permissions.has(name);
}

/** The property used to name a record: the list's labelProperty, else its first column. */
export function labelPropertyOf(doc: SchemaDocument, objectName: string): string | undefined {
  const list = doc.lists[objectName] ?? Object.entries(doc.lists).find(([k]) => doc.objects[k]?.objectName === objectName)?.[1];
  return list?.labelProperty ?? list?.columns[0]?.name;
}

/** The property a picker searches on: the list's first text filter, else the label property. */
export function searchPropertyOf(doc: SchemaDocument, objectName: string): string | undefined {
  const list = doc.lists[objectName];
  return list?.filters?.find((f) => f.type === 'text')?.field ?? labelPropertyOf(doc, objectName);
}

export function formFieldsOf(form: Form): FormField[] {
  return form.sections.flatMap((s) => s.fields);
}
