// Task kinds of the mail queue (x:QueuedMessage, the private Postfix's queue):
// ClearMailQueue {queueName} deletes every message of one Postfix queue, and
// DeleteQueuedMessages {queueName, sender?, recipient?, name?} those of it that match
// every selector given, exactly (addresses ignoring case; `name` is the queue id; sender
// `<>` is the null sender of bounces). Both list the queue once, delete with `postsuper -d`
// in batches (a cancel stops between two), then count what still matches. James's
// additionalInformation: initialCount, remainingCount (and the inputs).

import type { SetError } from '../../shared/jmap/errors';
import type { FieldsEntry } from '../../shared/schema/types';
import { refreshQueue } from '../mail/queue/mirror';
import { isPostfixQueue, listQueue, POSTFIX_QUEUES, postfixTools, postsuper, type PostqueueEntry } from '../mail/queue/postfix';
import type { WriteContext } from '../objects/define';
import { TaskCancelled, type TaskKind, type TaskRun } from './kind';

type Prop = FieldsEntry['properties'][string];
type Obj = Record<string, unknown>;
const BATCH = 200;

const input = (description: string, nullable: boolean): Prop => ({
  description, type: { type: 'string', format: 'string', ...(nullable ? { nullable: true } : {}) }, update: 'immutable',
});
const count = (description: string): Prop => ({ description, type: { type: 'number', format: 'unsignedInteger', nullable: true }, update: 'serverSet' });

const queueName = input(`The Postfix queue: ${POSTFIX_QUEUES.join(', ')}`, false);
const results = {
  initialCount: count('Messages that matched when the task started'),
  remainingCount: count('Messages that still matched when it ended'),
};

const invalid = (property: string, description: string, value: unknown): SetError => ({
  type: 'validationFailed',
  description: `${property}: ${description}`,
  properties: [property],
  validationErrors: [{ type: 'Invalid', property, description, value }],
});

/** The caller may delete queued mail, and the queue is one of Postfix's. */
function checkCommon(ctx: WriteContext, value: Obj): SetError | null {
  if (!ctx.caller.permissions.has('sysQueuedMessageDestroy')) {
    return { type: 'forbidden', description: 'Deleting queued mail needs the sysQueuedMessageDestroy permission' };
  }
  if (!isPostfixQueue(value.queueName)) return invalid('queueName', `Not a mail queue: the queues are ${POSTFIX_QUEUES.join(', ')}`, value.queueName);
  return null;
}

const QUEUE_ID = /^[A-Za-z0-9]{6,64}$/;
/** local@domain, as the recipient property's emailAddress format checks it. */
const ADDRESS = /^[^\s@,;"\\<>()[\]]+@[^\s@,;"\\<>()[\]]+\.[^\s@,;"\\<>()[\]]+$/;
const given = (v: unknown): v is string => typeof v === 'string' && v !== '';

function checkSelectors(ctx: WriteContext, value: Obj): SetError | null {
  const common = checkCommon(ctx, value);
  if (common) return common;
  if (!given(value.sender) && !given(value.recipient) && !given(value.name)) {
    return invalid('sender', 'Give at least one of sender, recipient and name: to delete a whole queue, use ClearMailQueue', null);
  }
  if (given(value.sender) && value.sender !== '<>' && !ADDRESS.test(value.sender)) return invalid('sender', 'Not an email address (or <> for bounces)', value.sender);
  if (given(value.recipient) && !ADDRESS.test(value.recipient)) return invalid('recipient', 'Not an email address', value.recipient);
  if (given(value.name) && !QUEUE_ID.test(value.name)) return invalid('name', 'Not a Postfix queue id (letters and digits)', value.name);
  return null;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Whether a listed message is one the task's inputs select. */
export function selects(input: Obj, e: PostqueueEntry): boolean {
  if (e.queue_name !== input.queueName) return false;
  if (given(input.name) && e.queue_id !== input.name) return false;
  if (given(input.sender)) {
    const sender = e.sender === 'MAILER-DAEMON' || e.sender === '' ? '<>' : e.sender;
    if (!same(sender, input.sender)) return false;
  }
  if (given(input.recipient) && !e.recipients.some((r) => same(r.address, input.recipient as string))) return false;
  return true;
}

async function run(t: TaskRun): Promise<void> {
  const tools = postfixTools(t.dataDir);
  const queue = t.input.queueName as (typeof POSTFIX_QUEUES)[number];
  const ids = (await listQueue(tools)).filter((e) => selects(t.input, e)).map((e) => e.queue_id);
  t.info({ initialCount: ids.length, remainingCount: ids.length });
  t.progress({ initialCount: ids.length, processedCount: 0, failedCount: 0, remainingCount: ids.length });
  let processed = 0;
  try {
    for (let i = 0; i < ids.length; i += BATCH) {
      if (t.signal.aborted) throw new TaskCancelled('cancelled');
      const batch = ids.slice(i, i + BATCH);
      // Only from this queue: a message that moved on meanwhile (being delivered) is left alone.
      await postsuper(tools, 'delete', batch, { queue, signal: t.signal });
      processed += batch.length;
      t.progress({ processedCount: processed, remainingCount: ids.length - processed });
    }
  } finally {
    const left = new Set(ids);
    const remaining = (await listQueue(tools).catch(() => [])).filter((e) => left.has(e.queue_id) && selects(t.input, e)).length;
    t.info({ initialCount: ids.length, remainingCount: remaining });
    t.progress({ remainingCount: remaining, failedCount: Math.max(0, remaining - (ids.length - processed)) });
    await refreshQueue(t.store, { force: true, tools }).catch((e: Error) => t.log(`queue mirror not refreshed: ${e.message}`));
  }
}

export const clearMailQueueKind: TaskKind = {
  variant: 'ClearMailQueue',
  label: 'Clear a mail queue',
  fields: { properties: { queueName, ...results } },
  creatable: true,
  check: checkCommon,
  // Deleting again after a restart would take mail that arrived since: say it stopped instead.
  onRestart: 'fail',
  run,
  jamesType: 'clearMailQueue',
  jamesInfo: (r) => ({ mailQueueName: r.queueName, initialCount: r.initialCount ?? null, remainingCount: r.remainingCount ?? null }),
};

export const deleteQueuedMessagesKind: TaskKind = {
  variant: 'DeleteQueuedMessages',
  label: 'Delete queued messages by sender, recipient or name',
  fields: {
    properties: {
      queueName,
      sender: input('Delete the messages from this envelope sender (exactly; <> for bounces)', true),
      recipient: { ...input('Delete the messages for this recipient (exactly)', true), type: { type: 'string', format: 'emailAddress', nullable: true } },
      name: input('Delete the message with this queue id', true),
      ...results,
    },
    defaults: { sender: null, recipient: null, name: null },
  },
  creatable: true,
  check: checkSelectors,
  onRestart: 'fail',
  run,
  jamesType: 'deleteMailsFromMailQueue',
  jamesInfo: (r) => ({
    mailQueueName: r.queueName, initialCount: r.initialCount ?? null, remainingCount: r.remainingCount ?? null,
    sender: r.sender ?? null, name: r.name ?? null, recipient: r.recipient ?? null,
  }),
};

export const QUEUE_KINDS: TaskKind[] = [clearMailQueueKind, deleteQueuedMessagesKind];
