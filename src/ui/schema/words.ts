// The server's sentences in the schema's words: permission names and object names a
// server message carries (`sysRoleCreate`, `x:ApiKey`) become their labels and titles, and
// long lists of permissions collapse ("Create roles, Delete roles and 40 more").

import type { SchemaDocument } from '../../shared/schema/types';
import { i18n } from '../i18n/i18n';
import { PERMISSION_ENUM } from './grants';

/** A list longer than this shows its first two labels and a count. */
const SHOWN = 3;

export interface Words {
  text: string;
  /** Each collapsed list in full, so a banner can offer to show it. */
  lists: string[][];
}

/** "A", "A and B", "A, B and C"; longer lists "A, B and 40 more" (in the console's language). */
export function listOf(labels: string[], hidden = 0): string {
  const total = labels.length + hidden;
  if (hidden === 0 && labels.length <= SHOWN) {
    return labels.length <= 1 ? (labels[0] ?? '') : i18n.t('app:list.two', { first: labels.slice(0, -1).join(', '), last: labels[labels.length - 1] });
  }
  return i18n.t('app:list.more', { first: labels.slice(0, 2).join(', '), number: total - 2 });
}

/** What a person calls an object type: its list's title (`x:ApiKey` → "API keys"). */
export function objectTitle(doc: SchemaDocument, name: string): string | undefined {
  return doc.lists[name]?.title ?? doc.lists[doc.objects[name]?.objectName ?? '']?.title;
}

// A run of identifiers separated by commas, with the "and 37 more" a server may have added.
const RUN = /\b[a-z][A-Za-z0-9]*(?:, [a-z][A-Za-z0-9]*)*(?: and (\d+) more)?/g;
const OBJECT = /\bx:[A-Z][A-Za-z0-9]*(?:\/[A-Z][A-Za-z0-9]*)?/g;

/**
 * The server's text with permission names as their labels and object names as their
 * titles. Only names the schema knows are replaced, so ordinary words stay as they are.
 */
export function serverWords(doc: SchemaDocument, text: string): Words {
  const labels = new Map((doc.enums[PERMISSION_ENUM] ?? []).map((v) => [v.name, v.label]));
  const lists: string[][] = [];
  const withObjects = text.replace(OBJECT, (name) => objectTitle(doc, name) ?? name);
  const out = withObjects.replace(RUN, (run: string, more: string | undefined) => {
    const names = run.replace(/ and \d+ more$/, '').split(', ');
    if (names.length < 2 || !names.every((n) => labels.has(n))) {
      // Not a list of permissions: still name a permission that reads as an identifier
      // (sysRoleCreate), not an ordinary word that happens to be one.
      return run.replace(/\b[a-z][A-Za-z0-9]*\b/g, (w) => (/[A-Z0-9]/.test(w) && labels.get(w)) || w);
    }
    const named = names.map((n) => labels.get(n)!);
    const hidden = more ? Number(more) : 0;
    if (hidden === 0 && named.length > SHOWN) lists.push(named);
    return listOf(named, hidden);
  });
  return { text: out, lists };
}

/** Just the text of serverWords. */
export function inSchemaWords(doc: SchemaDocument, text: string): string {
  return serverWords(doc, text).text;
}
