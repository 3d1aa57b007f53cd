// Remembered query results and counts stay exactly what SQLite answers, through writes of
// this process and of another one, in every order a list can ask for.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from './db';
import { propExpr, Store } from './records';
import { compareSqlite, orderSql, type SortTerm } from './results';

const TYPE = 'x:Thing';
let dir: string;
let store: Store;
let other: Store;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-results-'));
  store = new Store(openDatabase(dir));
  store.ensureIndexes(TYPE, ['name', 'n'], []);
  other = new Store(openDatabase(dir));
});
afterEach(() => {
  other.db.close();
  store.db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** One committed write, announced as /set announces it. */
function write(s: Store, fn: (s: Store) => void) {
  s.transaction(() => fn(s));
  s.flushChanges();
}

/** A small seeded generator (mulberry32): every run makes the same records. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = ['alpha', 'Alpha', 'ALPHA', 'beta', 'Beta', 'b', 'é', 'Z', 'z', '10', '9', ''];
const term = (expr: string, desc = false, nocase = false): SortTerm => ({ expr, desc, nocase });
const rid = (desc = false) => term('rid', desc);
const ORDERS: SortTerm[][] = [
  [rid()],
  [term(propExpr('name')), rid()],
  [term(propExpr('name'), false, true), rid()],
  [term(propExpr('name'), true, true), rid(true)],
  [term(propExpr('n'), true), rid(true)],
  [term(propExpr('n')), term(propExpr('name'), true), rid(true)],
  [term('id'), rid()],
];
const CONDITIONS = [
  { where: `${propExpr('name')} LIKE ? ESCAPE '\\'`, params: ['%a%'] },
  { where: `${propExpr('n')} >= ?`, params: [3] },
  { where: `${propExpr('n')} IS NULL OR ${propExpr('name')} = ?`, params: ['b'] },
  // The form list filters use: a scan of the index for the whole list, a per-row test for the few changed ones.
  {
    where: `rid IN (SELECT rid FROM records INDEXED BY ix_x_Thing_name WHERE type = '${TYPE}' AND ${propExpr('name')} LIKE ?)`,
    rowWhere: `${propExpr('name')} LIKE ?`,
    params: ['%e%'],
  },
];

function randomRecord(random: () => number) {
  const r: Record<string, unknown> = { name: NAMES[Math.floor(random() * NAMES.length)] };
  const n = random();
  if (n < 0.8) r.n = Math.floor(n * 10) / (n < 0.4 ? 1 : 4); // integers and fractions, some equal
  if (random() < 0.1) r.name = null;
  return r;
}

/** Random creates, updates and destroys through `s`. */
function churn(s: Store, random: () => number, ops: number, serial: { n: number }) {
  write(s, (w) => {
    for (let i = 0; i < ops; i++) {
      const ids = w.queryIds(TYPE, '', [], 'rid', -1, 0);
      const pick = random();
      if (pick < 0.45 || ids.length === 0) w.insert(TYPE, `t${serial.n++}`, randomRecord(random), []);
      else if (pick < 0.75) w.update(TYPE, ids[Math.floor(random() * ids.length)], randomRecord(random), []);
      else w.delete(TYPE, ids[Math.floor(random() * ids.length)]);
    }
  });
}

function expectExact() {
  for (const cond of CONDITIONS) {
    for (const order of ORDERS) {
      const fresh = store.queryIds(TYPE, cond.where, cond.params, orderSql(order), -1, 0);
      expect(store.matching(TYPE, cond, order), `${cond.where} ORDER BY ${orderSql(order)}`).toEqual(fresh);
    }
  }
  const all = store.db.prepare(`SELECT count(*) FROM records WHERE type = ?`).pluck().get(TYPE);
  expect(store.count(TYPE, '', [])).toBe(all);
}

describe('remembered results', () => {
  it('match a fresh query after every batch of writes, in every order', () => {
    const random = rng(16);
    const serial = { n: 0 };
    churn(store, random, 60, serial);
    expectExact();
    for (let round = 0; round < 40; round++) {
      churn(store, random, 1 + Math.floor(random() * 6), serial);
      expectExact();
    }
  });

  it('catch up with writes of another process once it is noticed', () => {
    const random = rng(7);
    const serial = { n: 0 };
    churn(store, random, 40, serial);
    expectExact();
    for (let round = 0; round < 20; round++) {
      churn(round % 2 ? other : store, random, 1 + Math.floor(random() * 4), serial);
      store.pollExternalWrites();
      expectExact();
    }
  });

  it('count a type exactly when another process writes between the state and the count', () => {
    write(store, (s) => s.insert(TYPE, 'a', { name: 'a' }, []));
    expect(store.count(TYPE, '', [])).toBe(1);
    write(other, (s) => {
      s.insert(TYPE, 'b', { name: 'b' }, []);
      s.insert(TYPE, 'c', { name: 'c' }, []);
    });
    store.pollExternalWrites();
    expect(store.count(TYPE, '', [])).toBe(3);
    write(other, (s) => s.delete(TYPE, 'a'));
    write(store, (s) => s.delete(TYPE, 'b'));
    store.pollExternalWrites();
    expect(store.count(TYPE, '', [])).toBe(1);
  });

  it('catch up from the changed records alone, without scanning the type again', () => {
    const random = rng(3);
    churn(store, random, 200, { n: 0 });
    const order = [term(propExpr('name'), false, true), rid()];
    for (const cond of CONDITIONS) store.matching(TYPE, cond, order);
    const visited = store.rowsVisited;
    write(store, (s) => s.insert(TYPE, 'new', { name: 'aaa', n: 5 }, []));
    write(store, (s) => s.update(TYPE, 'new', { name: 'eee', n: 1 }, []));
    for (const cond of CONDITIONS) store.matching(TYPE, cond, order);
    expect(store.rowsVisited).toBe(visited);
    expectExact();
  });

  it('are computed again past many changes, and give way to SQL inside a transaction', () => {
    const cond = CONDITIONS[0];
    write(store, (s) => s.insert(TYPE, 'first', { name: 'abc' }, []));
    expect(store.matching(TYPE, cond, [rid()])).toEqual(['first']);
    write(store, (s) => {
      for (let i = 0; i < 300; i++) s.insert(TYPE, `m${i}`, { name: i % 2 ? 'xa' : 'xy' }, []);
    });
    expect(store.matching(TYPE, cond, [rid()])).toHaveLength(151);
    let inside: unknown[] = [];
    expect(() =>
      store.transaction(() => {
        store.delete(TYPE, 'first');
        inside = [store.matching(TYPE, cond, [rid()]), store.count(TYPE, '', [])];
        throw new Error('roll back');
      }),
    ).toThrow('roll back');
    store.discardPending();
    expect(inside).toEqual([null, 300]);
    // The rolled-back delete left nothing behind in what is remembered.
    expect(store.matching(TYPE, cond, [rid()])).toHaveLength(151);
    expect(store.count(TYPE, '', [])).toBe(301);
  });
});

describe('a result too large to remember', () => {
  it('is left to SQLite, and not computed again for every read', () => {
    write(store, (s) => {
      for (let i = 0; i <= 50_000; i++) s.insert(TYPE, `r${i}`, { name: 'match' }, []);
    });
    const cond = CONDITIONS[0];
    expect(store.matching(TYPE, cond, [rid()])).toBeNull();
    const visited = store.rowsVisited;
    expect(store.matching(TYPE, cond, [rid()])).toBeNull();
    expect(store.rowsVisited).toBe(visited);
    // Once enough is gone, it is remembered again.
    write(store, (s) => {
      for (let i = 0; i < 300; i++) s.delete(TYPE, `r${i}`);
    });
    expect(store.matching(TYPE, cond, [rid()])).toHaveLength(50_001 - 300);
  });
});

describe('compareSqlite agrees with SQLite', () => {
  const VALUES: unknown[] = [null, -1, 0, 0.5, 2, 10, '', 'A', 'a', 'AB', 'ab', 'b', 'Z', '_', 'é', 'É', '中', '10', '9'];
  for (const nocase of [false, true]) {
    it(`orders every pair like SQLite${nocase ? ' (NOCASE)' : ''}`, () => {
      const c = nocase ? ' COLLATE NOCASE' : '';
      const cmp = store.db.prepare(`SELECT CASE WHEN ?${c} < ? THEN -1 WHEN ?${c} > ? THEN 1 ELSE 0 END`).pluck();
      for (const a of VALUES) {
        for (const b of VALUES) {
          // ORDER BY puts NULL first; a comparison with NULL is NULL.
          const want = a === null && b === null ? 0 : a === null ? -1 : b === null ? 1 : cmp.get(a, b, a, b);
          expect(Math.sign(compareSqlite(a, b, nocase)), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(want);
        }
      }
    });
  }

  it('refuses to guess where UTF-16 and UTF-8 orders differ', () => {
    expect(() => compareSqlite('\u{1F600}', '\uFF61', false)).toThrow();
  });
});
