// Test helpers for WebAdmin routes that reach the real mail store: the WebAdmin test server
// with its IMAP service (Postern's private Dovecot) started through an x:ServiceAction, on
// free ports, ManageSieve included (its client is mail/sieveTesting.ts).

import { expect } from 'vitest';
import { dovecotDriver } from '../services/dovecot';
import { createAction, freePort, getRecords, waitFor, type ServiceActionRecord } from '../services/testing';
import { startWebAdminTest, type WebAdminTest } from './testing';

export interface MailWebAdminTest extends WebAdminTest {
  imapPort: number;
  sievePort: number;
  /** Runs an x:ServiceAction on the IMAP service and waits for it to finish. */
  imap(action: 'start' | 'stop' | 'restart'): Promise<ServiceActionRecord>;
}

/** Why the real Dovecot cannot run here, or null. */
export async function mailStoreMissing(): Promise<string | null> {
  const install = await dovecotDriver({ protocol: 'imap' }).detect();
  return install.installed ? null : install.problem ?? 'Dovecot is not installed (apt-get install dovecot-core dovecot-imapd dovecot-lmtpd)';
}

const ENV = ['POSTERN_IMAP_PORT', 'POSTERN_IMAP_SECURE_PORT', 'POSTERN_IMAP_ADDRESS', 'POSTERN_MANAGESIEVE_PORT'];

export async function startMailWebAdminTest(): Promise<MailWebAdminTest> {
  const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
  const imapPort = await freePort();
  const sievePort = await freePort();
  Object.assign(process.env, {
    POSTERN_IMAP_PORT: String(imapPort), POSTERN_IMAP_SECURE_PORT: String(await freePort()),
    POSTERN_IMAP_ADDRESS: '127.0.0.1', POSTERN_MANAGESIEVE_PORT: String(sievePort),
  });
  const t = await startWebAdminTest();
  const imap: MailWebAdminTest['imap'] = async (action) => {
    const r = await createAction(t.server, { serviceId: 'imap', action });
    expect(r.notCreated, JSON.stringify(r.notCreated)).toBeNull();
    const id = r.created!.a.id;
    return waitFor(`imap ${action}`, async () => {
      const [a] = await getRecords<ServiceActionRecord>(t.server, 'x:ServiceAction', [id]);
      return a.state === 'done' || a.state === 'failed' ? a : null;
    }, 40_000, 150);
  };
  const started = await imap('start');
  expect(started.state, started.message ?? '').toBe('done');
  return {
    ...t,
    imapPort,
    sievePort,
    imap,
    async close() {
      await t.close();
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    },
  };
}
