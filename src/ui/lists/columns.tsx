// What a list shows in its columns: the schema's list layout (or a fallback), which
// columns sort, and each cell's text or badge.

import type { ReactNode } from 'react';
import { i18n } from '../i18n/i18n';
import type { List, Property, SchemaDocument } from '../../shared/schema/types';
import type { JmapRecord } from '../jmap/types';
import { Badge } from '../lib/Badge';
import { setMembers } from '../lib/set';
import { useConsole } from '../schema/context';
import { formatValue } from '../schema/format';
import { humanize, type ResolvedView } from '../schema/resolve';
import { referencedObject, useReferenceLabels } from './useReferenceLabels';
import { isRatio } from './ratio';
import { UsageMeter } from './UsageMeter';
import { summarize } from './summary';

/** A list layout for objects the schema gives none: its first few properties. */
export function fallbackList(view: ResolvedView, properties: string[]): List {
  const name = view.viewName.replace(/^x:/, '');
  return {
    title: humanize(name), subtitle: '', singularName: i18n.t('lists:fallback.singular'), pluralName: i18n.t('lists:fallback.plural'),
    columns: properties.slice(0, 4).map((p) => ({ name: p, label: humanize(p) })),
  };
}

/** Only plain values sort meaningfully (not sets, nested objects or secrets). */
export function sortable(property: Property | undefined): boolean {
  const t = property?.type;
  if (!t) return false;
  if (t.type === 'string') return t.format !== 'secret' && t.format !== 'secretText';
  return t.type === 'number' || t.type === 'boolean' || t.type === 'utcDateTime' || t.type === 'enum';
}

export interface Cells {
  /** A cell as text: referenced records by their labels. */
  text: (r: JmapRecord, column: string) => string;
  /** A cell as shown: coloured enum values as badges, the rest as text. */
  show: (r: JmapRecord, column: string) => ReactNode;
}

/** The label of a union value's variant (a task's status "Failed"); undefined for anything else. */
function variantLabel(doc: SchemaDocument, objectName: string | undefined, value: unknown): string | undefined {
  const shape = objectName ? doc.schemas[objectName] : undefined;
  const t = value && typeof value === 'object' ? (value as Record<string, unknown>)['@type'] : undefined;
  return shape?.type === 'multiple' ? shape.variants.find((v) => v.name === t)?.label ?? (typeof t === 'string' ? t : undefined) : undefined;
}

/** `objectName`: the records' own type, whose `@type` column shows the variant's label. */
export function useCells(records: JmapRecord[], list: List, properties: Record<string, Property>, objectName?: string): Cells {
  const { doc } = useConsole();
  const refLabel = useReferenceLabels(records, list.columns.map((c) => c.name), properties);
  const text = (r: JmapRecord, column: string) => {
    if (column === '@type' && !properties[column]) return variantLabel(doc, objectName, r) ?? String(r[column] ?? '');
    const type = properties[column]?.type;
    const target = referencedObject(type);
    if (!target) return formatValue(doc, type, r[column]);
    return setMembers(typeof r[column] === 'string' ? [r[column]] : r[column]).map((id) => refLabel(target, id)).join(', ');
  };
  const show = (r: JmapRecord, column: string) => {
    const type = properties[column]?.type;
    if (isRatio(type)) return <UsageMeter label={list.columns.find((c) => c.name === column)?.label ?? column} value={r[column]} />;
    if (type?.type === 'enum' && typeof r[column] === 'string') {
      const value = doc.enums[type.enumName]?.find((e) => e.name === r[column]);
      if (value?.color) return <Badge label={value.label ?? value.name} color={value.color} title={value.explanation} />;
    }
    // A map of nested records (a queued message's recipients): each key with its record in a few words.
    if (type?.type === 'map' && type.valueClass.type === 'object' && r[column] && typeof r[column] === 'object') {
      const objectName = type.valueClass.objectName;
      return (
        <ul className="cell-list">
          {Object.entries(r[column] as Record<string, unknown>).map(([k, v]) => (
            <li key={k}><span className="cell-key">{k}</span> {summarize(doc, objectName, v)}</li>
          ))}
        </ul>
      );
    }
    // A union-typed value (a task's status) is its variant, shown as a badge.
    if (type?.type === 'object') {
      const label = variantLabel(doc, type.objectName, r[column]);
      if (label) return <span className="badge" data-variant={String((r[column] as Record<string, unknown>)['@type'])}>{label}</span>;
    }
    return text(r, column);
  };
  return { text, show };
}
