// The order of a /set's creates: those that reference other creates of the same call
// (`"#creationId"`) run after them (RFC 8620 §5.3).

import { isPlainObject } from '../../shared/equal';

type Obj = Record<string, unknown>;

/** Creation ids a value refers to (`"#id"` as a value or as a set member). */
function creationRefs(v: unknown, out = new Set<string>()): Set<string> {
  if (typeof v === 'string') {
    if (v.startsWith('#')) out.add(v.slice(1));
  } else if (Array.isArray(v)) v.forEach((x) => creationRefs(x, out));
  else if (isPlainObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (k.startsWith('#')) out.add(k.slice(1));
      creationRefs(x, out);
    }
  }
  return out;
}

// RFC 8620 §5.3: creates that reference other creates of the same call run after them.
// Stable otherwise; a cycle keeps the client's order (and fails on the unknown reference).
export function orderCreates(create: Obj): [string, unknown][] {
  const entries = Object.entries(create);
  const deps = new Map(entries.map(([cid, v]) => [cid, [...creationRefs(v)].filter((r) => r in create && r !== cid)]));
  const done = new Set<string>();
  const out: [string, unknown][] = [];
  while (out.length < entries.length) {
    const ready = entries.find(([cid]) => !done.has(cid) && deps.get(cid)!.every((d) => done.has(d)));
    const next = ready ?? entries.find(([cid]) => !done.has(cid))!;
    done.add(next[0]);
    out.push(next);
  }
  return out;
}
