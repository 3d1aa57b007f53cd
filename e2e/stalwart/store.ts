// The stand-in's records, in memory (a fresh server per test run), and the values a
// Stalwart server fills in itself: addresses, dates, credential ids, task status.

import { randomBytes } from 'node:crypto';
import type { FieldType } from '../../src/shared/schema/types';
import { SCHEMA } from './schema';
import { hashSecret, type Exists } from './values';

export type Rec = Record<string, unknown> & { id: string };
type Obj = Record<string, unknown>;

export const nowUtc = (offsetMs = 0) => new Date(Date.now() + offsetMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
/** Short opaque ids, as Stalwart's look (RFC 8620 §1.2 characters only). */
export const newId = () => randomBytes(6).toString('hex').slice(0, 8);

/** A view's parent object, and the condition the view adds (its list's filtersStatic). */
export function baseOf(objectName: string): { base: string; where: Obj } {
  const entry = SCHEMA.objects[objectName];
  if (entry?.type === 'view' && entry.objectName) return { base: entry.objectName, where: SCHEMA.lists[objectName]?.filtersStatic ?? {} };
  return { base: objectName, where: {} };
}

export class Store {
  private readonly tables = new Map<string, Map<string, Rec>>();
  /** Whether outbound delivery is paused (x:Action PauseMtaQueue / ResumeMtaQueue). */
  queuePaused = false;
  /** Times the settings were reloaded (x:Action ReloadSettings). */
  reloads = 0;

  constructor(admin: { username: string; password: string }) {
    const domain = this.insert('x:Domain', { name: 'example.test', description: 'Seeded domain' });
    this.insert('x:Account', {
      '@type': 'User',
      name: admin.username,
      domainId: domain.id,
      description: 'Administrator',
      credentials: { 0: { '@type': 'Password', secret: hashSecret(admin.password), otpAuth: null, expiresAt: null } },
      memberGroupIds: {},
      roles: { '@type': 'Admin' },
      quotas: {},
      locale: 'en_US',
      memberTenantId: null,
    });
    this.insert('x:Account', { '@type': 'Group', name: 'staff', domainId: domain.id, description: 'Everyone', roles: { '@type': 'User' } });
    this.insert('x:Role', { name: 'Help desk', description: 'Reads accounts and resets passwords', enabledPermissions: { sysAccountGet: true, sysAccountQuery: true, sysAccountUpdate: true } });
    this.insert('x:Role', { name: 'Postmaster', description: 'Looks after the queue', enabledPermissions: { sysQueuedMessageGet: true, sysQueuedMessageQuery: true, sysQueuedMessageUpdate: true } });
    for (const [from, to, size] of [['newsletter@shop.example', 'jane@example.test', 18_230], ['bounce@lists.example', 'staff@example.test', 4_096]] as const) {
      this.insert('x:QueuedMessage', { returnPath: from, recipients: { [to]: true }, nextRetry: nowUtc(3_600_000), priority: 0, size });
    }
    this.insert('x:DataStore', { '@type': 'RocksDb', path: '/var/lib/stalwart/data', poolWorkers: null }, 'singleton');
    this.insert('x:BlobStore', { '@type': 'Default' }, 'singleton');
    this.insert('x:SearchStore', { '@type': 'ElasticSearch', url: 'http://127.0.0.1:9200', authUsername: null, authSecret: null, numShards: 3 }, 'singleton');
  }

  table(base: string): Map<string, Rec> {
    let t = this.tables.get(base);
    if (!t) this.tables.set(base, (t = new Map()));
    return t;
  }

  /** Stores a new record; `id` is for singletons ("singleton"), else a fresh one is drawn. */
  insert(base: string, value: Obj, id?: string): Rec {
    if (id === undefined) do id = newId(); while (this.table(base).has(id));
    const rec = { ...value, id } as Rec;
    this.fillServerSet(base, rec, undefined);
    this.table(base).set(id, rec);
    return rec;
  }

  /** Does `id` name a record of `objectName` (a view: of its parent, matching the view)? */
  readonly exists: Exists = (objectName, id) => {
    const { base, where } = baseOf(objectName);
    const rec = this.table(base).get(id);
    return !!rec && Object.entries(where).every(([k, v]) => rec[k] === v);
  };

  /** The values only the server writes, after every create and update. */
  fillServerSet(base: string, rec: Rec, before: Rec | undefined): void {
    if (base === 'x:Account') {
      const domain = this.table('x:Domain').get(String(rec.domainId));
      rec.emailAddress = `${String(rec.name)}@${String(domain?.name ?? 'invalid')}`;
      rec.createdAt = before?.createdAt ?? nowUtc();
      if (rec['@type'] === 'User') {
        rec.usedDiskQuota = before?.usedDiskQuota ?? 0;
        for (const c of Object.values((rec.credentials ?? {}) as Record<string, Obj>)) c.credentialId ??= newId();
      }
    } else if (base === 'x:Task') {
      const createdAt = nowUtc();
      const due = nowUtc(5 * 60_000);
      rec.status ??= { '@type': 'Pending', createdAt, due };
      rec.due ??= due;
    } else if (base === 'x:QueuedMessage') {
      rec.createdAt ??= nowUtc(-600_000);
      // Re-dating to a past instant means "now": the queue takes it on its next pass.
      if (typeof rec.nextRetry === 'string' && rec.nextRetry < nowUtc(-86_400_000)) rec.nextRetry = nowUtc();
    }
  }

  /** Records that point at `id` of `base` (which then cannot be destroyed). */
  linksTo(base: string, id: string): { object: string; id: string }[] {
    const found: { object: string; id: string }[] = [];
    for (const [object, table] of this.tables) {
      // Tasks name accounts loosely: a pending task does not keep its account alive.
      if (object === 'x:Task') continue;
      for (const rec of table.values()) if (rec.id !== id && mentions(rec, id, base, object)) found.push({ object, id: rec.id });
    }
    return found;
  }
}

/** Whether a record holds a reference to `id` of `base` in any objectId field (at any depth). */
function mentions(rec: Obj, id: string, base: string, object: string): boolean {
  const schemaName = schemaOf(object, rec);
  const props = (schemaName && SCHEMA.fields[schemaName]?.properties) || {};
  return Object.entries(props).some(([k, p]) => refersTo(p.type, rec[k], id, base));
}

function schemaOf(objectName: string, value: Obj): string | undefined {
  const shape = SCHEMA.schemas[objectName];
  if (!shape) return undefined;
  return shape.type === 'single' ? shape.schemaName : shape.variants.find((v) => v.name === value['@type'])?.schemaName;
}

function refersTo(t: FieldType, v: unknown, id: string, base: string): boolean {
  if (v === null || v === undefined) return false;
  if (t.type === 'objectId') return v === id && baseOf(t.objectName).base === base;
  if (t.type === 'set' && t.class.type === 'objectId') return baseOf(t.class.objectName).base === base && (v as Obj)[id] === true;
  if (t.type === 'object') return mentions(v as Obj, id, base, t.objectName);
  if (t.type === 'objectList') return Object.values(v as Obj).some((x) => mentions(x as Obj, id, base, t.objectName));
  return false;
}
