// x:Activity and x:ActivityLog, a Postern extension (Stalwart 0.16 has no record of who
// changed what): one read-only entry per record a client created, changed or deleted
// through any API (JMAP, the WebAdmin API, the command line), written by the /set engine in
// the same transaction as the change (activity/record.ts); and the singleton saying how
// long entries are kept (activity/retention.ts removes older ones).

import type { EnumValue, FieldsEntry } from '../../shared/schema/types';
import {
  ACTIVITY,
  ACTIVITY_LOG,
  DAY_MS,
  DEFAULT_ACTIVITY_RETENTION_MS,
  MAX_ACTIVITY_RETENTION_MS,
  MAX_VALUE_CHARS,
  MIN_ACTIVITY_RETENTION_MS,
} from '../activity/names';
import { labelled } from './builders';
import type { ObjectDef } from './define';

type Prop = FieldsEntry['properties'][string];
const serverSet = (description: string, type: Prop['type']): Prop => ({ description, type, update: 'serverSet' });
const text = (description: string, nullable = false) => serverSet(description, { type: 'string', format: 'string', ...(nullable ? { nullable: true } : {}) });

const vias: EnumValue[] = [
  { name: 'jmap', label: 'JMAP', explanation: 'The JMAP API (the console uses it)', color: 'blue' },
  { name: 'webadmin', label: 'WebAdmin', explanation: 'The James WebAdmin REST API', color: 'purple' },
  { name: 'cli', label: 'Command line', explanation: 'npm run unblock / reset-admin on the machine itself', color: 'gray' },
];

const actions: EnumValue[] = [
  { name: 'created', label: 'Created', color: 'green' },
  { name: 'updated', label: 'Changed', color: 'blue' },
  { name: 'destroyed', label: 'Deleted', color: 'red' },
];

export const activity: ObjectDef = {
  name: ACTIVITY,
  description:
    'Postern extension: one entry per record a client created, changed or deleted through any API (JMAP, WebAdmin, the command line), ' +
    'recorded by the server in the same transaction as the change: who, when, from which address, which record and which properties, ' +
    'with their old and new values. Secret values are never recorded. Read-only; entries older than x:ActivityLog.retention are removed. ' +
    'Writes the server makes itself (mirrors of Dovecot and Postfix state, task progress, automatic blocks) are not recorded.',
  permissionPrefix: 'sysActivity',
  fields: {
    properties: {
      at: serverSet('When the change was committed', { type: 'utcDateTime' }),
      actorId: serverSet('The account that made the change (null for the command line); the account may have been deleted since', {
        type: 'objectId',
        objectName: 'x:Account',
        nullable: true,
      }),
      actorName: text('The sign-in name of the account that made the change, as it was then ("cli" for the command line)'),
      via: serverSet('The API the change came through', { type: 'enum', enumName: 'ActivityVia' }),
      remoteIp: serverSet('The address of the client that made the change (null for the command line)', { type: 'string', format: 'ipAddress', nullable: true }),
      objectType: text('The type of the record changed, e.g. x:Role (one of the ActivityObjectType names); a filter matches it whole'),
      objectId: text('The id of the record changed; a filter matches it whole'),
      action: serverSet('What was done to the record', { type: 'enum', enumName: 'ActivityAction' }),
      properties: serverSet('The properties that changed (every property with a value, for a created or deleted record)', {
        type: 'set',
        class: { type: 'string', format: 'string' },
      }),
      changes: serverSet(
        'Per changed property, JSON text: {"from": old, "to": new}; {"secret": true} for a secret, whose values are never recorded ' +
          `(beside from/to when a secret inside a value changed). A value longer than ${MAX_VALUE_CHARS} characters is cut, with "truncated": true.`,
        { type: 'map', keyClass: { type: 'string', format: 'string' }, valueClass: { type: 'string', format: 'text' } },
      ),
    },
  },
  enums: { ActivityVia: vias, ActivityAction: actions },
  // actorId, objectType and objectId lead the indexes activity/retention.ts adds (each followed by `at`).
  indexed: ['at', 'actorName', 'action'],
  // A record's history is asked for by its exact type and id.
  exactText: ['objectType', 'objectId'],
  clientVerbs: ['Get', 'Query'],
  form: {
    title: 'Activity',
    sections: [
      { title: 'Change', fields: labelled({ at: 'When', action: 'Action', objectType: 'Object type', objectId: 'Record', properties: 'Properties' }) },
      { title: 'Author', fields: labelled({ actorName: 'Who', actorId: 'Account', via: 'Via', remoteIp: 'From address' }) },
      // `changes` (JSON text per property) is shown readable beside the form by the console's activity panel.
    ],
  },
  list: {
    title: 'Activity log',
    subtitle: 'Every change made through the APIs, newest first',
    singularName: 'activity entry',
    pluralName: 'activity entries',
    labelProperty: 'at',
    columns: labelled({ at: 'When', actorName: 'Who', via: 'Via', action: 'Action', objectType: 'Object type', objectId: 'Record', properties: 'Properties', remoteIp: 'From address' }),
    filters: [
      { type: 'text', field: 'actorName', label: 'Who' },
      { type: 'objectId', field: 'actorId', label: 'Account', objectName: 'x:Account' },
      { type: 'enum', field: 'objectType', label: 'Object type', enumName: 'ActivityObjectType' },
      { type: 'text', field: 'objectId', label: 'Record' },
      { type: 'enum', field: 'action', label: 'Action', enumName: 'ActivityAction' },
      { type: 'enum', field: 'via', label: 'Via', enumName: 'ActivityVia' },
      { type: 'date', field: 'at', label: 'When' },
    ],
    sort: [{ property: 'at', isAscending: false }],
    itemActions: [{ type: 'view' }],
  },
};

export const activityLog: ObjectDef = {
  name: ACTIVITY_LOG,
  description: 'Postern extension: how long the activity log (x:Activity) keeps its entries. Older entries are removed every few minutes.',
  permissionPrefix: 'sysActivityLog',
  singleton: { defaults: { retention: DEFAULT_ACTIVITY_RETENTION_MS } },
  fields: {
    properties: {
      retention: {
        description: `How long an activity entry is kept (milliseconds): at least one hour, at most ${MAX_ACTIVITY_RETENTION_MS / DAY_MS} days; 90 days unless set`,
        type: { type: 'number', format: 'duration', min: MIN_ACTIVITY_RETENTION_MS, max: MAX_ACTIVITY_RETENTION_MS },
        update: 'mutable',
      },
    },
    defaults: { retention: DEFAULT_ACTIVITY_RETENTION_MS },
  },
  form: { title: 'Activity log', sections: [{ title: 'Retention', fields: labelled({ retention: 'Keep entries for' }) }] },
  list: { title: 'Activity log settings', subtitle: 'How long changes are kept', singularName: 'activity log setting', pluralName: 'activity log settings', columns: labelled({ retention: 'Retention' }) },
};
