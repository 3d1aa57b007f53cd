// First start and every start: indexes, the administrator, this node's registration.

import { checkObject, utcDateTime } from '../shared/schema/validate';
import type { Caller } from './auth/caller';
import { generatePassword } from './auth/passwords';
import type { Config } from './config';
import { LIMITS } from './jmap/context';
import { set } from './jmap/set';
import { CATALOGUE, OBJECT_BY_NAME, OBJECTS, PERMISSIONS, SCHEMA } from './objects';
import type { Store } from './store/records';

export const VERSION = '0.1.0';

const system: Caller = { accountId: 'system', name: 'system', permissions: new Set(PERMISSIONS.map((p) => p.name)) };

/** Runs /set as the server itself, so bootstrap records pass the same checks as any. */
export function systemSet(store: Store, type: string, args: Record<string, unknown>) {
  const ctx = { store, catalogue: CATALOGUE, caller: system, accountId: 'system', createdIds: new Map<string, string>(), limits: LIMITS };
  const res = set(ctx, OBJECT_BY_NAME.get(type)!, undefined, args) as Record<string, Record<string, { id: string }> | null>;
  const failed = res.notCreated ?? res.notUpdated;
  if (failed) throw new Error(`Bootstrap of ${type} failed: ${JSON.stringify(failed)}`);
  return res;
}

export function bootstrap(store: Store, config: Config, log: (msg: string) => void): void {
  for (const o of OBJECTS) store.ensureIndexes(o.name, o.indexed ?? [], o.unique ?? []);
  store.analyze();
  const all = PERMISSIONS.map((p) => p.name);

  if (!store.findBy('x:Account', '@type', 'User')) {
    const password = config.adminPassword ?? generatePassword();
    const roles = systemSet(store, 'x:Role', {
      create: { admin: { description: 'Administrator', enabledPermissions: all } },
    });
    const roleId = roles.created!.admin.id;
    systemSet(store, 'x:Account', {
      create: { admin: { '@type': 'User', name: 'admin', description: 'Administrator', password, roles: { [roleId]: true } } },
    });
    systemSet(store, 'x:ClusterRole', {
      create: { r: { name: 'default', description: 'Runs every task and listener', tasks: { '@type': 'EnableAll' }, listeners: { '@type': 'EnableAll' } } },
    });
    store.setMeta('adminRoleId', roleId);
    store.setMeta('knownPermissions', JSON.stringify(all));
    if (config.adminPassword) log('Created the administrator account "admin" with the password from ADMIN_PASSWORD.');
    else log(`Created the administrator account "admin". Its password, shown only this once: ${password}`);
  }

  // Permissions that a newer version added go to the administrator role.
  const known = new Set<string>(JSON.parse(store.getMeta('knownPermissions') ?? '[]'));
  const added = all.filter((p) => !known.has(p));
  const adminRoleId = store.getMeta('adminRoleId');
  if (added.length && adminRoleId && store.get('x:Role', adminRoleId)) {
    systemSet(store, 'x:Role', {
      update: { [adminRoleId]: Object.fromEntries(added.map((p) => [`enabledPermissions/${p}`, true])) },
    });
  }
  store.setMeta('knownPermissions', JSON.stringify(all));

  registerNode(store, config);
}

/** x:ClusterNode is read-only to clients: the server writes its own record. */
function registerNode(store: Store, config: Config) {
  const roleId = store.findBy('x:ClusterRole', 'name', config.nodeRole);
  const check = checkObject(SCHEMA, 'x:ClusterNode', {});
  const value = {
    ...check.value,
    name: config.nodeName,
    roleId,
    version: VERSION,
    startedAt: utcDateTime(),
  };
  const refs = roleId ? [{ objectName: 'x:ClusterRole', id: roleId }] : [];
  store.transaction(() => {
    const id = store.findBy('x:ClusterNode', 'name', config.nodeName);
    if (id) store.update('x:ClusterNode', id, value, refs);
    else store.insert('x:ClusterNode', `n${Date.now().toString(36)}`, value, refs);
  });
  store.flushChanges();
}
