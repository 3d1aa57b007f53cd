// A nested record in a few words, for a list cell: the labels of its unions' variants, the
// first with the first text it holds (a queued recipient: "Failed for now, will be
// retried: connect to …: Connection refused").

import { isPlainObject } from '../../shared/equal';
import type { SchemaDocument } from '../../shared/schema/types';
import { propertiesOf } from '../schema/resolve';

function firstText(doc: SchemaDocument, schemaName: string | undefined, value: Record<string, unknown>): string | undefined {
  for (const [k, p] of Object.entries(propertiesOf(doc, schemaName))) {
    const v = value[k];
    if (p.type.type === 'string' && typeof v === 'string' && v.trim() && p.type.format !== 'secret' && p.type.format !== 'secretText') return v.trim();
  }
  return undefined;
}

/** `objectName`: the nested record's object type (resolved through the schema's `schemas`). */
export function summarize(doc: SchemaDocument, objectName: string, value: unknown): string {
  if (!isPlainObject(value)) return '';
  const shape = doc.schemas[objectName];
  const schemaName = shape?.type === 'single' ? shape.schemaName : undefined;
  const parts: string[] = [];
  for (const [k, p] of Object.entries(propertiesOf(doc, schemaName))) {
    if (p.type.type !== 'object' || !isPlainObject(value[k])) continue;
    const union = doc.schemas[p.type.objectName];
    if (union?.type !== 'multiple') continue;
    const inner = value[k] as Record<string, unknown>;
    const variant = union.variants.find((v) => v.name === inner['@type']);
    if (!variant) continue;
    const text = parts.length === 0 ? firstText(doc, variant.schemaName, inner) : undefined;
    parts.push(text ? `${variant.label}: ${text}` : variant.label);
  }
  return parts.join('; ');
}
