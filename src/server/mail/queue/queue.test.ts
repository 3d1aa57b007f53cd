// The mail queue for real: a running Postfix (the SMTP service) holds remote mail in its
// deferred queue while no relay is configured, and x:QueuedMessage shows it with its reason,
// the message downloads through the blob URL, filters select it, holds and releases move
// it, bulk deletion runs as an x:Task, bad writes change nothing, and once a relay route
// points at a sink that starts late, "retry now" delivers the mail there.
// Skipped only when not root or Postfix is not installed (.ci/run installs it).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '../../services/testing';
import { snapshot } from '../../testkit';
import { dataDirOf } from './mirror';
import { postfixTools, postsuper } from './postfix';
import { postfixSkipReason, relaySink, runTask, setRelay, startQueueServer, type QueueServer } from './testing';
import { applyQueueWrites } from './writes';

type Obj = Record<string, unknown>;
type Rec = Obj & { id: string };

describe.skipIf(!!postfixSkipReason)(`x:QueuedMessage over the real Postfix queue ${postfixSkipReason ? `— skipped: ${postfixSkipReason}` : ''}`, () => {
  let q: QueueServer;
  let deferred: Rec[];
  const call = async (name: string, args: Obj) => (await q.server.call(name, args))[1] as Obj;
  const bySender = (s: string) => deferred.find((m) => m.returnPath === s)!;

  beforeAll(async () => {
    q = await startQueueServer();
    await q.send('alice@client.test', ['bob@remote.test', 'carol@remote.test'], 'first');
    await q.send('dave@client.test', 'erin@remote.test', 'second');
    await q.send('frank@client.test', 'grace@other.test', 'third');
    deferred = await q.waitDeferred(3);
  }, 90_000);

  afterAll(async () => {
    await q?.close();
  });

  it('lists deferred mail in Stalwart\'s shape, with each recipient\'s delay reason', () => {
    const m = bySender('alice@client.test');
    expect(m.id).toMatch(/^[0-9A-Za-z]+$/);
    expect(m).toMatchObject({ queueName: 'deferred', held: false, to: 'bob@remote.test carol@remote.test', receivedFromIp: '127.0.0.1', blobId: `Q${m.id}` });
    // The port is not known when the content filter reinjected the mail over a socket.
    expect([q.smtpPort, null]).toContain(m.receivedViaPort);
    expect(m.size).toBeGreaterThan(100);
    expect(Date.parse(m.nextRetry as string)).toBeGreaterThan(Date.parse(m.createdAt as string));
    const bob = (m.recipients as Record<string, Obj>)['bob@remote.test'];
    expect(bob).toMatchObject({
      queueName: 'deferred',
      status: { '@type': 'TemporaryFailure', errorType: 'io', errorMessage: 'deferred transport' },
      expires: { '@type': 'Ttl' },
      orcpt: 'rfc822;bob@remote.test',
    });
    expect(Date.parse((bob.expires as Obj).expiresAt as string) - Date.parse(m.createdAt as string)).toBe(5 * 86400 * 1000);
  });

  it('filters on sender, recipient, queue and text', async () => {
    const ids = async (filter: Obj) => ((await call('x:QueuedMessage/query', { filter, sort: [{ property: 'createdAt', isAscending: true }] })).ids as string[]).sort();
    expect(await ids({ returnPath: 'dave@' })).toEqual([bySender('dave@client.test').id]);
    expect(await ids({ to: 'carol@remote.test' })).toEqual([bySender('alice@client.test').id]);
    expect(await ids({ to: 'other.test' })).toEqual([bySender('frank@client.test').id]);
    expect(await ids({ queueName: 'deferred' })).toHaveLength(3);
    expect(await ids({ queueName: 'hold' })).toEqual([]);
    expect(await ids({ text: 'erin' })).toEqual([bySender('dave@client.test').id]);
    // Stalwart's date filter and its only sort: `due`, the next attempt.
    expect(await ids({ dueIsGreaterThan: new Date(Date.now() - 3_600_000).toISOString() })).toHaveLength(3);
    expect(await ids({ dueIsLessThan: new Date(Date.now() - 3_600_000).toISOString() })).toEqual([]);
    const sorted = (await call('x:QueuedMessage/query', { sort: [{ property: 'due', isAscending: true }] })).ids as string[];
    const dueOf = new Map(deferred.map((m) => [m.id, m.due as string]));
    const along = sorted.map((id) => dueOf.get(id)!);
    expect(along).toHaveLength(3);
    expect(along).toEqual([...along].sort());
    expect(deferred.every((m) => m.due === m.nextRetry)).toBe(true);
  });

  it('downloads the message as received through the blob URL, only for who may read the queue', async () => {
    const m = bySender('alice@client.test');
    const { accountId } = (await (await q.server.raw('/api/account')).json()) as { accountId: string };
    const url = `/jmap/download/${accountId}/${m.blobId as string}/message.eml`;
    const res = await q.server.raw(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('message/rfc822');
    const eml = await res.text();
    expect(eml).toMatch(/^Received: from client\.test/m);
    expect(eml).toMatch(/^Subject: first$/m);
    expect(eml).toContain('body of first');
    expect((await q.server.raw(url.replace(m.blobId as string, 'QNOSUCHID1'))).status).toBe(404);
  });

  it('refuses a retry while no relay route exists, and a future retry, changing nothing', async () => {
    const m = bySender('dave@client.test');
    const before = snapshot(q.server, 'x:QueuedMessage');
    const res = await call('x:QueuedMessage/set', { update: { [m.id]: { nextRetry: '2000-01-01T00:00:00Z' } } });
    expect((res.notUpdated as Record<string, Obj>)[m.id]).toMatchObject({ type: 'invalidProperties', properties: ['nextRetry'] });
    expect(String((res.notUpdated as Record<string, Obj>)[m.id].description)).toMatch(/erin@remote\.test waits for a relay route/);
    const later = await call('x:QueuedMessage/set', { update: { [m.id]: { nextRetry: '2999-01-01T00:00:00Z' } } });
    expect(String((later.notUpdated as Record<string, Obj>)[m.id].description)).toMatch(/cannot postpone/);
    expect(snapshot(q.server, 'x:QueuedMessage')).toEqual(before);
  });

  it('refuses to cancel one recipient of two, or to change what Postfix decides', async () => {
    const m = bySender('alice@client.test');
    const res = await call('x:QueuedMessage/set', { update: { [m.id]: { 'recipients/bob@remote.test': null } } });
    expect((res.notUpdated as Record<string, Obj>)[m.id]).toMatchObject({ type: 'invalidProperties', properties: ['recipients'] });
    expect(String((res.notUpdated as Record<string, Obj>)[m.id].description)).toMatch(/cannot cancel delivery to bob@remote\.test alone/);
    const create = await call('x:QueuedMessage/set', { create: { c: { returnPath: 'x@y.test' } } });
    expect(create).toMatchObject({ type: 'forbidden' });
    const [m2] = (await call('x:QueuedMessage/get', { ids: [m.id] })).list as Rec[];
    expect(Object.keys(m2.recipients as Obj)).toEqual(['bob@remote.test', 'carol@remote.test']);
  });

  it('holds a message (hold queue, no next attempt) and releases it back to deferred', async () => {
    const m = bySender('frank@client.test');
    const held = await call('x:QueuedMessage/set', { update: { [m.id]: { held: true } } });
    expect(held.notUpdated).toBeNull();
    const [h] = (await call('x:QueuedMessage/get', { ids: [m.id] })).list as Rec[];
    expect(h).toMatchObject({ held: true, queueName: 'hold', nextRetry: null });
    expect(((h.recipients as Record<string, Obj>)['grace@other.test']).queueName).toBe('hold');
    expect((await call('x:QueuedMessage/query', { filter: { queueName: 'hold' } })).ids).toEqual([m.id]);
    const released = await call('x:QueuedMessage/set', { update: { [m.id]: { held: false } } });
    expect(released.notUpdated).toBeNull();
    const [r] = (await call('x:QueuedMessage/get', { ids: [m.id] })).list as Rec[];
    expect(r).toMatchObject({ held: false, queueName: 'deferred' });
  }, 20_000);

  it('a hold or release of a message that left the queue after the listing answers notFound, its record gone', async () => {
    await q.send('zed@client.test', 'zoe@remote.test', 'vanishing');
    const list = await q.waitDeferred(4);
    const z = list.find((m) => m.returnPath === 'zed@client.test')!;
    const store = q.server.store;
    const tools = postfixTools(dataDirOf(store));
    // Deleted behind the mirror's back, between its listing and the write.
    expect([...(await postsuper(tools, 'delete', [z.id]))]).toEqual([z.id]);
    for (const held of [true, false]) {
      const prev = { ...z, held: !held };
      const failures = await applyQueueWrites({ store, caller: undefined as never }, { created: new Map(), updated: new Map([[z.id, { next: { ...prev, held }, prev }]]), destroyed: new Map() }, tools);
      expect(failures.updated?.[z.id]).toMatchObject({ type: 'notFound', description: expect.stringMatching(/no longer queued/) });
      expect(store.get('x:QueuedMessage', z.id)).toBeNull();
    }
    expect(await q.queued()).toHaveLength(3);
  }, 40_000);

  it('refuses bulk deletion without a selector, or of an unknown queue, deleting nothing', async () => {
    const before = snapshot(q.server, 'x:QueuedMessage');
    const [, a] = await q.server.call('x:Task/set', { create: { t: { '@type': 'DeleteQueuedMessages', queueName: 'deferred' } } });
    expect(((a as Obj).notCreated as Record<string, Obj>).t).toMatchObject({ type: 'validationFailed', properties: ['sender'] });
    const [, b] = await q.server.call('x:Task/set', { create: { t: { '@type': 'ClearMailQueue', queueName: 'outgoing' } } });
    expect(((b as Obj).notCreated as Record<string, Obj>).t).toMatchObject({ type: 'validationFailed', properties: ['queueName'] });
    expect(snapshot(q.server, 'x:QueuedMessage')).toEqual(before);
    expect(await q.queued()).toHaveLength(3);
  });

  it('deletes by sender as a task with counts, leaving the rest', async () => {
    const task = await runTask(q.server, { '@type': 'DeleteQueuedMessages', queueName: 'deferred', sender: 'DAVE@client.test' });
    expect(task).toMatchObject({ status: { '@type': 'Completed' }, initialCount: 1, remainingCount: 0 });
    const left = await q.queued();
    expect(left.map((m) => m.returnPath).sort()).toEqual(['alice@client.test', 'frank@client.test']);
  }, 40_000);

  it('delivers to the relay once its sink is up: deferred with the connection error, held, then retried now', async () => {
    const port = await freePort();
    await setRelay(q.server, port); // nothing listens yet: the flush that follows fails to connect
    const m = bySender('alice@client.test');
    const refused = await waitFor('the connection error as the reason', async () => {
      const [x] = (await call('x:QueuedMessage/get', { ids: [m.id] })).list as Rec[];
      const status = ((x?.recipients as Record<string, Obj> | undefined)?.['bob@remote.test']?.status ?? {}) as Obj;
      return status.errorType === 'connectionError' ? status : null;
    }, 30_000, 300);
    expect(String(refused.errorMessage)).toMatch(new RegExp(`connect to 127\\.0\\.0\\.1\\[127\\.0\\.0\\.1\\]:${port}: Connection refused`));
    // Held meanwhile: a retry now releases it first.
    expect((await call('x:QueuedMessage/set', { update: { [m.id]: { held: true } } })).notUpdated).toBeNull();
    const sink = await relaySink(port);
    try {
      const res = await call('x:QueuedMessage/set', { update: { [m.id]: { nextRetry: '2000-01-01T00:00:00Z' } } });
      expect(res.notUpdated).toBeNull();
      await waitFor('the mail at the relay', async () => sink.received.some((r) => r.to.includes('bob@remote.test')), 30_000, 200);
      const got = sink.received.find((r) => r.to.includes('bob@remote.test'))!;
      expect(got.from).toBe('alice@client.test');
      expect(got.to.sort()).toEqual(['bob@remote.test', 'carol@remote.test']);
      expect(got.body).toContain('body of first');
      await waitFor('the message gone from the queue', async () => !(await q.queued()).some((x) => x.id === m.id), 20_000, 300);
    } finally {
      await sink.close();
    }
  }, 90_000);

  it('removing every recipient cancels the message, as destroy does (postsuper -d)', async () => {
    await q.send('henry@client.test', 'ivy@remote.test', 'fourth'); // the relay's sink is down again: it waits
    const left = await waitFor('two messages waiting', async () => {
      const list = await q.queued();
      return list.length === 2 && list.every((m) => m.queueName === 'deferred') ? list : null;
    }, 30_000, 300);
    const frank = left.find((m) => m.returnPath === 'frank@client.test')!;
    const henry = left.find((m) => m.returnPath === 'henry@client.test')!;
    const removed = await call('x:QueuedMessage/set', { update: { [frank.id]: { recipients: {} } } });
    expect(removed.notUpdated).toBeNull();
    expect((await q.queued()).map((m) => m.id)).toEqual([henry.id]);
    const res = await call('x:QueuedMessage/set', { destroy: [henry.id] });
    expect(res.destroyed).toEqual([henry.id]);
    expect(await q.queued()).toEqual([]);
  }, 40_000);
});
