// Seed 002 › Administrating mail queues, every curl example as written (the placeholder names
// filled in), against a real Postfix holding remote mail in its deferred queue; and the bad
// requests, each answered with the seed's error body and leaving the queue as it was.
// Skipped only when not root or Postfix is not installed.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postfixSkipReason, relaySink, setRelay, startQueueServer, type QueueServer } from '../mail/queue/testing';
import { freePort, waitFor } from '../services/testing';
import { snapshot } from '../testkit';
import { apiKey, expectError, parseCurl, type WebAdminReply } from './testing';

type Obj = Record<string, unknown>;

describe.skipIf(!!postfixSkipReason)(`WebAdmin mail queues ${postfixSkipReason ? `— skipped: ${postfixSkipReason}` : 'over the real Postfix queue'}`, () => {
  let q: QueueServer;
  let key: string;

  const call = async (method: string, path: string, body?: string): Promise<WebAdminReply> => {
    const res = await fetch(q.server.webadminUrl! + path, { method, headers: { Authorization: `Bearer ${key}` }, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as unknown) : null, contentType: res.headers.get('content-type') ?? '' };
  };
  const curl = (command: string) => {
    const { method, path, body } = parseCurl(command);
    return call(method, path, body);
  };
  /** Runs a bad request and checks the queue is as it was. */
  const unchangedBy = async (f: () => Promise<void>) => {
    const before = snapshot(q.server, 'x:QueuedMessage');
    const count = (await q.queued()).length;
    await f();
    expect(snapshot(q.server, 'x:QueuedMessage')).toEqual(before);
    expect(await q.queued()).toHaveLength(count);
  };
  const task = (taskId: string) => waitFor('the task to finish', async () => {
    const r = await call('GET', `/tasks/${taskId}`);
    const body = r.json as Obj;
    return ['completed', 'failed', 'cancelled'].includes(String(body.status)) ? body : null;
  }, 30_000, 200);

  beforeAll(async () => {
    q = await startQueueServer({ webadminPort: 0 });
    key = await apiKey(q.server);
    await q.send('alice@client.test', ['bob@remote.test', 'carol@remote.test'], 'first');
    await q.send('dave@client.test', 'erin@remote.test', 'second');
    await q.send('frank@client.test', 'grace@other.test', 'third');
    await q.waitDeferred(3);
  }, 90_000);

  afterAll(async () => {
    await q?.close();
  });

  it('GET /mailQueues lists the queues', async () => {
    const r = await curl('curl -XGET http://ip:port/mailQueues');
    expect(r.status).toBe(200);
    expect(r.json).toEqual(['active', 'deferred', 'hold', 'incoming', 'maildrop']);
  });

  it('GET /mailQueues/{name} gives its size, by Postfix\'s name or James\'s', async () => {
    expect((await curl('curl -XGET http://ip:port/mailQueues/deferred')).json).toEqual({ name: 'deferred', size: 3 });
    expect((await curl('curl -XGET http://ip:port/mailQueues/outgoing')).json).toEqual({ name: 'outgoing', size: 3 });
    expect((await curl('curl -XGET http://ip:port/mailQueues/spool')).json).toEqual({ name: 'spool', size: 0 });
  });

  it('GET …/mails lists the mails, at most limit of them', async () => {
    const all = await curl('curl -XGET http://ip:port/mailQueues/outgoing/mails');
    expect(all.status).toBe(200);
    const mails = all.json as Obj[];
    expect(mails).toHaveLength(3);
    const alice = mails.find((m) => m.sender === 'alice@client.test')!;
    expect(Object.keys(alice).sort()).toEqual(['name', 'nextDelivery', 'recipients', 'sender']);
    expect(alice.recipients).toEqual(['bob@remote.test', 'carol@remote.test']);
    expect(Date.parse(String(alice.nextDelivery))).toBeGreaterThan(Date.now() - 60_000);
    expect(((await curl('curl -XGET http://ip:port/mailQueues/outgoing/mails?limit=100')).json as Obj[])).toHaveLength(3);
    expect(((await curl('curl -XGET http://ip:port/mailQueues/outgoing/mails?limit=1')).json as Obj[])).toHaveLength(1);
  });

  it('answers 404 for an unknown queue and 400 for a bad name or limit, changing nothing', async () => {
    await unchangedBy(async () => {
      expectError(await call('GET', '/mailQueues/nosuch'), 404, 'notFound', /The mail queues are active, deferred/);
      expectError(await call('GET', '/mailQueues/bad%20name/mails'), 400, 'InvalidArgument', /not a mail queue name/);
      expectError(await call('GET', '/mailQueues/outgoing/mails?limit=0'), 400, 'InvalidArgument', /strictly positive/);
      expectError(await call('GET', '/mailQueues/outgoing/mails?limit=abc'), 400, 'InvalidArgument', /strictly positive/);
      expectError(await call('DELETE', '/mailQueues/nosuch/mails'), 404, 'notFound');
      expectError(await call('DELETE', '/mailQueues/nosuch/mails?sender=alice@client.test'), 404, 'notFound');
      expectError(await call('DELETE', '/mailQueues/outgoing/mails?sender=alice@client.test&name=X1'), 400, 'InvalidArgument', /exactly one of sender, name, recipient/);
      expectError(await call('DELETE', '/mailQueues/outgoing/mails?color=red'), 400, 'InvalidArgument', /Unknown query parameter color/);
      expectError(await call('DELETE', '/mailQueues/outgoing/mails?sender=not-an-address'), 400, 'InvalidArgument', /sender/);
      expectError(await call('PATCH', '/mailQueues/outgoing?delayed=false', '{"delayed": false}'), 400, 'InvalidArgument', /delayed=true/);
      expectError(await call('PATCH', '/mailQueues/outgoing?delayed=true', '{"delayed": true}'), 400, 'InvalidArgument', /exactly \{"delayed": false\}/);
      expectError(await call('PATCH', '/mailQueues/nosuch?delayed=true', '{"delayed": false}'), 404, 'notFound');
    });
  });

  it('refuses a flush while no relay route exists, before retrying any: Postfix never looks up or connects to a remote host', async () => {
    await unchangedBy(async () => {
      const r = await curl(`curl -XPATCH http://ip:port/mailQueues/outgoing?delayed=true \\
 -d '{"delayed": false}'`);
      expectError(r, 409, 'WrongState', /waits for a relay route: no relay route is configured/);
      expect((r.json as Obj).message).toBe('3 of 3 delayed mails of outgoing cannot be retried now: nothing was retried');
    });
    // Had a retry gone out, qmgr would have lifted defer_transports and handed the mail to
    // Postfix's SMTP client, which logs its lookups and connections.
    await new Promise((r) => setTimeout(r, 1500));
    const log = fs.readFileSync(path.join(q.server.dataDir, 'services', 'smtp', 'maillog'), 'utf8');
    expect(log).toMatch(/status=deferred \(deferred transport\)/);
    expect(log).not.toMatch(/postern-smtp\/smtp\[\d+\]:|Host or domain name not found|Name service error|connect to \S*remote\.test|connect to \S*other\.test/);
  }, 30_000);

  it('DELETE …/mails?sender= deletes that sender\'s mails as a task', async () => {
    const r = await curl('curl -XDELETE http://ip:port/mailQueues/outgoing/mails?sender=dave@client.test');
    expect(r.status).toBe(201);
    const { taskId } = r.json as { taskId: string };
    const done = await task(taskId);
    expect(done).toMatchObject({
      status: 'completed', type: 'deleteMailsFromMailQueue',
      additionalInformation: { mailQueueName: 'deferred', initialCount: 1, remainingCount: 0, sender: 'dave@client.test', name: null, recipient: null },
    });
    expect((await q.queued()).map((m) => m.returnPath).sort()).toEqual(['alice@client.test', 'frank@client.test']);
  }, 40_000);

  it('DELETE …/mails?recipient= and ?name= select exactly', async () => {
    const none = await curl('curl -XDELETE http://ip:port/mailQueues/outgoing/mails?recipient=bob@remote.tes');
    expect((await task((none.json as { taskId: string }).taskId)).additionalInformation).toMatchObject({ initialCount: 0, remainingCount: 0 });
    const frank = (await q.queued()).find((m) => m.returnPath === 'frank@client.test')!;
    const byName = await curl(`curl -XDELETE http://ip:port/mailQueues/outgoing/mails?name=${frank.id}`);
    expect((await task((byName.json as { taskId: string }).taskId)).additionalInformation).toMatchObject({ initialCount: 1, remainingCount: 0, name: frank.id });
    expect((await q.queued()).map((m) => m.returnPath)).toEqual(['alice@client.test']);
  }, 40_000);

  it('PATCH ?delayed=true {"delayed": false} flushes: the mail reaches the relay once it is up', async () => {
    const port = await freePort();
    await setRelay(q.server, port); // nothing listens yet: the flush that follows fails to connect
    await waitFor('the connection error as the reason', async () => {
      const [m] = await q.queued();
      const bob = (m?.recipients as Record<string, { status: Obj }> | undefined)?.['bob@remote.test'];
      return bob?.status.errorType === 'connectionError' && Date.parse(String(m.nextRetry)) > Date.now();
    }, 30_000, 300);
    const sink = await relaySink(port);
    try {
      const r = await curl(`curl -XPATCH http://ip:port/mailQueues/outgoing?delayed=true \\
 -d '{"delayed": false}'`);
      expect(r.status, JSON.stringify(r.json)).toBe(204);
      await waitFor('the mail at the relay', async () => sink.received.some((m) => m.to.includes('bob@remote.test')), 30_000, 200);
      await waitFor('an empty queue', async () => (await q.queued()).length === 0, 20_000, 300);
    } finally {
      await sink.close();
    }
  }, 90_000);

  it('DELETE …/mails clears the queue as a task', async () => {
    await q.send('henry@client.test', 'ivy@remote.test', 'fourth'); // the relay is down again: it waits
    await waitFor('the mail deferred', async () => (await q.queued()).some((m) => m.queueName === 'deferred'), 30_000, 300);
    const r = await curl('curl -XDELETE http://ip:port/mailQueues/outgoing/mails');
    expect(r.status).toBe(201);
    const done = await task((r.json as { taskId: string }).taskId);
    expect(done).toMatchObject({ status: 'completed', type: 'clearMailQueue', additionalInformation: { mailQueueName: 'deferred', initialCount: 1, remainingCount: 0 } });
    expect(await q.queued()).toEqual([]);
  }, 60_000);
});
