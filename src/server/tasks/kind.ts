// What one kind of background task is (re-index a user, clear a queue, …): its inputs and
// result fields in the x:Task union, and the work itself. The task manager (manager.ts)
// stores the status, dates and progress; a kind only does its work and reports.

import type { FieldsEntry } from '../../shared/schema/types';
import type { SetError } from '../../shared/jmap/errors';
import type { Store } from '../store/records';
import type { WriteContext } from '../objects/define';

export interface TaskProgress { initialCount: number; processedCount: number; failedCount: number; remainingCount: number }

export interface TaskRun {
  id: string;
  input: Record<string, unknown>;          // the task record's variant fields as stored
  signal: AbortSignal;                      // aborted when a cancel is requested or the server closes
  progress(p: Partial<TaskProgress>): void; // stored and pushed, throttled by the manager (<= 4/s)
  info(fields: Record<string, unknown>): void; // the variant's serverSet result fields (successfullyReprocessMailCount, …)
  store: Store; dataDir: string; log(msg: string): void;
}

export interface TaskKind {
  variant: string;            // x:Task @type, e.g. "ReIndexUser"
  label: string;
  schemaName?: string;        // default `x:Task${variant}`
  fields: FieldsEntry;        // its inputs ('immutable') and result fields ('serverSet'); status/progress/dates are added by the manager
  creatable: boolean;         // clients may create it with x:Task/set
  check?(ctx: WriteContext, value: Record<string, unknown>): SetError | null; // inputs: unknown account → invalidForeignKey etc.
  onRestart: 'fail' | 'resume'; // a task in progress when the server stopped: marked failed with the reason, or run again from the start (only when safe)
  run(t: TaskRun): Promise<void>; // resolve = completed; throw Error = failed (message = failureReason); stop early and resolve/throw when t.signal.aborted = cancelled
  /** Optional: James's `type` in WebAdmin reports (`userReIndexing`, …); the variant name when not given. */
  jamesType?: string;
  /** Optional: James's `additionalInformation` from the stored task record; the variant's own fields (inputs and results) when not given. */
  jamesInfo?(record: Record<string, unknown>): Record<string, unknown>;
}

/** Thrown by a kind's run() when it stops because its signal was aborted: the task ends Cancelled. */
export class TaskCancelled extends Error {}
