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
  resolved.form = findForm(doc, resolved, fixedVariant);
  return resolved;
}

/** Form lookup by view name, then object name, then schema name; else every property in one section. */
function findForm(doc: SchemaDocument, view: ResolvedView, variant: string | undefined): Form {
  const schemaName = recordSchemaName(view.shape, variant);
  const form = doc.forms[view.viewName] ?? doc.forms[view.objectName] ?? (schemaName ? doc.forms[schemaName] : undefined);
  if (form) return form;
  const names = new Set<string>();
  if (view.shape?.type === 'multiple') {
    for (const v of view.shape.variants) {
      if (!variant || v.name === variant) for (const p of Object.keys(propertiesOf(doc, v.schemaName))) names.add(p);
    }
  } else if (schemaName) {
    for (const p of Object.keys(propertiesOf(doc, schemaName))) names.add(p);
  }
  return { sections: [{ fields: [...names].map((name) => ({ name, label: humanize(name) })) }] };
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
