// The first start is one transaction: stopped at any step (a thrown error or a real
// kill -9), the next start leaves exactly one administrator and one Administrator role.
// And every start brings older data up to date.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bootstrap, type FirstStartStep } from './bootstrap';
import type { Config } from './config';
import { PERMISSIONS } from './objects';
import { openDatabase } from './store/db';
import { Store } from './store/records';

const STEPS: FirstStartStep[] = ['role', 'account', 'clusterRole', 'meta'];
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-bootstrap-'));
  dirs.push(dir);
  return dir;
}

const config = (dataDir: string): Config => ({
  port: 0, host: '127.0.0.1', dataDir, adminPassword: 'boot-Passw0rd', staticDir: dataDir, nodeName: 'boot-node', nodeRole: 'default',
});

function withStore<T>(dir: string, fn: (store: Store) => T): T {
  const store = new Store(openDatabase(dir));
  try {
    return fn(store);
  } finally {
    store.db.close();
  }
}

/** What a completed first start must leave, and nothing twice. */
function expectOneAdministrator(dir: string) {
  withStore(dir, (store) => {
    const users = [...store.all('x:Account')].filter(([, a]) => a['@type'] === 'User');
    expect(users.map(([, a]) => a.name)).toEqual(['admin']);
    const roles = [...store.all('x:Role')];
    expect(roles.map(([, r]) => [r.description, r.builtIn])).toEqual([['Administrator', true], ['User', true]]);
    expect(users[0][1].roles).toEqual({ '@type': 'Admin' });
    expect(users[0][1].domainId).toBeNull();
    expect(store.getMeta('adminRoleId')).toBe(roles[0][0]);
    expect(store.getMeta('userRoleId')).toBe(roles[1][0]);
    expect(roles[1][1].enabledPermissions).toEqual({});
    expect([...store.all('x:ClusterRole')].map(([, r]) => r.name)).toEqual(['default']);
  });
}

describe('first start', () => {
  it.each(STEPS)('stopped after the %s step leaves nothing; the next start completes it', (step) => {
    const dir = tempDir();
    withStore(dir, (store) => {
      const crash = () => bootstrap(store, config(dir), () => {}, { afterStep: (s) => { if (s === step) throw new Error(`crash after ${s}`); } });
      expect(crash).toThrow(`crash after ${step}`);
      expect(store.db.prepare('SELECT count(*) FROM records').pluck().get()).toBe(0);
    });
    withStore(dir, (store) => bootstrap(store, config(dir), () => {}));
    expectOneAdministrator(dir);
    // And a start after that changes nothing of it.
    withStore(dir, (store) => bootstrap(store, config(dir), () => {}));
    expectOneAdministrator(dir);
  });

  it('killed with SIGKILL at each step, in a real process, the next start completes it', async () => {
    const runs = STEPS.map(async (step) => {
      const dir = tempDir();
      const script = path.join(dir, 'start.ts');
      fs.writeFileSync(
        script,
        [
          `import { bootstrap } from ${JSON.stringify(path.resolve('src/server/bootstrap.ts'))};`,
          `import { openDatabase } from ${JSON.stringify(path.resolve('src/server/store/db.ts'))};`,
          `import { Store } from ${JSON.stringify(path.resolve('src/server/store/records.ts'))};`,
          `const store = new Store(openDatabase(${JSON.stringify(dir)}));`,
          `bootstrap(store, ${JSON.stringify(config(dir))}, () => {}, { afterStep: (s) => { if (s === ${JSON.stringify(step)}) process.kill(process.pid, 'SIGKILL'); } });`,
          `console.log('not killed');`,
        ].join('\n'),
      );
      // Node itself runs the script (tsx as a loader), so the killed process is the one spawned.
      const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
      expect(signal, output).toBe('SIGKILL');
      expect(output).not.toContain('not killed');
      withStore(dir, (store) => bootstrap(store, config(dir), () => {}));
      expectOneAdministrator(dir);
    });
    await Promise.all(runs);
  }, 120_000);
});

describe('every start', () => {
  it('marks roles stored before builtIn existed, the Administrator role as built in', () => {
    const dir = tempDir();
    withStore(dir, (store) => {
      bootstrap(store, config(dir), () => {});
      store.insert('x:Role', 'oldrole', { description: 'Old', enabledPermissions: {}, disabledPermissions: {}, roleIds: {}, memberTenantId: null }, []);
      const adminRoleId = store.getMeta('adminRoleId')!;
      const { builtIn: _, ...legacy } = store.get('x:Role', adminRoleId)!;
      store.update('x:Role', adminRoleId, legacy, []);
    });
    withStore(dir, (store) => {
      bootstrap(store, config(dir), () => {});
      expect(store.get('x:Role', store.getMeta('adminRoleId')!)?.builtIn).toBe(true);
      expect(store.get('x:Role', 'oldrole')?.builtIn).toBe(false);
    });
  });

  it('gives the Administrator role the permissions a newer version added, and says when it lacks others', () => {
    const dir = tempDir();
    const all = PERMISSIONS.map((p) => p.name);
    const lines: string[] = [];
    withStore(dir, (store) => {
      bootstrap(store, config(dir), () => {});
      const id = store.getMeta('adminRoleId')!;
      const role = store.get('x:Role', id)!;
      const { sysTenantGet: _, ...enabled } = role.enabledPermissions as Record<string, true>;
      // As an older version left it: without sysTenantGet, which it did not know, and one disabled.
      store.update('x:Role', id, { ...role, enabledPermissions: enabled, disabledPermissions: { sysServiceUpdate: true } }, []);
      store.setMeta('knownPermissions', JSON.stringify(all.filter((p) => p !== 'sysTenantGet')));
    });
    withStore(dir, (store) => {
      bootstrap(store, config(dir), (m) => lines.push(m));
      expect(Object.keys(store.get('x:Role', store.getMeta('adminRoleId')!)!.enabledPermissions as object).sort()).toEqual([...all].sort());
    });
    expect(lines).toEqual(['The built-in Administrator role lacks 1 permission(s); `npm run reset-admin` restores them.']);
  });
});
