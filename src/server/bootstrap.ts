// First start and every start: indexes, the built-in administrator, this node's registration;
// and the administrator's restoration by `npm run reset-admin` (cli.ts).

import { checkObject, utcDateTime } from '../shared/schema/validate';
import type { Caller } from './auth/caller';
import { endAccountSessions } from './auth/oauthStore';
import { generatePassword } from './auth/passwords';
import { BUILT_IN_ROLE_META, members, ownPermissions, roleClosure, rolesOf } from './auth/permissions';
import { accountIdBySignInName } from './auth/signIn';
import type { Config } from './config';
import { LIMITS } from './jmap/context';
import { newId, set } from './jmap/set';
import { CATALOGUE, OBJECT_BY_NAME, OBJECTS, PERMISSIONS, SCHEMA } from './objects';
import type { Ref, Store } from './store/records';
import type { WriteVia } from './objects/define';
import { SERVER_VERSION } from './about/version';

/** package.json's version (about/version.ts). */
export const VERSION = SERVER_VERSION;

const system: Caller = { accountId: 'system', name: 'system', permissions: new Set(PERMISSIONS.map((p) => p.name)) };

/** Runs /set as the server itself, so bootstrap records pass the same checks as any; `via` (the command line) puts it in the activity log. */
export function systemSet(store: Store, type: string, args: Record<string, unknown>, via?: WriteVia) {
  const ctx = { store, catalogue: CATALOGUE, caller: system, accountId: 'system', createdIds: new Map<string, string>(), limits: LIMITS, via };
  const res = set(ctx, OBJECT_BY_NAME.get(type)!, undefined, args) as Record<string, Record<string, { id: string }> | null>;
  const failed = res.notCreated ?? res.notUpdated;
  if (failed) throw new Error(`Bootstrap of ${type} failed: ${JSON.stringify(failed)}`);
  return res;
}

/** The writes of a first start, in order; a test can stop the start after any of them. */
export type FirstStartStep = 'role' | 'account' | 'clusterRole' | 'meta';

export interface BootstrapHooks {
  /** Called inside the first start's transaction after each step (tests: a crash there). */
  afterStep?(step: FirstStartStep): void;
}

const allPermissions = () => PERMISSIONS.map((p) => p.name);

/** Runs `fn` in one transaction; what it wrote is announced only once it committed. */
function atomically<T>(store: Store, fn: () => T): T {
  let out: T;
  try {
    out = store.transaction(fn);
  } catch (e) {
    store.discardPending();
    throw e;
  }
  store.flushChanges();
  return out;
}

/** What a role record references (its parents, its tenant), for the refs index. */
function roleRefs(role: Record<string, unknown>): Ref[] {
  const { builtIn: _, ...input } = role;
  return checkObject(SCHEMA, 'x:Role', input).references.map((r) => ({ objectName: r.objectName, id: r.id }));
}

/**
 * Writes a built-in role as it should be: the Administrator role every permission, the User
 * role (what accounts whose `roles` is User hold) none of the server's sys* permissions,
 * which are all it has today; neither disables or extends anything. Written directly:
 * clients (and /set) cannot change a built-in role.
 */
function writeBuiltInRole(store: Store, id: string | null, kind: 'Admin' | 'User' = 'Admin'): string {
  const content = kind === 'Admin' ? { description: 'Administrator', enabledPermissions: allPermissions() } : { description: 'User', enabledPermissions: [] };
  const value = { ...checkObject(SCHEMA, 'x:Role', content).value, builtIn: true };
  if (id && store.get('x:Role', id)) {
    store.update('x:Role', id, value, []);
    return id;
  }
  const roleId = id ?? newId();
  store.insert('x:Role', roleId, value, []);
  return roleId;
}

/** A new administrator in x:Account's shape: no domain (it signs in by name), the Administrator role. */
function adminAccount(name: string, password: string) {
  return { '@type': 'User', name, domainId: null, description: 'Administrator', credentials: { 0: { '@type': 'Password', secret: password } }, roles: { '@type': 'Admin' } };
}

/**
 * The first start's records in one transaction (a kill at any point leaves none of them,
 * and the next start makes them all): the Administrator role, the `admin` user, the
 * default cluster role, and the meta that says which role is the built-in one.
 */
function firstStart(store: Store, config: Config, log: (msg: string) => void, hooks: BootstrapHooks): void {
  const password = config.adminPassword ?? generatePassword();
  atomically(store, () => {
    const roleId = writeBuiltInRole(store, null);
    store.setMeta(BUILT_IN_ROLE_META.Admin, roleId);
    store.setMeta(BUILT_IN_ROLE_META.User, writeBuiltInRole(store, null, 'User'));
    hooks.afterStep?.('role');
    systemSet(store, 'x:Account', { create: { admin: adminAccount('admin', password) } });
    hooks.afterStep?.('account');
    if (!store.findBy('x:ClusterRole', 'name', 'default')) {
      systemSet(store, 'x:ClusterRole', {
        create: { r: { name: 'default', description: 'Runs every task and listener', tasks: { '@type': 'EnableAll' }, listeners: { '@type': 'EnableAll' } } },
      });
    }
    hooks.afterStep?.('clusterRole');
    store.setMeta('knownPermissions', JSON.stringify(allPermissions()));
    hooks.afterStep?.('meta');
  });
  if (config.adminPassword) log('Created the administrator account "admin" with the password from ADMIN_PASSWORD.');
  else log(`Created the administrator account "admin". Its password, shown only this once: ${password}`);
}

/**
 * Every start: roles stored before `builtIn` existed get it (true on the Administrator
 * role), and permissions a newer version added go to the Administrator role.
 */
function upgradeRoles(store: Store, log: (msg: string) => void): void {
  const all = allPermissions();
  const adminRoleId = store.getMeta(BUILT_IN_ROLE_META.Admin);
  const known = new Set<string>(JSON.parse(store.getMeta('knownPermissions') ?? '[]'));
  const added = all.filter((p) => !known.has(p));
  const unflagged = [...store.findWhere('x:Role', "json_type(data, '$.builtIn') IS NULL")];
  const userRoleId = store.getMeta(BUILT_IN_ROLE_META.User);
  if (!userRoleId || !store.get('x:Role', userRoleId)) {
    atomically(store, () => store.setMeta(BUILT_IN_ROLE_META.User, writeBuiltInRole(store, null, 'User')));
  }
  if (unflagged.length === 0 && added.length === 0) return;
  atomically(store, () => {
    for (const [id, r] of unflagged) store.update('x:Role', id, { ...r, builtIn: id === adminRoleId }, roleRefs(r));
    const admin = adminRoleId ? store.get('x:Role', adminRoleId) : null;
    if (admin && added.length) {
      const enabled = { ...(admin.enabledPermissions as object), ...Object.fromEntries(added.map((p) => [p, true])) };
      store.update('x:Role', adminRoleId!, { ...admin, enabledPermissions: enabled }, roleRefs(admin));
    }
    store.setMeta('knownPermissions', JSON.stringify(all));
  });
  // A role changed before it became read-only keeps what it had; the operator decides.
  const admin = adminRoleId ? store.get('x:Role', adminRoleId) : null;
  const missing = admin ? all.filter((p) => !members(admin.enabledPermissions).includes(p) || members(admin.disabledPermissions).includes(p)) : [];
  if (missing.length) log(`The built-in Administrator role lacks ${missing.length} permission(s); \`npm run reset-admin\` restores them.`);
}

export function bootstrap(store: Store, config: Config, log: (msg: string) => void, hooks: BootstrapHooks = {}): void {
  for (const o of OBJECTS) store.ensureIndexes(o.name, o.indexed ?? [], o.unique ?? []);
  store.analyze();
  if (!store.findBy('x:Account', '@type', 'User')) firstStart(store, config, log, hooks);
  upgradeRoles(store, log);
  registerNode(store, config);
}

/**
 * x:ClusterNode is read-only to clients: the server writes its own record, keyed by
 * hostname. A new node takes the next free nodeId; lastRenewal is its lease (renewNode).
 */
function registerNode(store: Store, config: Config) {
  const roleId = store.findBy('x:ClusterRole', 'name', config.nodeRole);
  const refs = roleId ? [{ objectName: 'x:ClusterRole', id: roleId }] : [];
  const now = utcDateTime();
  store.transaction(() => {
    const id = store.findBy('x:ClusterNode', 'hostname', config.nodeName);
    const prev = id ? store.get('x:ClusterNode', id) : null;
    const nodeId = typeof prev?.nodeId === 'number' ? prev.nodeId : nextNodeId(store);
    const value = { nodeId, hostname: config.nodeName, lastRenewal: now, roleId, version: VERSION, startedAt: now };
    if (id) store.update('x:ClusterNode', id, value, refs);
    else store.insert('x:ClusterNode', `n${Date.now().toString(36)}`, value, refs);
  });
  store.flushChanges();
}

function nextNodeId(store: Store): number {
  const row = store.db
    .prepare(`SELECT coalesce(max(json_extract(data, '$.nodeId')), 0) AS n FROM records WHERE type = 'x:ClusterNode'`)
    .get() as { n: number };
  return row.n + 1;
}

/** Renews this node's lease (its lastRenewal): while it runs, its status stays active. */
export function renewNode(store: Store, hostname: string): void {
  const id = store.findBy('x:ClusterNode', 'hostname', hostname);
  const prev = id ? store.get('x:ClusterNode', id) : null;
  if (!id || !prev) return;
  const refs = typeof prev.roleId === 'string' ? [{ objectName: 'x:ClusterRole', id: prev.roleId }] : [];
  atomically(store, () => store.update('x:ClusterNode', id, { ...prev, lastRenewal: utcDateTime() }, refs));
}

export interface AdminReset {
  accountId: string;
  created: boolean;
  /** Roles and groups taken from the account because they disabled permissions. */
  removed: string[];
}

/**
 * `npm run reset-admin`: the built-in Administrator role back to every permission, and
 * `user` a User holding it with `password`, signed out everywhere. One transaction.
 * Roles and groups of the account that disable permissions are taken from it, or it
 * would still not be an administrator.
 */
export function resetAdmin(store: Store, user: string, password: string, via?: WriteVia): AdminReset {
  return atomically(store, () => {
    const known = store.getMeta(BUILT_IN_ROLE_META.Admin);
    const before = known ? store.get('x:Role', known) : null;
    const roleId = writeBuiltInRole(store, known);
    if (via) {
      const write = { def: OBJECT_BY_NAME.get('x:Role')!, id: roleId, prev: before, next: store.get('x:Role', roleId), via, caller: system };
      CATALOGUE.recordWrite?.(store, { ...write, action: before ? 'updated' : 'created' });
    }
    store.setMeta(BUILT_IN_ROLE_META.Admin, roleId);
    store.setMeta('knownPermissions', JSON.stringify(allPermissions()));
    const existing = accountIdBySignInName(store, user);
    if (!existing) {
      const res = systemSet(store, 'x:Account', { create: { a: adminAccount(user, password) } }, via);
      return { accountId: res.created!.a.id, created: true, removed: [] };
    }
    const account = store.get('x:Account', existing)!;
    if (account['@type'] !== 'User') throw new Error(`"${user}" is a group, not a user: name another account with --user`);
    const disables = (roleIds: string[]) => [...roleClosure(store, roleIds).values()].some((r) => members(r.disabledPermissions).length > 0);
    const removed: string[] = [];
    const keep = (ids: string[], takes: (id: string) => boolean, named: (id: string) => string) => {
      const kept = ids.filter((id) => id === roleId || !takes(id));
      for (const id of ids) if (!kept.includes(id)) removed.push(named(id));
      return Object.fromEntries(kept.map((id) => [id, true]));
    };
    const ownRoles = (account.roles as Record<string, unknown> | undefined)?.['@type'] === 'Custom' ? rolesOf(store, account.roles) : [];
    const roleIds = { ...keep(ownRoles, (id) => disables([id]), (id) => `role "${String(store.get('x:Role', id)?.description)}"`), [roleId]: true };
    const group = (id: string) => store.get('x:Account', id);
    const memberGroupIds = keep(
      members(account.memberGroupIds),
      (id) => disables(rolesOf(store, group(id)?.roles)) || ownPermissions(group(id)?.permissions).disabled.length > 0,
      (id) => `group "${String(group(id)?.name)}"`,
    );
    if (ownPermissions(account.permissions).kind !== 'Inherit') removed.push('its own permissions');
    const credentials = { 0: { '@type': 'Password', secret: password } };
    systemSet(store, 'x:Account', {
      update: {
        [existing]: { roles: ownRoles.length ? { '@type': 'Custom', roleIds } : { '@type': 'Admin' }, permissions: { '@type': 'Inherit' }, memberGroupIds, credentials },
      },
    }, via);
    endAccountSessions(store.db, existing);
    return { accountId: existing, created: false, removed };
  });
}
