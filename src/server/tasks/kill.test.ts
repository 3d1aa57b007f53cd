// A server process killed (SIGKILL) while a task runs: after a restart on the same data,
// the task has the documented outcome (Failed with the reason, or run again when its kind
// is resumable), and the tasks waiting behind it still run. The server runs as `npm start`
// does, with the test kinds (./testing) loaded first.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from '../services/testing';
import { ADMIN_PASSWORD, basic, USING } from '../testing';
import { STOPPED_REASON } from './status';

const ROOT = path.resolve(__dirname, '../../..');
let dir: string;
let port: number;
let child: ChildProcess | null = null;

function start(): ChildProcess {
  const env = {
    ...process.env,
    PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dir, ADMIN_PASSWORD, STATIC_DIR: path.join(dir, 'no-console'), NODE_NAME: 'kill-test', WEBADMIN_PORT: 'off',
  };
  return spawn(process.execPath, ['--import', 'tsx', '--import', './src/server/tasks/testing.ts', 'src/server/main.ts'], { cwd: ROOT, env, stdio: 'ignore' });
}

async function up() {
  for (let i = 0; i < 300; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('The server did not start');
}

async function call(name: string, args: object): Promise<Record<string, unknown>> {
  const res = await fetch(`http://127.0.0.1:${port}/jmap/`, {
    method: 'POST',
    headers: { Authorization: basic('admin', ADMIN_PASSWORD), 'Content-Type': 'application/json' },
    body: JSON.stringify({ using: USING, methodCalls: [[name, args, 'c']] }),
  });
  const body = (await res.json()) as { methodResponses: [string, Record<string, unknown>][] };
  const [answered, out] = body.methodResponses[0];
  if (answered !== name) throw new Error(JSON.stringify(out));
  return out;
}

const task = async (id: string) => ((await call('x:Task/get', { ids: [id] })).list as Record<string, unknown>[])[0];
const state = async (id: string) => ((await task(id)).status as { '@type': string })['@type'];

async function until(id: string, wanted: string) {
  for (let i = 0; i < 600; i++) {
    if ((await state(id)) === wanted) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`Task ${id} never became ${wanted} (is ${await state(id)})`);
}

async function kill() {
  const c = child!;
  const exited = new Promise((r) => c.once('exit', r));
  c.kill('SIGKILL');
  await exited;
  child = start();
  await up();
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-kill-'));
  port = await freePort();
  child = start();
  await up();
}, 60_000);

afterAll(() => {
  child?.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

it('a killed task is marked failed with the reason, or run again when resumable; waiting tasks still run', async () => {
  const created = await call('x:Task/set', {
    create: {
      fails: { '@type': 'TestSteps', label: 'fails', steps: 2000, stepMs: 10 },
      resumes: { '@type': 'TestResume', label: 'resumes', steps: 2000, stepMs: 10 },
      after: { '@type': 'TestSteps', label: 'after', steps: 2, stepMs: 10 },
    },
  });
  const ids = Object.fromEntries(Object.entries(created.created as Record<string, { id: string }>).map(([k, v]) => [k, v.id]));
  await until(ids.fails, 'Running');
  await kill();
  const failed = await task(ids.fails);
  expect(failed.status).toMatchObject({ '@type': 'Failed', failureReason: STOPPED_REASON });
  expect(failed.failureReason).toBe(STOPPED_REASON);
  await until(ids.resumes, 'Running');
  const firstStart = (await task(ids.resumes)).startedAt;
  await kill();
  // Run again from the start by the new process (its start settled the record before it listened).
  await until(ids.resumes, 'Running');
  expect(firstStart).toEqual(expect.any(String));
  expect((await task(ids.resumes)).startedAt).not.toBe(firstStart);
  await call('x:Task/set', { update: { [ids.resumes]: { status: { '@type': 'CancelRequested' } } } });
  await until(ids.resumes, 'Cancelled');
  await until(ids.after, 'Completed');
}, 120_000);
