// A schema document with Postern's x:Task shape (a union per kind, status a union, the
// manager's dates and progress on every variant), for the Tasks page's unit tests only.

import type { FieldsEntry, Property, SchemaDocument } from '../../../shared/schema/types';

const p = (type: Property['type'], update: Property['update'], description: string): Property => ({ type, update, description });
const when = (d: string) => p({ type: 'utcDateTime', nullable: true }, 'serverSet', d);
const count = (d: string) => p({ type: 'number', format: 'unsignedInteger' }, 'serverSet', d);

const common: FieldsEntry['properties'] = {
  status: p({ type: 'object', objectName: 'x:TaskStatus' }, 'mutable', 'Where the task stands'),
  submittedAt: when('Postern extension: when the task was created'),
  startedAt: when('Postern extension: when the task started running'),
  completedAt: when('Postern extension: when the task finished successfully'),
  failedAt: when('Postern extension: when the task failed'),
  cancelledAt: when('Postern extension: when the task was cancelled'),
  progress: p({ type: 'object', objectName: 'x:TaskProgress', nullable: true }, 'serverSet', 'How far the task got'),
  failureReason: p({ type: 'string', format: 'text', nullable: true }, 'serverSet', 'Why the task failed'),
};

const results = {
  successfullyReprocessMailCount: count('Mails indexed'),
  failedReprocessedMailCount: count('Mails that could not be indexed'),
};

const STATUSES = [
  ['Pending', 'Waiting', 'gray'], ['Running', 'In progress', 'blue'], ['CancelRequested', 'Cancel requested', 'orange'],
  ['Completed', 'Completed', 'green'], ['Cancelled', 'Cancelled', 'gray'], ['Failed', 'Failed', 'red'],
] as const;

export const taskSchema: SchemaDocument = {
  objects: {
    'x:Task': { type: 'object', description: 'Background work', permissionPrefix: 'sysTask' },
    'x:Account': { type: 'object', permissionPrefix: 'sysAccount' },
    'x:Account/User': { type: 'view', objectName: 'x:Account' },
  },
  schemas: {
    'x:Task': {
      type: 'multiple',
      variants: [
        { name: 'FullReIndexing', label: 'Re-index every mail', schemaName: 'x:TaskFullReIndexing' },
        { name: 'ReIndexUser', label: 'Re-index one user', schemaName: 'x:TaskReIndexUser' },
      ],
    },
    'x:TaskStatus': { type: 'multiple', variants: STATUSES.map(([name, label]) => ({ name, label, schemaName: `x:TaskStatus${name}` })) },
    'x:TaskProgress': { type: 'single', schemaName: 'x:TaskProgress' },
    'x:Account': { type: 'multiple', variants: [{ name: 'User', label: 'User', schemaName: 'x:UserAccount' }, { name: 'Group', label: 'Group', schemaName: 'x:GroupAccount' }] },
  },
  fields: {
    'x:TaskFullReIndexing': { properties: { ...results, ...common } },
    'x:TaskReIndexUser': {
      properties: { accountId: p({ type: 'objectId', objectName: 'x:Account' }, 'immutable', 'The account to re-index'), ...results, ...common },
    },
    'x:TaskProgress': { properties: { initialCount: count('To do'), processedCount: count('Done'), failedCount: count('Failed'), remainingCount: count('Left') } },
    'x:UserAccount': { properties: { name: p({ type: 'string' }, 'mutable', 'Name') } },
    'x:GroupAccount': { properties: { name: p({ type: 'string' }, 'mutable', 'Name') } },
  },
  forms: {
    'x:TaskReIndexUser': { title: 'Re-index one user', sections: [{ title: 'Task', fields: [{ name: 'accountId', label: 'Account' }, { name: 'successfullyReprocessMailCount', label: 'Mails indexed' }] }] },
  },
  lists: {
    'x:Task': {
      title: 'Tasks', subtitle: 'Background work, newest first', singularName: 'task', pluralName: 'tasks',
      columns: [
        { name: '@type', label: 'Type' }, { name: 'status', label: 'Status' }, { name: 'progress', label: 'Progress' },
        { name: 'submittedAt', label: 'Submitted' }, { name: 'startedAt', label: 'Started' }, { name: 'failureReason', label: 'Failure reason' },
      ],
      filters: [
        { type: 'enum', field: 'status', label: 'Status', enumName: 'TaskStatusType' },
        { type: 'enum', field: '@type', label: 'Type', enumName: 'TaskType' },
      ],
      sort: [{ property: 'submittedAt', isAscending: false }],
    },
    'x:Account/User': { title: 'Users', subtitle: '', singularName: 'user', pluralName: 'users', labelProperty: 'name', columns: [{ name: 'name', label: 'Name' }], filtersStatic: { '@type': 'User' } },
  },
  enums: {
    TaskStatusType: STATUSES.map(([name, label, color]) => ({ name, label, color })),
    TaskType: [{ name: 'FullReIndexing', label: 'Re-index every mail' }, { name: 'ReIndexUser', label: 'Re-index one user' }],
  },
  layouts: [
    {
      name: 'Management',
      icon: 'users',
      items: [
        { container: { name: 'Directory', icon: 'folder', items: [{ type: 'link', name: 'Users', viewName: 'x:Account/User' }] } },
        { link: { name: 'Tasks', icon: 'list-checks', viewName: 'CustomComponent/Tasks' } },
      ],
    },
  ],
};
