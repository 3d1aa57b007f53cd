// Drafts of edited forms, so a reload does not lose work: per record (view and id, or
// `new`), in sessionStorage. Session, not local, storage: a draft lives as long as the tab
// (a reload keeps it, closing the tab ends it), two tabs editing one record keep their own,
// and nothing typed outlives the tab on a shared machine. Secrets are never written.

import type { Property, SchemaDocument } from '../../shared/schema/types';
import { hideSecrets, type Values, type Version } from './values';

const PREFIX = 'postern.draft:';

export interface Draft {
  /** What the form held, secrets left as they were in `base`. */
  values: Values;
  /** A secret was typed and left out (the notice asks to type it again). */
  droppedSecrets?: boolean;
  /** The version the edit started from: saving checks it still is the server's. */
  base: Version;
  savedAt: number;
}

export function draftKey(viewName: string, id: string | null): string {
  return `${viewName}/${id ?? 'new'}`;
}

function storage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    // Storage can be switched off; a form then simply has no drafts.
    return null;
  }
}

export function readDraft(key: string): Draft | null {
  try {
    const raw = storage()?.getItem(PREFIX + key);
    const d = raw ? (JSON.parse(raw) as Draft) : null;
    return d && typeof d === 'object' && d.values && d.base?.values ? d : null;
  } catch {
    return null;
  }
}

export function writeDraft(key: string, draft: Draft): void {
  try {
    storage()?.setItem(PREFIX + key, JSON.stringify(draft));
  } catch {
    // Full or refused: the form keeps working, only the draft is not kept.
  }
}

export function clearDraft(key: string): void {
  try {
    storage()?.removeItem(PREFIX + key);
  } catch {
    // Nothing to clear where storage is refused.
  }
}

export function isSecret(p: Property | undefined): boolean {
  return p?.type.type === 'string' && (p.type.format === 'secret' || p.type.format === 'secretText');
}

/**
 * The values to keep in a draft: secrets never as typed, at any depth (a credential's secret
 * inside an account's list of credentials too). Top-level ones as the base had them.
 */
export function withoutSecrets(doc: SchemaDocument, properties: Record<string, Property>, values: Values, base: Values): Values {
  const out: Values = hideSecrets(doc, properties, values);
  for (const [name, p] of Object.entries(properties)) if (isSecret(p)) out[name] = base[name] ?? null;
  return out;
}
