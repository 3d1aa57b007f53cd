// How values look on screen: list cells, enum labels, and groups for long enums. Numbers,
// sizes and instants in the console's language (i18n/format.ts); labels as the schema has them.

import type { EnumValue, FieldType, SchemaDocument } from '../../shared/schema/types';
import { formatBytes, formatInstant, formatNumber } from '../i18n/format';
import { i18n } from '../i18n/i18n';
import { bestUnit, DURATION_UNITS } from '../lib/units';
import { setMembers } from '../lib/set';
import { humanize } from './resolve';

export function enumLabel(doc: SchemaDocument, enumName: string, value: string): string {
  return doc.enums[enumName]?.find((e) => e.name === value)?.label ?? value;
}

/** A duration exact in its largest whole unit, with the unit's name as the widgets take it: `90 s`, `1,500 ms`. */
function formatDuration(ms: number): string {
  const u = bestUnit(DURATION_UNITS, ms);
  return `${formatNumber(ms / u.factor)} ${u.name}`;
}

/** A short text for a list cell. */
export function formatValue(doc: SchemaDocument, type: FieldType | undefined, value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  if (!type) return typeof value === 'object' ? JSON.stringify(value) : String(value);
  switch (type.type) {
    case 'boolean':
      return i18n.t(value ? 'common:yes' : 'common:no');
    case 'utcDateTime':
      return formatInstant(String(value));
    case 'enum':
      return enumLabel(doc, type.enumName, String(value));
    case 'number':
      if (typeof value !== 'number') return String(value);
      if (type.format === 'size') return formatBytes(value);
      if (type.format === 'duration') return formatDuration(value);
      return formatNumber(value);
    case 'set': {
      const members = setMembers(value);
      const cls = type.class;
      const labels = members.map((m) => (cls.type === 'enum' ? enumLabel(doc, cls.enumName, m) : m));
      return labels.length > 3 ? `${labels.slice(0, 3).join(', ')} +${labels.length - 3}` : labels.join(', ');
    }
    case 'object': {
      const shape = doc.schemas[type.objectName];
      const t = (value as Record<string, unknown>)['@type'];
      if (shape?.type === 'multiple') return shape.variants.find((v) => v.name === t)?.label ?? String(t ?? '');
      return '…';
    }
    case 'objectList':
    case 'map':
      return i18n.t('common:entries', { count: Object.keys(value as object).length });
    case 'string':
      if (type.format === 'secret' || type.format === 'secretText') return '••••••';
      return String(value);
    case 'objectId':
    case 'blobId':
      return String(value);
    default: {
      const _: never = type;
      return String(value);
    }
  }
}

export interface EnumGroup { name: string; values: EnumValue[] }

/**
 * Groups a long enum by area. A value named `<permissionPrefix><Verb>` goes under the
 * object owning that prefix (e.g. `sysRoleCreate` → Roles); anything else under its
 * leading word (`emailSend` → Email).
 */
export function groupEnum(doc: SchemaDocument, values: EnumValue[]): EnumGroup[] {
  const prefixes = Object.entries(doc.objects)
    .filter(([, o]) => o.permissionPrefix)
    .map(([name, o]) => ({ prefix: o.permissionPrefix!, title: doc.lists[name]?.title ?? humanize(name.replace(/^x:/, '')) }))
    .sort((a, b) => b.prefix.length - a.prefix.length);
  const groups = new Map<string, EnumValue[]>();
  for (const v of values) {
    const owner = prefixes.find((p) => v.name.startsWith(p.prefix) && /^[A-Z]/.test(v.name.slice(p.prefix.length)));
    const name = owner?.title ?? humanize(v.name.match(/^[a-z0-9]+/)?.[0] ?? v.name);
    groups.set(name, [...(groups.get(name) ?? []), v]);
  }
  return [...groups].map(([name, vals]) => ({ name, values: vals })).sort((a, b) => a.name.localeCompare(b.name));
}
