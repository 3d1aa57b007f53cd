// The queue mirror without a running Postfix: how a listing entry becomes an x:QueuedMessage
// (delay reasons as Stalwart's DeliveryError, the null sender, held mail), the mirror diff,
// and what a server that is not root, or has no Postfix instance, answers: precise errors,
// the mirror and the records left as they were.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Caller } from '../../auth/caller';
import type { Rec } from '../../objects/define';
import { MethodError } from '../../jmap/errors';
import { openDatabase } from '../../store/db';
import { Store } from '../../store/records';
import { deliveryError, messageRecord, QUEUED_MESSAGE, refreshQueue, writeMirror } from './mirror';
import { listQueue, type PostfixTools, type PostqueueEntry } from './postfix';
import { remoteDeliveryProblem } from './relayState';
import { applyQueueWrites, queuedMessageBlob } from './writes';

const LIFE = { normal: 5 * 86400, bounce: 2 * 86400 };
const entry = (over: Partial<PostqueueEntry> = {}): PostqueueEntry => ({
  queue_name: 'deferred', queue_id: 'ABC123DEF', arrival_time: 1_800_000_000, message_size: 512, sender: 'a@client.test',
  recipients: [{ address: 'b@remote.test', delay_reason: 'deferred transport' }], ...over,
});

describe('delay reasons as Stalwart DeliveryError', () => {
  it('splits a remote server\'s answer into its response fields', () => {
    expect(deliveryError('host mx.remote.test[192.0.2.1] said: 450 4.2.0 <b@remote.test>: Recipient address rejected: Greylisted (in reply to RCPT TO command)')).toEqual({
      '@type': 'TemporaryFailure', errorType: 'unexpectedResponse', errorCommand: 'RCPT TO',
      errorMessage: 'host mx.remote.test[192.0.2.1] said: 450 4.2.0 <b@remote.test>: Recipient address rejected: Greylisted (in reply to RCPT TO command)',
      responseHostname: 'mx.remote.test', responseCode: 450, responseEnhanced: '4.2.0', responseMessage: '<b@remote.test>: Recipient address rejected: Greylisted',
    });
  });

  it('names connection, DNS, TLS and other failures', () => {
    expect(deliveryError('connect to 127.0.0.1[127.0.0.1]:2525: Connection refused')).toMatchObject({ errorType: 'connectionError', responseHostname: '127.0.0.1' });
    expect(deliveryError('Host or domain name not found. Name service error for name=remote.test type=MX')).toMatchObject({ errorType: 'dnsError' });
    expect(deliveryError('TLS is required, but was not offered by host x[1.2.3.4]')).toMatchObject({ errorType: 'tlsError' });
    expect(deliveryError('deferred transport')).toMatchObject({ errorType: 'io', errorMessage: 'deferred transport', responseCode: null });
  });
});

describe('listing entries as records', () => {
  it('a deferred message: next attempt from its queue file, expiry from the queue lifetime', () => {
    const r = messageRecord(entry(), 1_800_000_300_000, LIFE, { clientAddress: '127.0.0.1', serverPort: 25, originalRecipients: new Map([['b@remote.test', 'rfc822;b@remote.test']]) });
    expect(r).toEqual({
      returnPath: 'a@client.test', nextRetry: '2027-01-15T08:05:00Z', createdAt: '2027-01-15T08:00:00Z', size: 512, blobId: 'QABC123DEF',
      due: '2027-01-15T08:05:00Z', receivedFromIp: '127.0.0.1', receivedViaPort: 25, queueName: 'deferred', held: false, to: 'b@remote.test', text: 'a@client.test b@remote.test',
      recipients: {
        'b@remote.test': {
          status: deliveryError('deferred transport'), queueName: 'deferred', retryDue: '2027-01-15T08:05:00Z',
          expires: { '@type': 'Ttl', expiresAt: '2027-01-20T08:00:00Z' }, orcpt: 'rfc822;b@remote.test',
        },
      },
    });
  });

  it('a held bounce: <> sender, no next attempt, the bounce lifetime; a recipient without reason is Scheduled', () => {
    const r = messageRecord(entry({ queue_name: 'hold', sender: 'MAILER-DAEMON', recipients: [{ address: 'a@client.test' }] }), undefined, LIFE, undefined);
    expect(r).toMatchObject({ returnPath: '<>', nextRetry: null, held: true, queueName: 'hold', receivedFromIp: null, receivedViaPort: null });
    expect((r.recipients as Record<string, Record<string, unknown>>)['a@client.test']).toMatchObject({
      status: { '@type': 'Scheduled' }, queueName: 'hold', retryDue: null, expires: { expiresAt: '2027-01-17T08:00:00Z' },
    });
  });
});

describe('without root or without a Postfix instance', () => {
  let dir: string;
  let store: Store;
  const notRoot: () => PostfixTools = () => ({ config: path.join(dir, 'services', 'smtp', 'etc'), sbin: '/usr/sbin', isRoot: () => false });
  const admin: Caller = { accountId: 'a', name: 'admin', permissions: new Set(['sysQueuedMessageGet']) };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-queue-unit-'));
    store = new Store(openDatabase(dir));
    writeMirror(store, new Map([['ABC123DEF', messageRecord(entry(), undefined, LIFE, undefined)]]));
  });
  afterEach(() => {
    store.db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('says root is needed, and why', async () => {
    await expect(listQueue(notRoot())).rejects.toThrow(/Reading the mail queue needs root: Postfix honours Postern's private configuration directory/);
  });

  it('a refresh fails with serverUnavailable saying why, leaving the mirror as it was', async () => {
    const before = store.get(QUEUED_MESSAGE, 'ABC123DEF');
    const tools: PostfixTools = { ...notRoot(), sbin: path.join(dir, 'no-sbin'), isRoot: () => true };
    const err = await refreshQueue(store, { force: true, tools }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(MethodError);
    expect((err as MethodError).type).toBe('serverUnavailable');
    expect((err as MethodError).description).toMatch(/^The mail queue cannot be read from Postfix: Reading the mail queue needs Postfix, which is not installed/);
    expect(store.get(QUEUED_MESSAGE, 'ABC123DEF')).toEqual(before);
  });

  it('an instance never set up (the SMTP service never started) has an empty queue', async () => {
    const tools: PostfixTools = { ...notRoot(), isRoot: () => true };
    await refreshQueue(store, { force: true, tools });
    expect(store.get(QUEUED_MESSAGE, 'ABC123DEF')).toBeNull();
  });

  it('a destroy Postfix could not carry out is undone in the store and answered with why', async () => {
    const prev: Rec = { ...store.get(QUEUED_MESSAGE, 'ABC123DEF')!, id: 'ABC123DEF' };
    store.transaction(() => store.delete(QUEUED_MESSAGE, 'ABC123DEF')); // what the /set committed
    const failures = await applyQueueWrites({ store, caller: admin }, { created: new Map(), updated: new Map(), destroyed: new Map([['ABC123DEF', prev]]) }, notRoot());
    expect(failures.destroyed?.ABC123DEF).toMatchObject({ type: 'serverFail', description: expect.stringMatching(/Deleting queued mail needs root/) });
    expect(store.get(QUEUED_MESSAGE, 'ABC123DEF')).toMatchObject({ returnPath: 'a@client.test' });
  });

  it('an update of a property Postfix decides, or to a later retry, is refused and undone', async () => {
    const prev: Rec = { ...store.get(QUEUED_MESSAGE, 'ABC123DEF')!, id: 'ABC123DEF' };
    const next = { ...prev, nextRetry: '2999-01-01T00:00:00Z' };
    store.transaction(() => store.update(QUEUED_MESSAGE, 'ABC123DEF', next, []));
    const failures = await applyQueueWrites({ store, caller: admin }, { created: new Map(), updated: new Map([['ABC123DEF', { next, prev }]]), destroyed: new Map() }, notRoot());
    expect(failures.updated?.ABC123DEF).toMatchObject({ type: 'invalidProperties', properties: ['nextRetry'], description: expect.stringMatching(/cannot postpone/) });
    expect(store.get(QUEUED_MESSAGE, 'ABC123DEF')).toMatchObject({ nextRetry: prev.nextRetry });
  });

  it('without a relay, no retry of remote mail whatever its reason (postqueue -i lifts defer_transports), undone', async () => {
    // A reason left from a relay since removed, and a held message never tried: both would be sent out directly.
    const cases: [string, PostqueueEntry][] = [
      ['ABC123DEF', entry({ recipients: [{ address: 'b@remote.test', delay_reason: 'connect to 127.0.0.1[127.0.0.1]:2525: Connection refused' }] })],
      ['HELD12345', entry({ queue_id: 'HELD12345', queue_name: 'hold', recipients: [{ address: 'c@remote.test' }] })],
    ];
    for (const [id, e] of cases) {
      writeMirror(store, new Map([[id, messageRecord(e, undefined, LIFE, undefined)]]));
      const prev: Rec = { ...store.get(QUEUED_MESSAGE, id)!, id };
      const next = { ...prev, nextRetry: '2000-01-01T00:00:00Z' };
      store.transaction(() => store.update(QUEUED_MESSAGE, id, next, []));
      const failures = await applyQueueWrites({ store, caller: admin }, { created: new Map(), updated: new Map([[id, { next, prev }]]), destroyed: new Map() }, notRoot());
      expect(failures.updated?.[id]).toMatchObject({ type: 'invalidProperties', properties: ['nextRetry'], description: expect.stringMatching(/remote\.test waits for a relay route/) });
      expect(store.get(QUEUED_MESSAGE, id)).toMatchObject({ nextRetry: prev.nextRetry });
    }
  });

  it('without a relay, mail for our own domains is still retried (delivery stays on this machine)', async () => {
    store.transaction(() => store.insert('x:Domain', 'd1', { name: 'ours.test', isEnabled: true }, []));
    store.db.prepare('INSERT INTO mail_domains (name, domain_id, is_alias) VALUES (?, ?, ?)').run('ours.test', 'd1', 0);
    const id = 'LOCAL1234';
    writeMirror(store, new Map([[id, messageRecord(entry({ queue_id: id, recipients: [{ address: 'x@ours.test', delay_reason: 'lost connection with private/lmtp' }] }), undefined, LIFE, undefined)]]));
    const prev: Rec = { ...store.get(QUEUED_MESSAGE, id)!, id };
    const next = { ...prev, nextRetry: '2000-01-01T00:00:00Z' };
    const failures = await applyQueueWrites({ store, caller: admin }, { created: new Map(), updated: new Map([[id, { next, prev }]]), destroyed: new Map() }, notRoot());
    // Not refused for the relay: it went on to Postfix, which this server (not root here) cannot ask.
    expect(failures.updated?.[id]).toMatchObject({ type: 'serverFail', description: expect.stringMatching(/Retrying queued mail needs root/) });
  });

  it('a refresh past its time budget fails with serverUnavailable, the mirror as it was', async () => {
    const before = store.get(QUEUED_MESSAGE, 'ABC123DEF');
    const sbin = path.join(dir, 'slow-sbin');
    fs.mkdirSync(sbin);
    fs.writeFileSync(path.join(sbin, 'postqueue'), '#!/bin/sh\nexec sleep 5\n', { mode: 0o755 });
    const config = path.join(dir, 'services', 'smtp', 'etc');
    fs.mkdirSync(config, { recursive: true });
    fs.writeFileSync(path.join(config, 'main.cf'), '');
    const started = Date.now();
    const err = await refreshQueue(store, { force: true, budgetMs: 600, tools: { config, sbin, isRoot: () => true } }).then(() => null, (e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(err).toBeInstanceOf(MethodError);
    expect((err as MethodError).type).toBe('serverUnavailable');
    expect((err as MethodError).description).toMatch(/^The mail queue cannot be read from Postfix: postqueue did not finish within/);
    expect(store.get(QUEUED_MESSAGE, 'ABC123DEF')).toEqual(before);
  });

  it('a relay route stored but not yet in the instance\'s main.cf: remote mail is not retried', async () => {
    const config = path.join(dir, 'services', 'smtp', 'etc');
    fs.mkdirSync(config, { recursive: true });
    fs.writeFileSync(path.join(config, 'main.cf'), 'relayhost =\ndefer_transports = smtp\n');
    const tools: PostfixTools = { config, sbin: '/usr/sbin', isRoot: () => true };
    expect(await remoteDeliveryProblem(store, tools)).toMatch(/^no relay route is configured/);
    store.transaction(() => store.insert('x:MtaRoute', 'r1', { '@type': 'Relay', name: 'sink', address: '127.0.0.1', port: 2525 }, []));
    expect(await remoteDeliveryProblem(store, tools)).toMatch(/has not applied the relay route yet \(Postfix's main\.cf says relayhost = \(none\), not \[127\.0\.0\.1\]:2525\)/);
    const prev: Rec = { ...store.get(QUEUED_MESSAGE, 'ABC123DEF')!, id: 'ABC123DEF' };
    const next = { ...prev, nextRetry: '2000-01-01T00:00:00Z' };
    store.transaction(() => store.update(QUEUED_MESSAGE, 'ABC123DEF', next, []));
    const failures = await applyQueueWrites({ store, caller: admin }, { created: new Map(), updated: new Map([['ABC123DEF', { next, prev }]]), destroyed: new Map() }, tools);
    expect(failures.updated?.ABC123DEF).toMatchObject({ type: 'invalidProperties', properties: ['nextRetry'], description: expect.stringMatching(/b@remote\.test waits for a relay route: the SMTP service has not applied/) });
    expect(store.get(QUEUED_MESSAGE, 'ABC123DEF')).toMatchObject({ nextRetry: prev.nextRetry });
    fs.writeFileSync(path.join(config, 'main.cf'), 'relayhost = [127.0.0.1]:2525\ndefer_transports = smtp\n');
    expect(await remoteDeliveryProblem(store, tools)).toMatch(/still defers the smtp transport/);
    // In main.cf, and no instance running (it reads main.cf when it starts): remote mail may go.
    fs.writeFileSync(path.join(config, 'main.cf'), 'relayhost = [127.0.0.1]:2525\ndefer_transports =\n');
    expect(await remoteDeliveryProblem(store, tools)).toBeNull();
  });

  it('a created record (Postfix makes them) is refused and removed from the store', async () => {
    const data = messageRecord(entry({ queue_id: 'MADE12345' }), undefined, LIFE, undefined);
    store.transaction(() => store.insert(QUEUED_MESSAGE, 'MADE12345', data, []));
    const failures = await applyQueueWrites({ store, caller: admin }, { created: new Map([['MADE12345', { ...data, id: 'MADE12345' }]]), updated: new Map(), destroyed: new Map() }, notRoot());
    expect(failures.created?.MADE12345).toMatchObject({ type: 'invalidProperties' });
    expect(store.get(QUEUED_MESSAGE, 'MADE12345')).toBeNull();
  });

  it('the blob is not found for a caller who may not read the queue, nor for another id', async () => {
    expect(await queuedMessageBlob(store, { ...admin, permissions: new Set() }, 'QABC123DEF', notRoot())).toBeNull();
    expect(await queuedMessageBlob(store, admin, 'QNOSUCH123', notRoot())).toBeNull();
    expect(await queuedMessageBlob(store, admin, 'Bsomeupload', notRoot())).toBeNull();
    await expect(queuedMessageBlob(store, admin, 'QABC123DEF', notRoot())).rejects.toThrow(/cannot be read from Postfix: Reading a queued message needs root/);
  });
});
