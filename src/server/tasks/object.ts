// x:Task and x:TaskManager: background work in Stalwart 0.16's shape (a union with one
// variant per kind of job, `status` a union), built from the task kinds (kinds.ts).
//
// Design, and why:
// - Stalwart deletes a task once it succeeded and has no start, end or progress. Postern
//   keeps every task as history until x:TaskManager.historyRetention has passed since it
//   ended (James's execution reports), so the status union gains Running, CancelRequested,
//   Completed and Cancelled (a Postern extension; Stalwart's Retry is never produced: a
//   task runs once). Dates and progress are top-level serverSet properties as well, so
//   lists sort and show them without reading into the union.
// - Creating a task is the only way to start one; the manager (manager.ts) runs tasks one
//   at a time in submission order. Only kinds marked creatable may be created by clients.
// - Cancel is an update of `status` to {"@type":"CancelRequested"}: a Pending task is
//   Cancelled at once, a Running one when it next checks (its status says CancelRequested
//   until then). Any other change of status is refused, and so is cancelling a finished task.
// - Destroy removes a finished task from the history; a task still owed work must be
//   cancelled first (destroying it would leave work running that nobody can see).

import type { SetError } from '../../shared/jmap/errors';
import type { EnumValue, FieldsEntry, Form } from '../../shared/schema/types';
import { utcDateTime } from '../../shared/schema/validate';
import { labelled } from '../objects/builders';
import type { ObjectDef, WriteContext } from '../objects/define';
import type { TaskKind } from './kind';
import { dropReferences } from './references';
import { DAY_MS, DEFAULT_RETENTION_MS, isFinished, STATUS_NAMES, STOPPED_REASON, TASK, TASK_MANAGER, type StatusName } from './status';

type Obj = Record<string, unknown>;
type Prop = FieldsEntry['properties'][string];

const serverSet = (description: string, type: Prop['type']): Prop => ({ description, type, update: 'serverSet' });
const when = (description: string, nullable = true) => serverSet(description, { type: 'utcDateTime', ...(nullable ? { nullable: true } : {}) });
const count = (description: string) => serverSet(description, { type: 'number', format: 'unsignedInteger' });

/** What the manager keeps on every task, whatever its kind. */
export const TASK_COMMON: FieldsEntry['properties'] = {
  status: {
    description:
      'Where the task stands. Postern extension: besides Stalwart\u2019s Pending and Failed, Running, CancelRequested, Completed and Cancelled. ' +
      'Set it to {"@type":"CancelRequested"} to cancel: a waiting task is cancelled at once, a running one at its next safe point. ' +
      `A task that was running when the server stopped is marked Failed ("${STOPPED_REASON}") unless its kind is safe to run again, in which case it runs again from the start.`,
    type: { type: 'object', objectName: 'x:TaskStatus' },
    update: 'mutable',
  },
  due: when('When the task may run (Stalwart); Postern runs a task as soon as the tasks submitted before it are done', false),
  submittedAt: when('Postern extension: when the task was created', false),
  startedAt: when('Postern extension: when the task started running'),
  completedAt: when('Postern extension: when the task finished successfully'),
  failedAt: when('Postern extension: when the task failed'),
  cancelledAt: when('Postern extension: when the task was cancelled'),
  progress: serverSet('Postern extension: how far the task got (counts of the items it works on)', { type: 'object', objectName: 'x:TaskProgress', nullable: true }),
  failureReason: serverSet('Postern extension: why the task failed', { type: 'string', format: 'text', nullable: true }),
};

const STATUS_LABELS: Record<StatusName, [string, string, string]> = {
  Pending: ['Waiting', 'Submitted; runs when the tasks before it are done', 'gray'],
  Running: ['In progress', 'Postern extension: running now', 'blue'],
  CancelRequested: ['Cancel requested', 'Postern extension: running; stops at its next safe point', 'orange'],
  Completed: ['Completed', 'Postern extension: finished successfully', 'green'],
  Cancelled: ['Cancelled', 'Postern extension: stopped by a cancel', 'gray'],
  Failed: ['Failed', 'Finished with an error (see failureReason)', 'red'],
};
const STATUS_SCHEMA: Record<StatusName, string> = {
  Pending: 'x:TaskStatusPending', Running: 'x:TaskStatusRunning', CancelRequested: 'x:TaskStatusRunning',
  Completed: 'x:TaskStatusCompleted', Cancelled: 'x:TaskStatusCancelled', Failed: 'x:TaskStatusFailed',
};

const statusEnum: EnumValue[] = STATUS_NAMES.map((name) => {
  const [label, explanation, color] = STATUS_LABELS[name];
  return { name, label, explanation, color };
});

const created = when('When the task was created', false);
const STATUS_FIELDS: Record<string, FieldsEntry> = {
  'x:TaskStatusPending': { properties: { createdAt: created, due: when('When it may run', false) } },
  'x:TaskStatusRunning': { properties: { createdAt: created, startedAt: when('When it started', false) } },
  'x:TaskStatusCompleted': { properties: { createdAt: created, startedAt: when('When it started', false), completedAt: when('When it finished', false) } },
  'x:TaskStatusCancelled': { properties: { createdAt: created, startedAt: when('When it started (null: it never ran)'), cancelledAt: when('When it was cancelled', false) } },
  'x:TaskStatusFailed': {
    properties: {
      createdAt: created,
      startedAt: when('Postern extension: when it started'),
      failedAt: when('When it failed', false),
      failedAttemptNumber: count('Attempts made (Postern makes one)'),
      failureReason: serverSet('Why it failed', { type: 'string', format: 'text' }),
    },
  },
  'x:TaskProgress': {
    properties: {
      initialCount: count('Items to process, as counted when the task started'),
      processedCount: count('Items processed successfully'),
      failedCount: count('Items that could not be processed'),
      remainingCount: count('Items left'),
    },
  },
};

/** `successfullyReprocessMailCount` → `Successfully reprocess mail count`: a form label from a property name. */
const words = (name: string) => {
  const w = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return w.charAt(0).toUpperCase() + w.slice(1);
};

const schemaNameOf = (k: TaskKind) => k.schemaName ?? `${TASK}${k.variant}`;

/** A task's inputs and results are the kind's; status, dates and progress the manager's. */
function variantFields(k: TaskKind): FieldsEntry {
  return {
    properties: { ...k.fields.properties, ...TASK_COMMON },
    defaults: { ...k.fields.defaults, status: { '@type': 'Pending' } },
  };
}

const refuse = (description: string, property = 'status'): SetError => ({ type: 'invalidProperties', description, properties: [property] });

/** A cancel of a task in its current state: the status it moves to, or why it cannot. */
function cancel(prev: Obj, now: string): { status: Obj; extra: Obj } | SetError {
  const prevStatus = prev.status as Obj;
  const state = prevStatus['@type'] as StatusName;
  if (state === 'Pending') {
    return { status: { '@type': 'Cancelled', createdAt: prevStatus.createdAt, startedAt: null, cancelledAt: now }, extra: { cancelledAt: now } };
  }
  if (state === 'Running' || state === 'CancelRequested') return { status: { ...prevStatus, '@type': 'CancelRequested' }, extra: {} };
  const at = (prev.completedAt ?? prev.cancelledAt ?? prev.failedAt) as string | null;
  return refuse(`The task already ended (${STATUS_LABELS[state][0].toLowerCase()}${at ? ` at ${at}` : ''}): a finished task cannot be cancelled`);
}

const CANCEL_ACTION = { type: 'setProperty', label: 'Cancel', property: 'status', value: { '@type': 'CancelRequested' } } as const;

/** The x:Task union over `kinds` (tests build it over their own kinds). */
export function taskObject(kinds: readonly TaskKind[]): ObjectDef {
  const byVariant = new Map(kinds.map((k) => [k.variant, k]));
  const resultFields = (k: TaskKind) => Object.entries(k.fields.properties).filter(([, p]) => p.update === 'serverSet').map(([n]) => n);
  const variantForm = (k: TaskKind): Form => ({
    title: k.label,
    sections: [
      { title: 'Task', fields: Object.keys(k.fields.properties).map((name) => ({ name, label: words(name) })) },
      { title: 'Progress', fields: labelled({ status: 'Status', progress: 'Progress', failureReason: 'Failure reason' }) },
      { title: 'Dates', fields: labelled({ submittedAt: 'Submitted', startedAt: 'Started', completedAt: 'Completed', failedAt: 'Failed', cancelledAt: 'Cancelled' }) },
    ],
  });
  return {
    name: TASK,
    description:
      'Work the server does in the background, one task at a time in the order submitted (re-indexing, clearing a queue, \u2026). ' +
      'Create one to start it; follow it with /get, /changes or the push stream; cancel it by setting status to {"@type":"CancelRequested"}. ' +
      `A task running when the server stopped is marked Failed ("${STOPPED_REASON}"), or runs again from the start when its kind is safe to repeat. ` +
      'Postern keeps finished tasks for the history retention of x:TaskManager, then removes them; only finished tasks can be destroyed.',
    permissionPrefix: 'sysTask',
    variants: kinds.map((k) => ({ name: k.variant, label: k.label, fields: variantFields(k), schemaName: schemaNameOf(k) })),
    schemas: {
      'x:TaskStatus': { type: 'multiple', variants: STATUS_NAMES.map((name) => ({ name, label: STATUS_LABELS[name][0], schemaName: STATUS_SCHEMA[name] })) },
      'x:TaskProgress': { type: 'single', schemaName: 'x:TaskProgress' },
    },
    extraFields: STATUS_FIELDS,
    enums: {
      TaskStatusType: statusEnum,
      TaskType: kinds.map((k) => ({ name: k.variant, label: k.label })),
    },
    indexed: ['@type', 'submittedAt'],
    onCreate(value) {
      const now = utcDateTime();
      Object.assign(value, { due: now, submittedAt: now, startedAt: null, completedAt: null, failedAt: null, cancelledAt: null, progress: null, failureReason: null });
      const kind = byVariant.get(String(value['@type']));
      for (const name of kind ? resultFields(kind) : []) value[name] = null;
    },
    check(ctx: WriteContext, _id, next, prev): SetError | null {
      const kind = byVariant.get(String(next['@type']));
      if (!kind) return { type: 'invalidProperties', description: `No task kind ${String(next['@type'])}`, properties: ['@type'] };
      const wanted = (next.status as Obj)['@type'] as StatusName;
      if (!prev) {
        if (!kind.creatable && ctx.caller.accountId !== 'system') {
          return { type: 'forbidden', description: `${kind.variant} tasks are started by the server itself, not by clients`, properties: ['@type'] };
        }
        if (wanted !== 'Pending') return refuse(`A new task starts Pending; ${wanted} is set by the server`);
        next.status = { '@type': 'Pending', createdAt: next.submittedAt, due: next.due };
        return kind.check?.(ctx, next) ?? null;
      }
      const prevStatus = prev.status as Obj;
      if (wanted === prevStatus['@type']) {
        next.status = prevStatus; // sent back as read: nothing changes
        return null;
      }
      if (wanted !== 'CancelRequested') {
        return refuse(`Only a cancel can change a task\u2019s status: set it to {"@type":"CancelRequested"} (asked for ${wanted})`);
      }
      const moved = cancel(prev, utcDateTime());
      if ('type' in moved) return moved;
      next.status = moved.status;
      Object.assign(next, moved.extra);
      return null;
    },
    // A finished task is history: it no longer keeps what it worked on (an account) from being deleted.
    afterWrite(ctx, id, next) {
      if (isFinished((next.status as Obj)['@type'])) dropReferences(ctx.store, id);
    },
    checkDestroy(_ctx, id, prev): SetError | null {
      const state = (prev.status as Obj | undefined)?.['@type'];
      if (isFinished(state)) return null;
      return {
        type: 'forbidden',
        description: `Task ${id} is ${STATUS_LABELS[state as StatusName]?.[0].toLowerCase() ?? String(state)}: cancel it first; only finished tasks can be removed from the history`,
      };
    },
    form: { title: 'Task', sections: [{ fields: labelled({ '@type': 'Type' }) }] },
    extraForms: Object.fromEntries(kinds.map((k) => [schemaNameOf(k), variantForm(k)])),
    list: {
      title: 'Tasks',
      subtitle: 'Background work, newest first: waiting, running and the history',
      singularName: 'task',
      pluralName: 'tasks',
      columns: labelled({ '@type': 'Type', status: 'Status', progress: 'Progress', submittedAt: 'Submitted', startedAt: 'Started', failureReason: 'Failure reason' }),
      filters: [
        { type: 'enum', field: 'status', label: 'Status', enumName: 'TaskStatusType' },
        { type: 'enum', field: '@type', label: 'Type', enumName: 'TaskType' },
      ],
      sort: [{ property: 'submittedAt', isAscending: false }],
      itemActions: [{ type: 'view' }, CANCEL_ACTION, { type: 'separator' }, { type: 'delete', label: 'Remove from history' }],
      massActions: [CANCEL_ACTION, { type: 'delete', label: 'Remove from history' }],
    },
  };
}

export const taskManager: ObjectDef = {
  name: TASK_MANAGER,
  description: 'How the task manager keeps its history. Stalwart\u2019s x:TaskManager also sets retries (maxAttempts, totalDeadline, strategy), which Postern does not have: a task that fails stays failed. historyRetention is a Postern extension.',
  permissionPrefix: 'sysTaskManager',
  singleton: { defaults: { historyRetention: DEFAULT_RETENTION_MS } },
  fields: {
    properties: {
      historyRetention: {
        description: 'Postern extension: how long a finished task is kept (milliseconds) before it is removed from the history; at least one minute, at most a year',
        type: { type: 'number', format: 'duration', min: 60_000, max: 365 * DAY_MS },
        update: 'mutable',
      },
    },
    defaults: { historyRetention: DEFAULT_RETENTION_MS },
  },
  form: { title: 'Task manager', sections: [{ title: 'History', fields: labelled({ historyRetention: 'Keep finished tasks for' }) }] },
  list: { title: 'Task manager', subtitle: 'Task history', singularName: 'task manager', pluralName: 'task manager settings', columns: labelled({ historyRetention: 'History retention' }) },
};
