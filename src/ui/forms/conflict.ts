// A conflict, field by field: what the person changed from the version they edited, what
// the server's current version changed, and the values to save once they have chosen.

import { deepEqual } from '../../shared/equal';
import type { Values } from './values';

export interface FieldChange {
  name: string;
  mine: unknown;
  theirs: unknown;
  /** Both changed it, differently: the person chooses. Otherwise only the server did. */
  both: boolean;
}

export type Choice = 'mine' | 'theirs';

/**
 * The fields the server changed since `base`, in `names` order; where the person changed
 * one too, to something else, it is a choice. Fields only the person changed are not
 * listed: they are kept.
 */
export function compareVersions(names: string[], base: Values, mine: Values, theirs: Values): FieldChange[] {
  const out: FieldChange[] = [];
  for (const name of names) {
    if (deepEqual(base[name], theirs[name])) continue;
    const changedMine = !deepEqual(base[name], mine[name]);
    if (changedMine && deepEqual(mine[name], theirs[name])) continue;
    out.push({ name, mine: mine[name], theirs: theirs[name], both: changedMine });
  }
  return out;
}

/**
 * What the form holds over the server's version: the server's values, with every field
 * the person changed and chose to keep (or changed where the server did not).
 */
export function mergeChoices(names: string[], base: Values, mine: Values, theirs: Values, choices: Record<string, Choice>): Values {
  const out: Values = { ...theirs };
  for (const name of names) {
    if (deepEqual(base[name], mine[name])) continue;
    if ((choices[name] ?? 'mine') === 'mine') out[name] = mine[name];
  }
  return out;
}
