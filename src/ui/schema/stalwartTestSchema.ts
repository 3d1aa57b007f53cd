// A small schema in the shape a Stalwart 0.16 server publishes, for tests of the
// conventions the console derives from a schema alone: type-switch forms (a form that is
// only `@type`), views over one variant of a union, unions nested in variant forms and in
// object lists, maps with enum keys, secrets, enterprise-only objects and fields, an
// action object (no list), a task object with a status union and server-made variants,
// list actions that set a property, and dashboards. Written for Postern; not Stalwart's text.

import type { FieldType, Form, Property, SchemaDocument } from '../../shared/schema/types';

const prop = (type: FieldType, update: Property['update'] = 'mutable', description = ''): Property => ({ description, type, update });
const str = (nullable = false): FieldType => ({ type: 'string', ...(nullable ? { nullable } : {}) });
const secret: FieldType = { type: 'string', format: 'secret' };
const typeSwitch: Form = { sections: [{ fields: [{ name: '@type', label: 'Type' }] }] };
const status: Property = prop({ type: 'object', objectName: 'x:TaskStatus' }, 'serverSet', 'Where the task stands');
const due: Property = prop({ type: 'utcDateTime' }, 'serverSet', 'When it runs next');

export const stalwartTestSchema: SchemaDocument = {
  objects: {
    'x:Account': { type: 'object', description: 'Users and groups', permissionPrefix: 'sysAccount' },
    'x:Account/User': { type: 'view', objectName: 'x:Account' },
    'x:Account/Group': { type: 'view', objectName: 'x:Account' },
    'x:Domain': { type: 'object', permissionPrefix: 'sysDomain' },
    'x:Role': { type: 'object', permissionPrefix: 'sysRole' },
    'x:Tenant': { type: 'object', description: 'Tenants share one server', permissionPrefix: 'sysTenant', enterprise: true },
    'x:DataStore': { type: 'singleton', description: 'Where the server keeps its data', permissionPrefix: 'sysDataStore' },
    'x:BlobStore': { type: 'singleton', description: 'Where messages and files go', permissionPrefix: 'sysBlobStore' },
    'x:Task': { type: 'object', description: 'Background work', permissionPrefix: 'sysTask' },
    'x:Action': { type: 'object', description: 'Commands the server runs at once', permissionPrefix: 'sysAction' },
    'x:QueuedMessage': { type: 'object', description: 'Messages waiting for delivery', permissionPrefix: 'sysQueuedMessage' },
  },
  schemas: {
    'x:Account': { type: 'multiple', variants: [{ name: 'User', label: 'User account', schemaName: 'x:UserAccount' }, { name: 'Group', label: 'Group account', schemaName: 'x:GroupAccount' }] },
    'x:Credential': {
      type: 'multiple',
      variants: [
        { name: 'Password', label: 'Password', schemaName: 'x:PasswordCredential' },
        { name: 'AppPassword', label: 'App password', schemaName: 'x:SecondaryCredential' },
        { name: 'ApiKey', label: 'API key', schemaName: 'x:SecondaryCredential' },
      ],
    },
    'x:UserRoles': { type: 'multiple', variants: [{ name: 'User', label: 'Plain user' }, { name: 'Admin', label: 'Administrator' }, { name: 'Custom', label: 'These roles', schemaName: 'x:CustomRoles' }] },
    'x:Domain': { type: 'single', schemaName: 'x:Domain' },
    'x:Role': { type: 'single', schemaName: 'x:Role' },
    'x:Tenant': { type: 'single', schemaName: 'x:Tenant' },
    'x:DataStore': { type: 'multiple', variants: [{ name: 'RocksDb', label: 'RocksDB', schemaName: 'x:RocksDbStore' }, { name: 'PostgreSql', label: 'PostgreSQL', schemaName: 'x:PostgreSqlStore' }] },
    'x:BlobStore': { type: 'multiple', variants: [{ name: 'Default', label: 'In the data store' }, { name: 'S3', label: 'S3 bucket', schemaName: 'x:S3Store' }, { name: 'FileSystem', label: 'File system', schemaName: 'x:FileSystemStore' }] },
    'x:Task': {
      type: 'multiple',
      variants: [
        { name: 'AccountMaintenance', label: 'Account maintenance', schemaName: 'x:TaskAccountMaintenance' },
        { name: 'StoreMaintenance', label: 'Store maintenance', schemaName: 'x:TaskStoreMaintenance' },
        { name: 'DestroyAccount', label: 'Account removal', schemaName: 'x:TaskDestroyAccount' },
      ],
    },
    'x:TaskStatus': { type: 'multiple', variants: [{ name: 'Pending', label: 'Pending', schemaName: 'x:TaskPending' }, { name: 'Failed', label: 'Failed', schemaName: 'x:TaskFailed' }] },
    'x:Action': { type: 'multiple', variants: [{ name: 'ReloadSettings', label: 'Reload settings' }, { name: 'TroubleshootDmarc', label: 'Troubleshoot DMARC', schemaName: 'x:TroubleshootDmarc' }] },
    'x:AuthResult': { type: 'multiple', variants: [{ name: 'Pass', label: 'Pass' }, { name: 'Fail', label: 'Fail', schemaName: 'x:AuthResultDetails' }] },
    'x:QueuedMessage': { type: 'single', schemaName: 'x:QueuedMessage' },
    'x:TagScore': { type: 'single', schemaName: 'x:TagScore' },
  },
  fields: {
    'x:UserAccount': {
      properties: {
        name: prop(str(), 'immutable', 'Local part of the address'),
        domainId: prop({ type: 'objectId', objectName: 'x:Domain' }, 'immutable', 'Domain of the address'),
        emailAddress: prop({ type: 'string', format: 'emailAddress' }, 'serverSet', 'Full address'),
        description: prop(str(true), 'mutable', 'Full name'),
        credentials: prop({ type: 'objectList', objectName: 'x:Credential' }, 'mutable', 'How the user signs in'),
        roles: prop({ type: 'object', objectName: 'x:UserRoles' }, 'mutable', 'What the user may do'),
        quotas: prop({ type: 'map', keyClass: { type: 'enum', enumName: 'StorageQuota' }, valueClass: { type: 'number', format: 'unsignedInteger' } }, 'mutable', 'Limits'),
        usedDiskQuota: prop({ type: 'number', format: 'size' }, 'serverSet', 'Space used'),
        memberTenantId: { ...prop({ type: 'objectId', objectName: 'x:Tenant', nullable: true }, 'mutable', 'Tenant'), enterprise: true },
        createdAt: prop({ type: 'utcDateTime' }, 'serverSet', 'Created'),
      },
    },
    'x:GroupAccount': { properties: { name: prop(str(), 'immutable', 'Group name'), description: prop(str(true), 'mutable', 'What the group is for') } },
    'x:PasswordCredential': {
      properties: {
        secret: prop(secret, 'mutable', 'The password'),
        otpAuth: prop({ type: 'string', format: 'secret', nullable: true }, 'mutable', 'One-time code seed (otpauth URL)'),
        expiresAt: prop({ type: 'utcDateTime', nullable: true }, 'mutable', 'Expires'),
        credentialId: prop(str(), 'serverSet', 'Credential id'),
      },
    },
    'x:SecondaryCredential': {
      properties: {
        description: prop(str(), 'mutable', 'What it is for'),
        secret: prop(secret, 'mutable', 'The secret'),
        credentialId: prop(str(), 'serverSet', 'Credential id'),
      },
    },
    'x:CustomRoles': { properties: { roleIds: prop({ type: 'set', class: { type: 'objectId', objectName: 'x:Role' } }, 'mutable', 'Roles') } },
    'x:Domain': { properties: { name: prop(str(), 'immutable', 'Domain name') } },
    'x:Role': { properties: { description: prop(str(), 'mutable', 'Role') } },
    'x:Tenant': { properties: { name: prop(str(), 'immutable', 'Tenant name') } },
    'x:RocksDbStore': { properties: { path: prop(str(), 'mutable', 'Directory') } },
    'x:PostgreSqlStore': {
      properties: {
        host: prop(str(), 'mutable', 'Server host'),
        port: prop({ type: 'number', format: 'unsignedInteger', max: 65535 }, 'mutable', 'Server port'),
        password: prop({ type: 'string', format: 'secret', nullable: true }, 'mutable', 'Password'),
        poolSize: { ...prop({ type: 'number', format: 'unsignedInteger' }, 'mutable', 'Connections kept open'), enterprise: true },
      },
      defaults: { port: 5432, poolSize: 10 },
    },
    'x:S3Store': { properties: { bucket: prop(str(), 'mutable', 'Bucket'), secretKey: prop({ type: 'string', format: 'secret', nullable: true }, 'mutable', 'Secret key') } },
    'x:FileSystemStore': { properties: { path: prop(str(), 'mutable', 'Directory') } },
    'x:TaskAccountMaintenance': {
      properties: {
        accountId: prop({ type: 'objectId', objectName: 'x:Account' }, 'immutable', 'Account'),
        maintenanceType: prop({ type: 'enum', enumName: 'AccountMaintenanceType' }, 'immutable', 'What to do'),
        status, due,
      },
    },
    'x:TaskStoreMaintenance': { properties: { maintenanceType: prop({ type: 'enum', enumName: 'StoreMaintenanceType' }, 'immutable', 'What to do'), status, due } },
    'x:TaskDestroyAccount': {
      properties: { accountId: prop(str(), 'serverSet', 'Account'), accountName: prop(str(), 'serverSet', 'Account name'), status, due },
    },
    'x:TaskPending': { properties: { createdAt: prop({ type: 'utcDateTime' }, 'serverSet', 'Created') } },
    'x:TaskFailed': { properties: { failedAt: prop({ type: 'utcDateTime' }, 'serverSet', 'Failed at'), failureReason: prop(str(), 'serverSet', 'Why') } },
    'x:TroubleshootDmarc': {
      properties: {
        remoteIp: prop({ type: 'string', format: 'ipAddress' }, 'mutable', 'Sending IP'),
        mailFrom: prop({ type: 'string', format: 'emailAddress' }, 'mutable', 'Envelope sender'),
        dmarcResult: prop({ type: 'object', objectName: 'x:AuthResult' }, 'serverSet', 'DMARC verdict'),
        dmarcPolicy: prop({ type: 'enum', enumName: 'DmarcPolicy' }, 'serverSet', 'Policy applied'),
        elapsed: prop({ type: 'number', format: 'duration' }, 'serverSet', 'Time taken'),
        tags: prop({ type: 'map', keyClass: { type: 'string' }, valueClass: { type: 'object', objectName: 'x:TagScore' } }, 'serverSet', 'Rules that matched'),
      },
    },
    'x:TagScore': { properties: { score: prop({ type: 'number', format: 'float' }, 'serverSet', 'Score') } },
    'x:AuthResultDetails': { properties: { details: prop(str(true), 'serverSet', 'Details') } },
    'x:QueuedMessage': {
      properties: {
        returnPath: prop(str(), 'serverSet', 'Sender'),
        nextRetry: prop({ type: 'utcDateTime', nullable: true }, 'mutable', 'Next attempt'),
        size: prop({ type: 'number', format: 'size' }, 'serverSet', 'Size'),
      },
    },
  },
  forms: {
    'x:Account': typeSwitch,
    'x:UserAccount': {
      title: 'User account',
      sections: [
        { title: 'Account', fields: [{ name: 'name', label: 'Login' }, { name: 'domainId', label: 'Domain' }, { name: 'description', label: 'Full name' }] },
        { title: 'Authentication', fields: [{ name: 'credentials', label: 'Credentials' }] },
        { title: 'Access', fields: [{ name: 'roles', label: 'Roles' }, { name: 'memberTenantId', label: 'Tenant' }] },
        { title: 'Quotas', fields: [{ name: 'quotas', label: 'Quotas', keyLabel: 'Quota type', valueLabel: 'Maximum' }] },
        { title: 'Details', fields: [{ name: 'emailAddress', label: 'Address' }, { name: 'usedDiskQuota', label: 'Disk usage' }, { name: 'createdAt', label: 'Created' }] },
      ],
    },
    'x:DataStore': typeSwitch,
    'x:PostgreSqlStore': { sections: [{ title: 'Connection', fields: [{ name: 'host', label: 'Host' }, { name: 'port', label: 'Port' }, { name: 'password', label: 'Password' }, { name: 'poolSize', label: 'Pool size' }] }] },
    'x:BlobStore': typeSwitch,
    'x:Task': typeSwitch,
    'x:Action': typeSwitch,
  },
  lists: {
    'x:Account/User': {
      title: 'Accounts', subtitle: 'People who sign in', singularName: 'account', pluralName: 'accounts', labelProperty: 'name',
      columns: [{ name: 'emailAddress', label: 'Address' }, { name: 'description', label: 'Full name' }],
      filtersStatic: { '@type': 'User' }, itemActions: [{ type: 'view' }, { type: 'delete' }],
    },
    'x:Account/Group': {
      title: 'Groups', subtitle: '', singularName: 'group', pluralName: 'groups', labelProperty: 'name',
      columns: [{ name: 'name', label: 'Name' }], filtersStatic: { '@type': 'Group' },
    },
    'x:Domain': { title: 'Domains', subtitle: '', singularName: 'domain', pluralName: 'domains', columns: [{ name: 'name', label: 'Name' }] },
    'x:Role': { title: 'Roles', subtitle: '', singularName: 'role', pluralName: 'roles', columns: [{ name: 'description', label: 'Role' }] },
    'x:Tenant': { title: 'Tenants', subtitle: '', singularName: 'tenant', pluralName: 'tenants', columns: [{ name: 'name', label: 'Name' }] },
    'x:Task': {
      title: 'Tasks', subtitle: 'Work waiting to run', singularName: 'task', pluralName: 'tasks',
      columns: [{ name: '@type', label: 'Task' }, { name: 'status', label: 'Status' }, { name: 'due', label: 'Due' }],
      itemActions: [{ type: 'view' }, { type: 'delete', label: 'Cancel' }],
    },
    'x:QueuedMessage': {
      title: 'Queue', subtitle: '', singularName: 'message', pluralName: 'messages', labelProperty: 'returnPath',
      columns: [{ name: 'returnPath', label: 'Sender' }, { name: 'nextRetry', label: 'Next attempt' }],
      itemActions: [
        { type: 'view' },
        { type: 'setProperty', label: 'Retry now', property: 'nextRetry', value: '2000-01-01T00:00:00Z' },
        { type: 'separator' },
        { type: 'delete', label: 'Cancel delivery' },
      ],
      massActions: [{ type: 'setProperty', label: 'Retry all', property: 'nextRetry', value: '2000-01-01T00:00:00Z' }, { type: 'delete', label: 'Cancel delivery' }],
    },
  },
  enums: {
    StorageQuota: [{ name: 'maxEmails', label: 'Messages' }, { name: 'maxDiskQuota', label: 'Disk space' }],
    AccountMaintenanceType: [{ name: 'reindex', label: 'Rebuild the search index' }, { name: 'recalculateQuota', label: 'Recount the quota' }],
    StoreMaintenanceType: [{ name: 'purgeData', label: 'Purge deleted data' }],
    DmarcPolicy: [{ name: 'none', label: 'None' }, { name: 'reject', label: 'Reject' }],
    MetricName: [{ name: 'user.count', label: 'Number of users' }, { name: 'queue.count', label: 'Messages in the queue' }],
  },
  layouts: [
    {
      name: 'Management', icon: 'm',
      items: [
        { container: { name: 'Directory', icon: 'd', items: [
          { type: 'link', name: 'Accounts', viewName: 'x:Account/User' },
          { type: 'link', name: 'Groups', viewName: 'x:Account/Group' },
          { type: 'link', name: 'Domains', viewName: 'x:Domain' },
          { type: 'link', name: 'Roles', viewName: 'x:Role' },
          { type: 'link', name: 'Tenants', viewName: 'x:Tenant' },
        ] } },
        { link: { name: 'Tasks', icon: 't', viewName: 'x:Task' } },
        { link: { name: 'Queue', icon: 'q', viewName: 'x:QueuedMessage' } },
        { link: { name: 'Actions', icon: 'a', viewName: 'x:Action' } },
      ],
    },
    {
      name: 'Settings', icon: 's',
      items: [{ container: { name: 'Storage', icon: 'db', items: [
        { type: 'link', name: 'Data store', viewName: 'x:DataStore' },
        { type: 'link', name: 'Blob store', viewName: 'x:BlobStore' },
      ] } }],
    },
  ],
  dashboards: [
    {
      id: 'overview', label: 'Overview',
      cards: [
        { title: 'Users', icon: 'users', source: 'live', metrics: ['user.count'], aggregate: 'avg', format: 'number', description: 'Accounts on the server.' },
        { title: 'Waiting', icon: 'clock', source: 'history', metrics: ['queue.count'], aggregate: 'sum', format: 'number' },
      ],
      charts: [{ title: 'Queue', kind: 'line', series: [{ label: 'messages', metrics: ['queue.count'], aggregate: 'avg' }] }],
    },
  ],
};
