// Seed 002 › Task management on the WebAdmin listener: every curl example as written (with
// the Authorization header; the seed's `curl -XGET /tasks` gets the listener's address),
// then the same routes on real task ids, and bad input that changes nothing.

import '../tasks/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Calls } from './calls';
import { set } from '../testkit';
import { TASK } from '../tasks/status';
import { expectError, startWebAdminTest, unchanged, type WebAdminTest } from './testing';

let t: WebAdminTest;

beforeAll(async () => {
  t = await startWebAdminTest();
});
afterAll(() => t.close());

const SEED_ID = '3294a976-ce63-491e-bd52-1b6f465ed7a2';
const REPORT_KEYS = ['additionalInformation', 'cancelledDate', 'completedDate', 'failedDate', 'startedDate', 'status', 'submitDate', 'taskId', 'type'];

/** The seed writes two commands without the address: they get the listener's. */
const seedCurl = (command: string) => t.curl(command.replace(/^curl -XGET \/tasks/, 'curl -XGET http://ip:port/tasks'));

async function submit(value: Record<string, unknown>): Promise<string> {
  const res = await set(t.server, TASK, { create: { x: { '@type': 'TestSteps', steps: 1, stepMs: 0, ...value } } });
  expect(res.notCreated, JSON.stringify(res.notCreated)).toBeNull();
  return res.created!.x.id;
}

type Report = Record<string, unknown>;

describe('seed 002 curl examples', () => {
  it('GET /tasks/{id}: the seed\u2019s id is unknown here (404); a real task gives the execution report', async () => {
    expectError(await t.curl(`curl -XGET http://ip:port/tasks/${SEED_ID}`), 404, 'notFound', new RegExp(SEED_ID));
    const id = await submit({ label: 'report', steps: 3 });
    await t.server.tasks.whenIdle();
    const r = await t.curl(`curl -XGET http://ip:port/tasks/${id}`);
    expect(r.status).toBe(200);
    const report = r.json as Report;
    expect(Object.keys(report).sort()).toEqual(REPORT_KEYS);
    expect(report).toMatchObject({ taskId: id, status: 'completed', type: 'TestSteps', cancelledDate: null, failedDate: null });
    expect(report.additionalInformation).toEqual({ label: 'report', steps: 3, stepMs: 0, failAt: null, doneSteps: 3 });
    for (const k of ['submitDate', 'startedDate', 'completedDate']) expect(report[k]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('GET /tasks/{id}/await: 404 for the seed\u2019s id; waits for a real task\u2019s end and answers its report', async () => {
    expectError(await t.curl(`curl -XGET http://ip:port/tasks/${SEED_ID}/await`), 404, 'notFound');
    const id = await submit({ label: 'await', steps: 5, stepMs: 40 });
    const r = await t.curl(`curl -XGET http://ip:port/tasks/${id}/await`);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ taskId: id, status: 'completed' });
    expect((r.json as Report).completedDate).toEqual(expect.any(String));
  });

  it('DELETE /tasks/{id}: 404 for the seed\u2019s id; cancels a running task (204) which then ends cancelled', async () => {
    expectError(await t.curl(`curl -XDELETE http://ip:port/tasks/${SEED_ID}`), 404, 'notFound');
    const id = await submit({ label: 'cancel', steps: 50, stepMs: 100 });
    await t.call('GET', `/tasks/${id}/await?timeout=200ms`); // running by now
    const r = await t.curl(`curl -XDELETE http://ip:port/tasks/${id}`);
    expect(r.status, JSON.stringify(r.json)).toBe(204);
    expect(r.json).toBeNull();
    expect(((await t.call('GET', `/tasks/${id}`)).json as Report).status).toMatch(/^(canceledRequested|cancelled)$/);
    expect((await t.call('DELETE', `/tasks/${id}`)).status).toBe(204); // again: still 204
    const done = await t.call('GET', `/tasks/${id}/await?timeout=10s`);
    expect(done.json).toMatchObject({ status: 'cancelled', completedDate: null });
    expect((done.json as Report).cancelledDate).toEqual(expect.any(String));
  });

  it('GET /tasks lists execution reports newest first; ?status=inProgress only the running ones', async () => {
    const running = await submit({ label: 'listed', steps: 40, stepMs: 50 });
    const waiting = await submit({ label: 'waits' });
    await t.call('GET', `/tasks/${running}/await?timeout=100ms`);
    const all = await seedCurl('curl -XGET /tasks');
    expect(all.status).toBe(200);
    const reports = all.json as Report[];
    expect(reports.map((x) => x.taskId).slice(0, 2)).toEqual([waiting, running]);
    for (const x of reports) expect(Object.keys(x).sort()).toEqual(REPORT_KEYS);
    const dates = reports.map((x) => String(x.submitDate));
    expect(dates).toEqual([...dates].sort().reverse());
    const inProgress = await seedCurl('curl -XGET /tasks?status=inProgress');
    expect(inProgress.status).toBe(200);
    expect((inProgress.json as Report[]).map((x) => x.taskId)).toEqual([running]);
    expect(((await t.call('GET', '/tasks?status=waiting')).json as Report[]).map((x) => x.taskId)).toEqual([waiting]);
    const second = (await t.call('GET', '/tasks?offset=1&limit=1')).json as Report[];
    expect(second.map((x) => x.taskId)).toEqual([reports[1].taskId]);
    expect(((await t.call('GET', '/tasks?offset=1')).json as Report[]).map((x) => x.taskId)).toEqual(reports.slice(1).map((x) => x.taskId));
    const completed = (await t.call('GET', '/tasks?status=completed&limit=2')).json as Report[];
    expect(completed).toHaveLength(2);
    for (const x of completed) expect(x.status).toBe('completed');
    await t.call('DELETE', `/tasks/${running}`);
    await t.server.tasks.whenIdle();
  });
});

describe('bad input changes nothing', () => {
  it('an unknown status, a malformed id or timeout is 400 with the reason', async () => {
    await unchanged(t.server, [TASK], async () => {
      expectError(await t.call('GET', '/tasks?status=running'), 400, 'InvalidArgument', /status must be one of waiting, inProgress/);
      expectError(await t.call('GET', '/tasks?limit=-1'), 400, 'InvalidArgument', /limit must be a whole number/);
      expectError(await t.call('GET', '/tasks/not%20an%20id'), 400, 'InvalidArgument', /not a task id/);
      expectError(await t.call('GET', '/tasks/a.b/await'), 400, 'InvalidArgument', /not a task id/);
      expectError(await t.call('DELETE', '/tasks/a%2Fb'), 400, 'InvalidArgument', /not a task id/);
      expectError(await t.call('GET', `/tasks/${SEED_ID}/await?timeout=soon`), 400, 'InvalidArgument', /timeout must be a whole number/);
      expectError(await t.call('GET', `/tasks/${SEED_ID}/await?timeout=400d`), 400, 'InvalidArgument', /at most 365 days/);
    });
  });

  it('await answers 408 when the timeout passes first; the task runs on', async () => {
    const id = await submit({ label: 'slow', steps: 20, stepMs: 50 });
    const started = Date.now();
    expectError(await t.call('GET', `/tasks/${id}/await?timeout=150ms`), 408, 'WrongState', /still (waiting|inProgress) after 150 ms/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect((await t.call('GET', `/tasks/${id}/await?timeout=1m`)).json).toMatchObject({ status: 'completed' });
  });

  it('await reads through /get (the permission check) at its start and end only, not at every look', async () => {
    const id = await submit({ label: 'watched', steps: 20, stepMs: 60 });
    const gets = vi.spyOn(Calls.prototype, 'getMany');
    try {
      const r = await t.call('GET', `/tasks/${id}/await?timeout=30s`);
      expect(r.json).toMatchObject({ taskId: id, status: 'completed' });
      expect(gets.mock.calls.filter(([type]) => type === TASK)).toHaveLength(2);
    } finally {
      gets.mockRestore();
    }
  });

  it('cancelling a completed or failed task is 409 and changes nothing', async () => {
    const done = await submit({ label: 'done' });
    const failed = await submit({ label: 'fails', failAt: 1 });
    await t.server.tasks.whenIdle();
    expect(((await t.call('GET', `/tasks/${failed}`)).json as Report).status).toBe('failed');
    await unchanged(t.server, [TASK], async () => {
      expectError(await t.call('DELETE', `/tasks/${done}`), 409, 'WrongState', /already ended \(completed at .*\)/);
      expectError(await t.call('DELETE', `/tasks/${failed}`), 409, 'WrongState', /already ended \(failed at .*\)/);
    });
  });

  it('permissions apply: reading needs sysTaskGet, listing sysTaskQuery, cancelling sysTaskUpdate', async () => {
    const id = await submit({ label: 'perm' });
    await t.server.tasks.whenIdle();
    const reader = await t.keyWith(['sysTaskGet']);
    expect((await t.call('GET', `/tasks/${id}`, { key: reader })).status).toBe(200);
    expectError(await t.call('GET', '/tasks', { key: reader }), 403, 'Forbidden');
    expectError(await t.call('DELETE', `/tasks/${id}`, { key: reader }), 403, 'Forbidden');
    // Cancelling again answers 204 only to a caller allowed to cancel.
    const cancelled = await submit({ label: 'perm-cancelled', steps: 50, stepMs: 100 });
    await t.call('GET', `/tasks/${cancelled}/await?timeout=100ms`);
    expect((await t.call('DELETE', `/tasks/${cancelled}`)).status).toBe(204);
    await unchanged(t.server, [TASK], async () => {
      expectError(await t.call('DELETE', `/tasks/${cancelled}`, { key: reader }), 403, 'Forbidden');
    });
    await t.server.tasks.whenIdle();
    expect(((await t.call('GET', `/tasks/${cancelled}`)).json as Report).status).toBe('cancelled');
    await unchanged(t.server, [TASK], async () => {
      expectError(await t.call('DELETE', `/tasks/${cancelled}`, { key: reader }), 403, 'Forbidden');
    });
    const nobody = await t.keyWith([]);
    expectError(await t.call('GET', `/tasks/${id}`, { key: nobody }), 403, 'Forbidden');
    expectError(await t.call('GET', `/tasks/${id}`, { key: null }), 401, 'Unauthorized');
  });

  it('DELETE /tasks?olderThan= starts a history clean-up task (201 {"taskId"}); without olderThan it is 400', async () => {
    expectError(await t.call('DELETE', '/tasks'), 400, 'InvalidArgument', /needs olderThan/);
    expectError(await t.call('DELETE', '/tasks?olderThan=2x'), 400, 'InvalidArgument', /olderThan must be/);
    // Starting it removes tasks: a caller who may create tasks but not remove them is refused.
    const creator = await t.keyWith(['sysTaskCreate', 'sysTaskGet']);
    await unchanged(t.server, [TASK], async () => {
      expectError(await t.call('DELETE', '/tasks?olderThan=0d', { key: creator }), 403, 'Forbidden', /sysTaskDestroy/);
    });
    const r = await t.call('DELETE', '/tasks?olderThan=30d');
    expect(r.status).toBe(201);
    const { taskId } = r.json as { taskId: string };
    const done = await t.call('GET', `/tasks/${taskId}/await?timeout=10s`);
    expect(done.json).toMatchObject({ type: 'tasks-cleanup', status: 'completed', additionalInformation: { removedTasksCount: 0, olderThan: 30 * 86_400_000 } });
  });
});
