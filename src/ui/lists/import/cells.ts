// One CSV cell as a wire value of its field's type: numbers with their units (sizes in
// bytes, durations in ms), booleans, enums by name or label, records by name (looked up on
// the server beforehand), set members separated by ";", a union by its variant.

import type { FieldType, SchemaDocument } from '../../../shared/schema/types';
import { normalizeUtcDateTime } from '../../../shared/schema/validate';
import { i18n } from '../../i18n/i18n';
import { DURATION_UNITS, SIZE_UNITS, type Unit } from '../../lib/units';

/** The id of the record of `objectName` named `name`, null when there is none, undefined when not looked up. */
export type Names = (objectName: string, name: string) => string | null | undefined;

export type Parsed = { value: unknown } | { error: string };

const norm = (s: string) => s.trim().toLowerCase();
const TRUE = ['true', 'yes', 'y', '1', 'on', 'ja', 'wahr'];
const FALSE = ['false', 'no', 'n', '0', 'off', 'nein', 'falsch'];
/** Set members in one cell. */
export const MEMBER_SEPARATOR = ';';

/**
 * `1,000` or `1.000`: one thousand with its digits grouped (English, German), or one with a
 * decimal? Not guessed: such a number is refused, with the words on how to write it.
 */
const GROUPED = /^[+-]?[1-9]\d{0,2}[.,]\d{3}$/;

/** `1 GB`, `1.5GB`, `512 mb`, `1024` (the base unit) → the number in the base unit; null when unreadable. */
export function parseWithUnit(units: Unit[], text: string): number | null {
  const m = /^([+-]?\d+(?:[.,]\d+)?)\s*([A-Za-z]*)$/.exec(text.trim());
  if (!m || GROUPED.test(m[1])) return null;
  const n = Number(m[1].replace(',', '.'));
  if (m[2] === '') return n;
  const unit = units.find((u) => norm(u.name) === norm(m[2]) || norm(u.label) === norm(m[2]));
  return unit ? Math.round(n * unit.factor) : null;
}

/** The singular name of an object's records, for messages ("No domain named …"). */
export function singularOf(doc: SchemaDocument, objectName: string): string {
  const list = doc.lists[objectName] ?? Object.entries(doc.lists).find(([k]) => doc.objects[k]?.objectName === objectName)?.[1];
  return list?.singularName ?? objectName;
}

const words = (names: string[]) => names.slice(0, 12).join(', ') + (names.length > 12 ? ', …' : '');

export function parseCell(doc: SchemaDocument, t: FieldType, text: string, names: Names): Parsed {
  const s = text.trim();
  switch (t.type) {
    case 'string':
      // Secrets as typed (spaces may belong to them); other text without edge spaces.
      return { value: t.format === 'secret' || t.format === 'secretText' ? text : s };
    case 'number': {
      const units = t.format === 'size' ? SIZE_UNITS : t.format === 'duration' ? DURATION_UNITS : null;
      const n = units ? parseWithUnit(units, s) : /^[+-]?\d+(?:[.,]\d+)?$/.test(s) && !GROUPED.test(s) ? Number(s.replace(',', '.')) : null;
      if (GROUPED.test(s.replace(/\s*[A-Za-z]+$/, ''))) return { error: i18n.t('import:value.grouped') };
      if (n === null || !Number.isFinite(n)) {
        const key = t.format === 'size' ? 'import:value.size' : t.format === 'duration' ? 'import:value.duration' : 'import:value.number';
        return { error: i18n.t(key) };
      }
      return { value: n };
    }
    case 'boolean':
      if (TRUE.includes(norm(s))) return { value: true };
      if (FALSE.includes(norm(s))) return { value: false };
      return { error: i18n.t('import:value.boolean') };
    case 'utcDateTime': {
      const value = normalizeUtcDateTime(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s);
      return value ? { value } : { error: i18n.t('import:value.date') };
    }
    case 'enum': {
      const values = doc.enums[t.enumName] ?? [];
      const hit = values.find((e) => norm(e.name) === norm(s) || norm(e.label) === norm(s));
      return hit ? { value: hit.name } : { error: i18n.t('import:value.oneOf', { values: words(values.map((e) => e.label)) }) };
    }
    case 'objectId': {
      const id = names(t.objectName, s);
      return id ? { value: id } : { error: i18n.t('import:value.noRecord', { object: singularOf(doc, t.objectName), name: s }) };
    }
    case 'set': {
      const out: Record<string, true> = {};
      for (const member of s.split(MEMBER_SEPARATOR).map((m) => m.trim()).filter(Boolean)) {
        const p = parseCell(doc, t.class, member, names);
        if ('error' in p) return { error: i18n.t('import:value.member', { member, error: p.error }) };
        out[String(p.value)] = true;
      }
      return { value: out };
    }
    case 'object': {
      const shape = doc.schemas[t.objectName];
      const variants = shape?.type === 'multiple' ? shape.variants : [];
      const hit = variants.find((v) => norm(v.name) === norm(s) || norm(v.label) === norm(s));
      return hit ? { value: { '@type': hit.name } } : { error: i18n.t('import:value.oneOf', { values: words(variants.map((v) => v.label)) }) };
    }
    case 'objectList': case 'map': case 'blobId':
      return { error: i18n.t('import:value.unsupported') };
    default: {
      const never: never = t;
      return never;
    }
  }
}

/** The record names a cell of this type refers to, to look them up before parsing. */
export function referencedNames(t: FieldType, text: string): { objectName: string; name: string }[] {
  if (t.type === 'objectId') return text.trim() ? [{ objectName: t.objectName, name: text.trim() }] : [];
  if (t.type === 'set' && t.class.type === 'objectId') {
    const objectName = t.class.objectName;
    return text.split(MEMBER_SEPARATOR).map((m) => m.trim()).filter(Boolean).map((name) => ({ objectName, name }));
  }
  return [];
}
