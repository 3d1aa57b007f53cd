// x:QueuedMessage (Stalwart 0.16's object): the mail waiting in the private Postfix's queue,
// mirrored into the store before every call that reads it, its id the Postfix queue id
// (src/server/mail/queue/mirror.ts), and its writes carried out with postsuper and postqueue
// afterwards (mail/queue/writes.ts).
//
// Stalwart's shape, with what Postfix can say:
// - Clients never create one (Postfix does when mail arrives); destroy cancels the message.
// - `nextRetry` set to a time that has come retries now (Stalwart's "Retry now"); removing
//   every recipient cancels the message; Postfix cannot cancel one recipient alone.
// - Postern extensions: `held` (true puts the message in Postfix's hold queue, false
//   releases it), and the filter properties `queueName` (the Postfix queue it is in:
//   maildrop, incoming, active, deferred, hold), `to`, `text` and `due` (Stalwart's filter
//   and sort names: Stalwart filters and sorts queued messages by `due` only; here it is
//   a stored copy of nextRetry, so that the list can filter and sort on it).
// - Left out because Postfix has no such thing: priority, envId, flags, nextNotify and the
//   per-recipient retry/notify counters and flags. Postfix removes delivered and bounced
//   recipients from the queue, so a recipient's status is Scheduled or TemporaryFailure.
// The blob id downloads the message as received (message/rfc822) while it is queued.

import type { EnumValue, FieldsEntry, Property } from '../../shared/schema/types';
import { applyQueueWrites } from '../mail/queue/writes';
import { refreshQueue } from '../mail/queue/mirror';
import { labelled } from './builders';
import type { ObjectDef } from './define';

const srv = (description: string, type: Property['type']): Property => ({ description, type, update: 'serverSet' });
const str = (nullable = false) => ({ type: 'string' as const, format: 'string' as const, ...(nullable ? { nullable: true } : {}) });
const EXT = 'Postern extension: ';

const deliveryErrorTypes: EnumValue[] = [
  { name: 'dnsError', label: 'DNS error' },
  { name: 'unexpectedResponse', label: 'Refused by the remote server' },
  { name: 'connectionError', label: 'Connection error' },
  { name: 'tlsError', label: 'TLS error' },
  { name: 'daneError', label: 'DANE error' },
  { name: 'mtaStsError', label: 'MTA-STS error' },
  { name: 'rateLimited', label: 'Rate limited' },
  { name: 'concurrencyLimited', label: 'Too many connections' },
  { name: 'io', label: 'Other error', explanation: 'Postfix gave a reason of another kind (for example: waiting for a relay route)' },
];

const queueNames: EnumValue[] = [
  { name: 'maildrop', label: 'Maildrop', explanation: 'Submitted on this machine, not yet taken in' },
  { name: 'incoming', label: 'Incoming', explanation: 'Just taken in (James: spool)' },
  { name: 'active', label: 'Active', explanation: 'Being delivered now' },
  { name: 'deferred', label: 'Deferred', explanation: 'Waiting to be tried again (James: outgoing)', color: 'orange' },
  { name: 'hold', label: 'Held', explanation: 'Kept until an administrator releases it', color: 'gray' },
];

const recipient: FieldsEntry = {
  properties: {
    status: srv('Where delivery to this address stands: waiting for its first attempt, or after one that failed for now', { type: 'object', objectName: 'x:RecipientStatus' }),
    queueName: srv('The Postfix queue the message is in (maildrop, incoming, active, deferred or hold)', { ...str(), maxLength: 8 }),
    retryDue: srv('When delivery to this address is next tried; empty while the message is held', { type: 'utcDateTime', nullable: true }),
    expires: srv('When Postfix gives up and returns the message to its sender', { type: 'object', objectName: 'x:QueueExpiry' }),
    orcpt: srv('The original recipient given with the message (DSN ORCPT), when there was one', str(true)),
  },
};

const deliveryError: FieldsEntry = {
  properties: {
    errorType: srv('What kind of failure it was', { type: 'enum', enumName: 'DeliveryErrorType' }),
    errorMessage: srv('Why the delivery waits, in Postfix\'s words (its delay reason)', str(true)),
    errorCommand: srv('The SMTP command the remote server refused', str(true)),
    responseHostname: srv('The remote server that answered', str(true)),
    responseCode: srv('Its SMTP reply code', { type: 'number', format: 'unsignedInteger', nullable: true }),
    responseEnhanced: srv('Its enhanced status code', str(true)),
    responseMessage: srv('Its reply text', str(true)),
  },
};

const fields: FieldsEntry = {
  properties: {
    returnPath: srv('The envelope sender (MAIL FROM); <> for a bounce', str()),
    recipients: {
      description: 'The envelope recipients and how their delivery stands. Removing every recipient cancels the message; Postfix cannot cancel one recipient alone.',
      type: { type: 'map', keyClass: { type: 'string', format: 'emailAddress' }, valueClass: { type: 'object', objectName: 'x:QueuedRecipient' } },
      update: 'mutable',
    },
    nextRetry: {
      description: 'When delivery is next tried; set a time that has come to retry now. Empty while the message is held.',
      type: { type: 'utcDateTime', nullable: true },
      update: 'mutable',
    },
    createdAt: srv('When the message arrived in the queue', { type: 'utcDateTime' }),
    size: srv('Size of the message in bytes', { type: 'number', format: 'size' }),
    blobId: srv('The message as received: download it (message/rfc822) while it is queued', { type: 'blobId' }),
    receivedFromIp: srv('Address of the client that sent the message', { type: 'string', format: 'ipAddress', nullable: true }),
    receivedViaPort: srv('Port of this server the message came in on', { type: 'number', format: 'unsignedInteger', nullable: true }),
    held: {
      description: `${EXT}the message is in Postfix's hold queue, never tried until released; set true to hold it, false to release it`,
      type: { type: 'boolean' },
      update: 'mutable',
    },
    due: srv(`${EXT}when the message is due for its next attempt, the same time as nextRetry: what the "due" filter and sort read, as in Stalwart`, { type: 'utcDateTime', nullable: true }),
    queueName: srv(`${EXT}the Postfix queue the message is in (the same for all its recipients)`, { type: 'enum', enumName: 'MailQueueName' }),
    to: srv(`${EXT}the recipients' addresses, separated by spaces (what the "to" filter matches)`, str()),
    text: srv(`${EXT}the sender and the recipients (what the "text" filter matches)`, str()),
  },
};

export const queuedMessage: ObjectDef = {
  name: 'x:QueuedMessage',
  description: 'A message waiting in the mail queue (Postfix) to be delivered, with each recipient\'s delay reason.',
  permissionPrefix: 'sysQueuedMessage',
  fields,
  schemas: {
    'x:QueuedRecipient': { type: 'single', schemaName: 'x:QueuedRecipient' },
    'x:RecipientStatus': {
      type: 'multiple',
      variants: [
        { name: 'Scheduled', label: 'Waiting for delivery' },
        { name: 'TemporaryFailure', label: 'Failed for now, will be retried', schemaName: 'x:DeliveryError' },
      ],
    },
    'x:QueueExpiry': { type: 'multiple', variants: [{ name: 'Ttl', label: 'At a given time', schemaName: 'x:QueueExpiryTtl' }] },
  },
  extraFields: {
    'x:QueuedRecipient': recipient,
    'x:DeliveryError': deliveryError,
    'x:QueueExpiryTtl': { properties: { expiresAt: srv('When the message expires', { type: 'utcDateTime' }) } },
  },
  enums: { DeliveryErrorType: deliveryErrorTypes, MailQueueName: queueNames },
  indexed: ['returnPath', 'nextRetry', 'due', 'createdAt', 'size', 'queueName', 'to', 'text', 'held'],
  clientVerbs: ['Get', 'Query', 'Update', 'Destroy'],
  refresh: (ctx) => refreshQueue(ctx.store),
  apply: (ctx, done) => applyQueueWrites(ctx, done),
  form: {
    title: 'Queued message',
    subtitle: 'Mail waiting in the Postfix queue. Retry, hold or delete it from the list.',
    sections: [
      { title: 'Message', fields: labelled({ returnPath: 'Sender', createdAt: 'Arrived', size: 'Size', queueName: 'Queue', held: 'Held', blobId: 'Message' }) },
      { title: 'Delivery', fields: [{ name: 'nextRetry', label: 'Next attempt' }, { name: 'recipients', label: 'Recipients', keyLabel: 'Address', valueLabel: 'Delivery' }] },
      { title: 'Origin', fields: labelled({ receivedFromIp: 'Received from', receivedViaPort: 'Received on port' }) },
    ],
  },
  extraForms: {
    'x:QueuedRecipient': { sections: [{ fields: labelled({ status: 'Status', queueName: 'Queue', retryDue: 'Next attempt', expires: 'Expires', orcpt: 'Original recipient' }) }] },
    'x:DeliveryError': {
      sections: [{ fields: labelled({ errorMessage: 'Reason', errorType: 'Kind', responseHostname: 'Remote server', responseCode: 'Reply code', responseEnhanced: 'Enhanced code', responseMessage: 'Reply', errorCommand: 'Command' }) }],
    },
    'x:QueueExpiryTtl': { sections: [{ fields: labelled({ expiresAt: 'Expires at' }) }] },
  },
  list: {
    title: 'Mail queue',
    subtitle: 'Messages waiting for delivery, with why they wait',
    singularName: 'queued message',
    pluralName: 'queued messages',
    labelProperty: 'returnPath',
    // Stalwart's columns, filters and actions (in its order), then Postern's extensions.
    // Left out: Stalwart's "View Message" view (x:QueuedMessage/MessageContents; the form's
    // Message field downloads it) and "Delivery History" (x:Trace, which Postern has not).
    columns: labelled({ returnPath: 'Sender', nextRetry: 'Next attempt', createdAt: 'Arrived', size: 'Size', recipients: 'Recipients and reasons', queueName: 'Queue' }),
    filters: [
      { type: 'text', field: 'text', label: 'Search' },
      { type: 'text', field: 'to', label: 'Recipient' },
      { type: 'date', field: 'due', label: 'Next attempt' },
      { type: 'enum', field: 'queueName', label: 'Queue', enumName: 'MailQueueName' },
      { type: 'text', field: 'returnPath', label: 'Sender' },
    ],
    sort: [{ property: 'due', isAscending: true }],
    itemActions: [
      { type: 'setProperty', label: 'Retry now', property: 'nextRetry', value: '2000-01-01T00:00:00Z' },
      { type: 'setProperty', label: 'Hold', property: 'held', value: true },
      { type: 'setProperty', label: 'Release', property: 'held', value: false },
      { type: 'separator' },
      { type: 'view' },
      { type: 'separator' },
      { type: 'delete', label: 'Cancel delivery' },
    ],
    massActions: [
      { type: 'delete', label: 'Cancel all' },
      { type: 'setProperty', label: 'Retry all', property: 'nextRetry', value: '2000-01-01T00:00:00Z' },
      { type: 'setProperty', label: 'Hold all', property: 'held', value: true },
      { type: 'setProperty', label: 'Release all', property: 'held', value: false },
    ],
  },
};
