// Task kinds for tests only: importing this module (before the server's modules) adds them
// to TASK_KINDS, so the x:Task union and the manager of a test server know them. They do
// no real work: they count steps, report progress, and stop at their signal.

import { TaskCancelled, type TaskKind, type TaskRun } from './kind';
import { TASK_KINDS } from './kinds';

/** What the test kinds did, in order: `start <label>`, `end <label>`. */
export const RUNS: string[] = [];

/** A step is not interrupted: the signal is looked at between steps (the kind's safe points). */
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function steps(t: TaskRun) {
  const label = String(t.input.label);
  const total = Number(t.input.steps);
  RUNS.push(`start ${label}`);
  t.progress({ initialCount: total, remainingCount: total });
  for (let i = 1; i <= total; i++) {
    await sleep(Number(t.input.stepMs));
    if (t.signal.aborted) {
      RUNS.push(`stopped ${label}`);
      throw new TaskCancelled('stopped');
    }
    if (i === t.input.failAt) throw new Error(`Step ${i} of ${label} failed`);
    t.progress({ processedCount: i, remainingCount: total - i });
  }
  t.info({ doneSteps: total });
  RUNS.push(`end ${label}`);
}

const fields = {
  properties: {
    label: { description: 'Name in RUNS', type: { type: 'string' as const }, update: 'immutable' as const },
    steps: { description: 'Steps', type: { type: 'number' as const, format: 'unsignedInteger' as const, max: 100_000 }, update: 'immutable' as const },
    stepMs: { description: 'Pause per step', type: { type: 'number' as const, format: 'unsignedInteger' as const }, update: 'immutable' as const },
    failAt: { description: 'Step that fails', type: { type: 'number' as const, format: 'unsignedInteger' as const, nullable: true }, update: 'immutable' as const },
    doneSteps: { description: 'Steps done', type: { type: 'number' as const, format: 'unsignedInteger' as const, nullable: true }, update: 'serverSet' as const },
  },
  defaults: { steps: 1, stepMs: 0, failAt: null },
};

export const testStepsKind: TaskKind = {
  variant: 'TestSteps',
  label: 'Test: steps',
  fields,
  creatable: true,
  onRestart: 'fail',
  check: (_ctx, v) => (v.label === 'refuse' ? { type: 'invalidProperties', description: 'label: refused by the kind', properties: ['label'] } : null),
  run: steps,
};
export const testResumeKind: TaskKind = { ...testStepsKind, variant: 'TestResume', label: 'Test: resumable steps', onRestart: 'resume', check: undefined };
export const testInternalKind: TaskKind = { ...testStepsKind, variant: 'TestInternal', label: 'Test: internal', creatable: false, check: undefined };

for (const k of [testStepsKind, testResumeKind, testInternalKind]) if (!TASK_KINDS.includes(k)) TASK_KINDS.push(k);
