// The page half of the stand-in's schema (schema.ts has the data half): forms, lists, the
// navigation and the dashboards, in the shapes a Stalwart 0.16 schema uses.

import type { Form, FormField, Layout, List } from '../../src/shared/schema/types';

const f = (name: string, label: string, extra: Omit<FormField, 'name' | 'label'> = {}): FormField => ({ name, label, ...extra });
const section = (title: string | undefined, ...fields: FormField[]) => (title ? { title, fields } : { fields });
/** A form of one `@type` field: pick a variant, then fill in that variant's own form. */
const typeSwitch = (title: string, label = 'Type'): Form => ({ title, sections: [section(undefined, f('@type', label))] });

export const FORMS: Record<string, Form> = {
  'x:Account': typeSwitch('Account'),
  'x:UserAccount': {
    title: 'User account',
    sections: [
      section('User account', f('name', 'Name', { placeholder: 'jane' }), f('domainId', 'Domain'), f('description', 'Full name')),
      section('Authentication', f('credentials', 'Credentials')),
      section('Groups & roles', f('memberGroupIds', 'Member of'), f('roles', 'Roles')),
      section('Quotas', f('quotas', 'Quotas', { keyLabel: 'Quota type', valueLabel: 'Maximum' })),
      section('Locale', f('locale', 'Locale')),
      section('Tenant', f('memberTenantId', 'Tenant')),
      section('Details', f('emailAddress', 'Email address'), f('createdAt', 'Created'), f('usedDiskQuota', 'Disk usage')),
    ],
  },
  'x:GroupAccount': {
    title: 'Group account',
    sections: [section('Group', f('name', 'Name'), f('domainId', 'Domain'), f('description', 'Description')), section('Roles', f('roles', 'Roles'))],
  },
  'x:PasswordCredential': { sections: [section(undefined, f('secret', 'Password'), f('otpAuth', 'Second factor (otpauth URL)'), f('expiresAt', 'Expires'))] },
  'x:SecondaryCredential': { sections: [section(undefined, f('description', 'Application'), f('secret', 'Password'), f('expiresAt', 'Expires'))] },
  'x:CustomRoles': { sections: [section(undefined, f('roleIds', 'Custom roles'))] },
  'x:Domain': { title: 'Domain', sections: [section(undefined, f('name', 'Domain name'), f('description', 'Description'))] },
  'x:Role': { title: 'Role', sections: [section(undefined, f('name', 'Name'), f('description', 'Description'), f('enabledPermissions', 'Permissions'))] },
  'x:Tenant': { title: 'Tenant', sections: [section(undefined, f('name', 'Name'), f('description', 'Description'))] },
  'x:Task': typeSwitch('Task'),
  'x:TaskAccountMaintenance': { sections: [section('Task', f('accountId', 'Account'), f('maintenanceType', 'Operation')), section('Progress', f('status', 'Status'), f('due', 'Due'))] },
  'x:TaskStoreMaintenance': { sections: [section('Task', f('maintenanceType', 'Operation'), f('shardIndex', 'Shard')), section('Progress', f('status', 'Status'), f('due', 'Due'))] },
  'x:Action': typeSwitch('Action', 'Action'),
  'x:SpamClassify': {
    sections: [
      section('Message', f('message', 'Message source'), f('remoteIp', 'Remote IP'), f('ehloDomain', 'EHLO name'), f('envFrom', 'Envelope sender'), f('envRcptTo', 'Envelope recipients'), f('isTls', 'Received over TLS')),
      section('Result', f('score', 'Score'), f('result', 'Verdict'), f('tags', 'Matched rules', { keyLabel: 'Rule', valueLabel: 'Effect' })),
    ],
  },
  'x:QueuedMessage': { title: 'Queued message', sections: [section(undefined, f('returnPath', 'Sender'), f('recipients', 'Recipients'), f('nextRetry', 'Next attempt'), f('priority', 'Priority'), f('size', 'Size'), f('createdAt', 'Queued'))] },
  'x:DataStore': typeSwitch('Data store'),
  'x:RocksDbStore': { sections: [section('RocksDB', f('path', 'Directory'), f('poolWorkers', 'Worker threads'))] },
  'x:SqliteStore': { sections: [section('SQLite', f('path', 'Database file'), f('poolMaxConnections', 'Maximum connections'))] },
  'x:PostgreSqlStore': {
    sections: [
      section('Server', f('host', 'Host'), f('port', 'Port'), f('database', 'Database'), f('useTls', 'Use TLS')),
      section('Authentication', f('authUsername', 'Username'), f('authSecret', 'Password')),
    ],
  },
  'x:BlobStore': typeSwitch('Blob store'),
  'x:FileSystemStore': { sections: [section('File system', f('path', 'Directory'), f('depth', 'Nesting depth'))] },
  'x:S3Store': {
    sections: [
      section('Bucket', f('bucket', 'Bucket'), f('region', 'Region'), f('endpoint', 'Endpoint'), f('keyPrefix', 'Key prefix')),
      section('Authentication', f('accessKey', 'Access key'), f('secretKey', 'Secret key')),
    ],
  },
  'x:SearchStore': typeSwitch('Search store'),
  'x:ElasticSearchStore': {
    sections: [section('Cluster', f('url', 'URL'), f('numShards', 'Shards')), section('Authentication', f('authUsername', 'Username'), f('authSecret', 'Password'))],
  },
  // x:MeilisearchStore has no form: its properties make one.
};

const account = (title: string, variant: string, singularName: string, pluralName: string): List => ({
  title,
  subtitle: `${pluralName[0].toUpperCase()}${pluralName.slice(1)} that sign in or receive mail here`,
  singularName,
  pluralName,
  labelProperty: 'emailAddress',
  filtersStatic: { '@type': variant },
  columns: [
    { name: 'emailAddress', label: 'Email address' },
    { name: 'description', label: variant === 'User' ? 'Full name' : 'Description' },
    { name: 'createdAt', label: 'Created' },
  ],
  filters: [
    { type: 'text', field: 'text', label: 'Search' },
    { type: 'objectId', field: 'domainId', label: 'Domain', objectName: 'x:Domain' },
  ],
  itemActions: [{ type: 'view' }, { type: 'query', label: 'Tasks', objectName: 'x:Task', fieldName: 'accountId' }, { type: 'separator' }, { type: 'delete' }],
  massActions: [{ type: 'delete' }],
});

const simple = (title: string, subtitle: string, singularName: string, pluralName: string, columns: [string, string][]): List => ({
  title,
  subtitle,
  singularName,
  pluralName,
  labelProperty: columns[0][0],
  columns: columns.map(([name, label]) => ({ name, label })),
  filters: [{ type: 'text', field: 'text', label: 'Search' }],
  itemActions: [{ type: 'view' }, { type: 'delete' }],
  massActions: [{ type: 'delete' }],
});

const tasks = (title: string, filtersStatic?: Record<string, unknown>): List => ({
  title,
  subtitle: 'Work the server runs in the background; finished tasks leave the list',
  singularName: 'task',
  pluralName: 'tasks',
  columns: [
    { name: '@type', label: 'Type' },
    { name: 'due', label: 'Due' },
    { name: 'status', label: 'Status' },
  ],
  filters: [
    { type: 'enum', field: '@type', label: 'Type', enumName: 'TaskType' },
    { type: 'enum', field: 'status', label: 'Status', enumName: 'TaskStatusType' },
  ],
  ...(filtersStatic ? { filtersStatic } : {}),
  sort: [{ property: 'due', isAscending: true }],
  itemActions: [{ type: 'view' }, { type: 'delete' }],
  massActions: [{ type: 'delete' }],
});

const RETRY_NOW = '2000-01-01T00:00:00Z';

export const LISTS: Record<string, List> = {
  'x:Account/User': account('Accounts', 'User', 'account', 'accounts'),
  'x:Account/Group': account('Groups', 'Group', 'group', 'groups'),
  'x:Domain': simple('Domains', 'Mail domains served here', 'domain', 'domains', [['name', 'Domain'], ['description', 'Description']]),
  'x:Role': simple('Roles', 'Bundles of permissions', 'role', 'roles', [['name', 'Name'], ['description', 'Description']]),
  'x:Tenant': simple('Tenants', 'Customers of a shared server', 'tenant', 'tenants', [['name', 'Name'], ['description', 'Description']]),
  'x:Task': tasks('Scheduled tasks'),
  'x:Task/TaskFailed': tasks('Failed tasks', { status: 'Failed' }),
  'x:QueuedMessage': {
    title: 'Queued messages',
    subtitle: 'Messages waiting for delivery',
    singularName: 'message',
    pluralName: 'messages',
    labelProperty: 'returnPath',
    columns: [
      { name: 'returnPath', label: 'Sender' },
      { name: 'nextRetry', label: 'Next attempt' },
      { name: 'createdAt', label: 'Queued' },
      { name: 'size', label: 'Size' },
    ],
    filters: [{ type: 'text', field: 'text', label: 'Search' }],
    itemActions: [
      { type: 'view' },
      { type: 'setProperty', label: 'Retry now', property: 'nextRetry', value: RETRY_NOW },
      { type: 'separator' },
      { type: 'delete' },
    ],
    massActions: [
      { type: 'setProperty', label: 'Retry all', property: 'nextRetry', value: RETRY_NOW },
      { type: 'delete' },
    ],
  },
};

const link = (name: string, viewName: string) => ({ type: 'link' as const, name, viewName });

export const LAYOUTS: Layout[] = [
  {
    name: 'Management',
    icon: 'monitor',
    items: [
      { link: { name: 'Dashboard', icon: 'layout-dashboard', viewName: 'CustomComponent/Dashboard' } },
      { container: { name: 'Directory', icon: 'users', items: [link('Accounts', 'x:Account/User'), link('Groups', 'x:Account/Group'), link('Domains', 'x:Domain'), link('Roles', 'x:Role'), link('Tenants', 'x:Tenant')] } },
      { container: { name: 'Emails', icon: 'send', items: [link('Queued', 'x:QueuedMessage')] } },
      { container: { name: 'Tasks', icon: 'list-checks', items: [link('Scheduled', 'x:Task'), link('Failed', 'x:Task/TaskFailed')] } },
      { link: { name: 'Actions', icon: 'zap', viewName: 'x:Action' } },
    ],
  },
  {
    name: 'Settings',
    icon: 'sliders-horizontal',
    items: [{ container: { name: 'Storage', icon: 'database', items: [link('Data Store', 'x:DataStore'), link('Blob Store', 'x:BlobStore'), link('Search Store', 'x:SearchStore')] } }],
  },
];

/** Cards and charts per dashboard tab; each names the server metrics it sums or averages. */
export const DASHBOARDS = [
  {
    id: 'overview',
    label: 'Overview',
    cards: [
      { title: 'Accounts', icon: 'users', source: 'live', metrics: ['user.count'], aggregate: 'avg', format: 'number', description: 'User accounts on this server.' },
      { title: 'Domains', icon: 'globe', source: 'live', metrics: ['domain.count'], aggregate: 'avg', format: 'number', description: 'Mail domains served here.' },
      { title: 'Waiting messages', icon: 'clock', source: 'live', metrics: ['queue.count'], aggregate: 'sum', format: 'number', description: 'Messages in the delivery queue.' },
      { title: 'Received', icon: 'inbox', source: 'history', metrics: ['queue.message-queued'], aggregate: 'sum', format: 'number', sparkline: true, delta: true },
    ],
    charts: [{ title: 'Messages', kind: 'area', series: [{ label: 'received', metrics: ['queue.message-queued'], aggregate: 'sum' }] }],
  },
];
