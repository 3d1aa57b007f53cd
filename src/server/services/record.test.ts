// The x:Service record without a daemon: initial settings from the environment, no
// write when nothing changed, and the read-outs the definition (not the supervisor) adds.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { present } from '../jmap/get';
import { SCHEMA } from '../objects';
import { service as serviceDef } from '../objects/services';
import { openDatabase } from '../store/db';
import { Store } from '../store/records';
import type { ServiceDriver } from './driver';
import { Supervisor } from './supervisor';

/** A driver whose software is never installed: nothing is ever started. */
const missing: ServiceDriver = {
  id: 'fake',
  serviceName: 'fake4',
  generalName: 'FAKE',
  description: 'A service for tests',
  software: 'Fakecot',
  installHint: 'nothing to install',
  defaultPorts: { port: 1143, securePort: 1993 },
  greeting: '* OK',
  detect: () => Promise.resolve({ installed: false, version: null, binary: null }),
  renderConfig: () => '',
  prepare: () => Promise.reject(new Error('not installed')),
  effectiveConfig: () => Promise.resolve(null),
  pidFile: (p) => path.join(p.run, 'master.pid'),
};

const open: Supervisor[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function supervise(env: NodeJS.ProcessEnv = {}) {
  const store = new Store(openDatabase(fs.mkdtempSync(path.join(os.tmpdir(), 'postern-services-'))));
  const logged: string[] = [];
  const supervisor = new Supervisor({
    store, schema: SCHEMA, dataDir: '/srv/postern', nodeName: 'test-node', drivers: [missing], env, log: (m) => logged.push(m),
  });
  open.push(supervisor);
  await supervisor.start();
  return { store, logged, record: () => store.get('x:Service', 'fake')! };
}

const settled = () => new Promise((r) => setImmediate(() => setImmediate(r)));

describe('the x:Service record', () => {
  it('starts from the schema defaults, the driver ports and POSTERN_<ID>_*', async () => {
    const { record } = await supervise({
      POSTERN_FAKE_PORT: '2143', POSTERN_FAKE_SECURE_PORT: '2993', POSTERN_FAKE_ADDRESS: '127.0.0.1', POSTERN_FAKE_START_ON_BOOT: 'yes',
    });
    expect(record()).toMatchObject({
      name: 'fake4', status: 'notInstalled', running: false, port: 2143, securePort: 2993, bindAddress: '127.0.0.1',
      startOnBoot: true, maxConnections: 40, ports: { 2143: true, 2993: true }, configPath: '/srv/postern/services/fake/dovecot.conf',
    });
  });

  it('ignores settings from the environment that the schema refuses', async () => {
    const { record, logged } = await supervise({ POSTERN_FAKE_PORT: '70000' });
    expect(record()).toMatchObject({ port: 1143, securePort: 1993 });
    expect(logged.join('\n')).toMatch(/Ignoring invalid POSTERN_FAKE_\* settings: port/);
  });

  it('writes nothing after a client\'s change that leaves the measured state as it was', async () => {
    const { store, record } = await supervise();
    store.transaction(() => store.update('x:Service', 'fake', { ...record(), maxConnections: 10 }, []));
    store.flushChanges();
    const after = store.modseq('x:Service');
    await settled();
    expect(store.modseq('x:Service')).toBe(after);
  });

  it('a client reads the permissions and the page from the definition; neither is stored', async () => {
    const { record } = await supervise();
    expect(record()).not.toHaveProperty('requiredPermissions');
    expect(record()).not.toHaveProperty('page');
    expect(present(serviceDef, 'fake', record(), ['requiredPermissions', 'page'])).toEqual({
      id: 'fake',
      requiredPermissions: { sysServiceGet: true, sysServiceUpdate: true, sysServiceActionCreate: true, sysServiceActionGet: true },
      page: '/settings/services/fake',
    });
  });
});
