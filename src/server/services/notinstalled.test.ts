// Without Dovecot the service is reported as not installed, with the command that
// installs it, and actions fail with that message; nothing crashes. (POSTERN_DOVECOT
// points the driver at a binary that does not exist.)

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing';
import { callAs, createAction, getRecords, waitFor, type ServiceActionRecord, type ServiceRecord, type SetResponse } from './testing';

describe('IMAP service when Dovecot is not installed', () => {
  let server: TestServer;
  const saved = process.env.POSTERN_DOVECOT;

  beforeAll(async () => {
    process.env.POSTERN_DOVECOT = '/nonexistent/sbin/dovecot';
    server = await startTestServer();
  });

  afterAll(async () => {
    await server.close();
    if (saved === undefined) delete process.env.POSTERN_DOVECOT;
    else process.env.POSTERN_DOVECOT = saved;
  });

  const imap = (s: TestServer) => getRecords<ServiceRecord>(s, 'x:Service', ['imap']);
  const service = async () => (await imap(server))[0];

  it('says so, and how to install it', async () => {
    expect(await service()).toMatchObject({
      status: 'notInstalled',
      running: false,
      installed: false,
      version: null,
      installHint: 'apt-get install dovecot-core dovecot-imapd dovecot-lmtpd',
    });
  });

  it('a start fails with the install command; the server keeps serving', async () => {
    const r = await createAction(server, { serviceId: 'imap', action: 'start' });
    const id = r.created!.a.id;
    const a = await waitFor('the action to finish', async () => {
      const [g] = await getRecords<ServiceActionRecord>(server, 'x:ServiceAction', [id]);
      return g.state === 'failed' ? g : null;
    });
    expect(a.message).toMatch(/Dovecot is not installed on this node\. Install it with: apt-get install dovecot-core dovecot-imapd dovecot-lmtpd/);
    expect((await service()).status).toBe('notInstalled');
    // Settings can still be prepared for when it is installed.
    const [, u] = await callAs<SetResponse>(server, 'x:Service/set', { update: { imap: { maxConnections: 10 } } });
    expect(u.updated).toEqual({ imap: null });
  });

  it('a service record removed behind the server\'s back is registered again with its settings', async () => {
    const fresh = await startTestServer();
    try {
      await fresh.call('x:Service/set', { update: { imap: { maxConnections: 7 } } });
      fresh.store.transaction(() => fresh.store.delete('x:Service', 'imap'));
      fresh.store.flushChanges();
      const back = await waitFor('the record to come back', async () => (await imap(fresh))[0]);
      expect(back.maxConnections).toBe(7);
    } finally {
      await fresh.close();
    }
  });

  it('stale pending actions from before a restart are failed, not run', async () => {
    server.store.transaction(() =>
      server.store.insert('x:ServiceAction', 'stale1', {
        serviceId: 'imap', action: 'start', nodeId: null, allNodes: false, state: 'pending',
        message: null, isRunning: false, createdAt: '2026-01-01T00:00:00Z', finishedAt: null,
      }, [{ objectName: 'x:Service', id: 'imap' }]),
    );
    server = await server.restart();
    const [stale] = await getRecords<ServiceActionRecord>(server, 'x:ServiceAction', ['stale1']);
    expect(stale).toMatchObject({ state: 'failed', message: 'The server stopped before this action finished.' });
  });
});
