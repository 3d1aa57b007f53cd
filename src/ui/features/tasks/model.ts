// What the Tasks page reads from an x:Task record and from the schema as served: the
// task's state, how far it got, when it ended, which of its fields are inputs and which
// results. Pure, so it is tested beside it.

import type { Property, SchemaDocument } from '../../../shared/schema/types';
import type { JmapRecord } from '../../jmap/types';
import { formatNumber } from '../../i18n/format';
import { i18n } from '../../i18n/i18n';
import { propertiesOf, variantsOf } from '../../schema/resolve';

export const TASK = 'x:Task';
/** The page is offered where the server's layouts name it (Postern's do). */
export const TASKS_PAGE = 'CustomComponent/Tasks';
/** The kinds the console starts itself (contract names of issue 11). */
export const REINDEX_ALL = 'FullReIndexing';
export const REINDEX_USER = 'ReIndexUser';

/** States in which the server still owes work: a cancel can still stop them. */
const CANCELLABLE = new Set(['Pending', 'Running']);
const ACTIVE = new Set(['Pending', 'Running', 'CancelRequested']);

export const statusOf = (task: JmapRecord | undefined): string | undefined => {
  const s = task?.status;
  return s && typeof s === 'object' && typeof (s as Record<string, unknown>)['@type'] === 'string' ? String((s as Record<string, unknown>)['@type']) : undefined;
};

export const isActive = (task: JmapRecord | undefined) => ACTIVE.has(statusOf(task) ?? '');
export const canBeCancelled = (task: JmapRecord | undefined) => CANCELLABLE.has(statusOf(task) ?? '');

export interface Progress {
  total: number;
  /** Items dealt with, well or not. */
  done: number;
  processed: number;
  failed: number;
  remaining: number;
}

const count = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);

/** A task's progress record, or null when it has none yet (waiting) or it is unreadable. */
export function progressOf(value: unknown): Progress | null {
  if (!value || typeof value !== 'object') return null;
  const p = value as Record<string, unknown>;
  const total = count(p.initialCount);
  if (total === undefined) return null;
  const processed = count(p.processedCount) ?? 0;
  const failed = count(p.failedCount) ?? 0;
  const remaining = count(p.remainingCount) ?? Math.max(0, total - processed - failed);
  const done = Math.min(total, Math.max(0, total - remaining));
  return { total, done, processed, failed, remaining };
}

/** `120 of 300 done, 2 failed`: the words beside the bar, also its accessible value (in the current language). */
export function progressWords(p: Progress): string {
  const values = { done: formatNumber(p.done), total: formatNumber(p.total), failed: formatNumber(p.failed) };
  return p.failed > 0 ? i18n.t('tasks:progress.wordsFailed', values) : i18n.t('tasks:progress.words', values);
}

export const percent = (p: Progress) => (p.total === 0 ? 100 : Math.round((p.done / p.total) * 100));

export type Ending = 'completed' | 'failed' | 'cancelled';

/** When the task ended and how, from its dates: completed, failed or cancelled (the page words it). */
export function endOf(task: JmapRecord): { how: Ending; at: string } | null {
  for (const [key, how] of [['completedAt', 'completed'], ['failedAt', 'failed'], ['cancelledAt', 'cancelled']] as const) {
    if (typeof task[key] === 'string' && task[key]) return { how, at: task[key] as string };
  }
  return null;
}

/** The status union's variant names and labels, from the schema (`x:Task.status`). */
export function statusLabel(doc: SchemaDocument, task: JmapRecord, properties: Record<string, Property>): string {
  const name = statusOf(task) ?? '';
  const type = properties.status?.type;
  const shape = type?.type === 'object' ? doc.schemas[type.objectName] : undefined;
  return (shape?.type === 'multiple' && shape.variants.find((v) => v.name === name)?.label) || name;
}

/** The schema's colour for a status: the enum the list's status filter names. */
export function statusColor(doc: SchemaDocument, status: string | undefined): string | undefined {
  const filter = doc.lists[TASK]?.filters?.find((f) => f.field === 'status');
  return filter?.type === 'enum' ? doc.enums[filter.enumName]?.find((e) => e.name === status)?.color : undefined;
}

export interface TaskFields {
  /** What the task was asked to do (immutable): the account, the mailbox… */
  inputs: [string, Property][];
  /** What it reports that only its kind has (successfullyReprocessMailCount…). */
  results: [string, Property][];
}

/** What the page shows of every task in its own places (the manager's fields, and Stalwart's `due`). */
const SHOWN_APART = new Set(['@type', 'status', 'progress', 'failureReason', 'submittedAt', 'startedAt', 'completedAt', 'failedAt', 'cancelledAt', 'due']);

/** A variant's own fields: the kind's inputs and results, as its schema lists them. */
export function taskFields(doc: SchemaDocument, variant: string | undefined): TaskFields {
  const schemaName = variantsOf(doc, TASK)?.find((v) => v.name === variant)?.schemaName;
  const own = Object.entries(propertiesOf(doc, schemaName)).filter(([k]) => !SHOWN_APART.has(k));
  return {
    inputs: own.filter(([, p]) => p.update !== 'serverSet'),
    results: own.filter(([, p]) => p.update === 'serverSet'),
  };
}

/** The label a variant's form gives a field, else its description's first words. */
export function fieldLabel(doc: SchemaDocument, variant: string | undefined, name: string, property: Property): string {
  const schemaName = variantsOf(doc, TASK)?.find((v) => v.name === variant)?.schemaName;
  const form = schemaName ? doc.forms[schemaName] : undefined;
  const field = form?.sections.flatMap((s) => s.fields).find((f) => f.name === name);
  return field?.label ?? property.description.replace(/^Postern extension: /, '').split(/[.;(]/)[0];
}

/** Whether the server's x:Task union has this kind (a server refuses a kind clients may not start, with its reason). */
export function hasVariant(doc: SchemaDocument, variant: string): boolean {
  return !!variantsOf(doc, TASK)?.some((v) => v.name === variant);
}

export function variantLabel(doc: SchemaDocument, variant: unknown): string {
  return variantsOf(doc, TASK)?.find((v) => v.name === variant)?.label ?? String(variant ?? '');
}
