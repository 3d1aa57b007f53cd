// RFC 8620 §5.3 PatchObject: JSON-pointer paths (no leading slash) relative to the record.

export class PatchError extends Error {
  constructor(message: string, readonly path: string) {
    super(message);
  }
}

export function decodePointer(path: string): string[] {
  return path.split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function encodePointerPart(part: string): string {
  return part.replace(/~/g, '~0').replace(/\//g, '~1');
}

type Obj = Record<string, unknown>;
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Applies `patch` to a deep copy of `record`. A null value removes the member (the
 * validator then fills defaults). Throws PatchError on paths that cross a missing or
 * non-object parent, or on paths that overlap each other.
 */
export function applyPatch(record: Obj, patch: Obj): Obj {
  const out = structuredClone(record);
  const keys = Object.keys(patch);
  const sorted = [...keys].sort();
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].startsWith(sorted[i - 1] + '/')) {
      throw new PatchError(`Patch paths overlap: "${sorted[i - 1]}" and "${sorted[i]}"`, sorted[i]);
    }
  }
  for (const key of keys) {
    if (key === '') throw new PatchError('Empty patch path', key);
    const parts = decodePointer(key);
    const bad = parts.find((p) => FORBIDDEN.has(p));
    if (bad) throw new PatchError(`"${bad}" is not allowed in a patch path`, key);
    let target: Obj = out;
    for (let i = 0; i < parts.length - 1; i++) {
      // Own members only: a path must never walk into a prototype.
      const next = Object.hasOwn(target, parts[i]) ? target[parts[i]] : undefined;
      if (!isObj(next)) {
        throw new PatchError(`Patch path "${key}" crosses "${parts.slice(0, i + 1).join('/')}", which is not an object`, key);
      }
      target = next;
    }
    const last = parts[parts.length - 1];
    const value = patch[key];
    if (value === null && parts.length > 1) delete target[last];
    // defineProperty: a "__proto__" path part must make a member, not a prototype.
    else Object.defineProperty(target, last, { value: structuredClone(value), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
