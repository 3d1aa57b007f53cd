// A Stalwart-shaped schema for the stand-in (design/schema-format.md), written here in our
// own words. It is small, but it uses each convention a real Stalwart 0.16 schema uses and
// the console must follow from the schema alone: an account union seen through two views,
// credentials as an object list of a union, roles as a nested union, quotas as a map with
// enum keys, secrets, an enterprise-only field and object, tasks and actions as unions,
// three union-typed singletons whose forms are a single `@type` field, a list with
// setProperty actions and a separator, and dashboards.

import type { FieldType, FieldsEntry, Property, SchemaDocument, SchemaEntry, UpdateMode } from '../../src/shared/schema/types';
import { DASHBOARDS, FORMS, LAYOUTS, LISTS } from './schemaPages';

const p = (description: string, type: FieldType, update: UpdateMode = 'mutable', enterprise?: boolean): Property =>
  enterprise ? { description, type, update, enterprise } : { description, type, update };
const text = (format: 'string' | 'text' | 'emailAddress' | 'uri' | 'ipAddress' | 'secret' = 'string', nullable = false): FieldType => ({ type: 'string', format, ...(nullable ? { nullable } : {}) });
const num = (format: 'integer' | 'unsignedInteger' | 'float' | 'size' | 'duration', extra: { min?: number; max?: number; nullable?: boolean } = {}): FieldType => ({ type: 'number', format, ...extra });
const when = (nullable = false): FieldType => ({ type: 'utcDateTime', ...(nullable ? { nullable } : {}) });
const oneOf = (enumName: string): FieldType => ({ type: 'enum', enumName });
const ref = (objectName: string, nullable = false): FieldType => ({ type: 'objectId', objectName, ...(nullable ? { nullable } : {}) });
const obj = (objectName: string): FieldType => ({ type: 'object', objectName });
const setOf = (cls: FieldType, minItems?: number): FieldType => ({ type: 'set', class: cls, ...(minItems ? { minItems } : {}) });
const single = (schemaName: string): SchemaEntry => ({ type: 'single', schemaName });
const union = (...variants: [name: string, label: string, schemaName?: string][]): SchemaEntry => ({
  type: 'multiple',
  variants: variants.map(([name, label, schemaName]) => (schemaName ? { name, label, schemaName } : { name, label })),
});
const fields = (properties: Record<string, Property>, defaults?: Record<string, unknown>): FieldsEntry => (defaults ? { properties, defaults } : { properties });

const status = p('Where the task stands: waiting, retrying after a failure, or failed for good', obj('x:TaskStatus'), 'serverSet');
const due = p('When the task is due to run next', when(), 'serverSet');
const enumOf = (...values: [name: string, label: string][]) => values.map(([name, label]) => ({ name, label }));

const PERMISSION_PREFIXES = ['sysAccount', 'sysDomain', 'sysRole', 'sysTenant', 'sysTask', 'sysAction', 'sysQueuedMessage', 'sysDataStore', 'sysBlobStore', 'sysSearchStore'];
const VERBS = ['Get', 'Create', 'Update', 'Destroy', 'Query'];
const ACTION_VARIANTS = ['ReloadSettings', 'InvalidateCaches', 'PauseMtaQueue', 'ResumeMtaQueue', 'ClassifySpam'];
const TASK_VARIANTS = ['AccountMaintenance', 'StoreMaintenance', 'DestroyAccount'];
/** Every permission the stand-in knows: per object and verb, plus one per action and task variant. */
export const PERMISSIONS = [
  ...PERMISSION_PREFIXES.flatMap((prefix) => VERBS.map((v) => `${prefix}${v}`)),
  ...ACTION_VARIANTS.map((v) => `action${v}`),
  ...TASK_VARIANTS.map((v) => `task${v}`),
];

export const SCHEMA: SchemaDocument = {
  objects: {
    'x:Account': { type: 'object', description: 'A person or a group that can sign in or receive mail.', permissionPrefix: 'sysAccount' },
    'x:Account/User': { type: 'view', objectName: 'x:Account' },
    'x:Account/Group': { type: 'view', objectName: 'x:Account' },
    'x:Domain': { type: 'object', description: 'A mail domain served here.', permissionPrefix: 'sysDomain' },
    'x:Role': { type: 'object', description: 'A named bundle of permissions given to accounts.', permissionPrefix: 'sysRole' },
    'x:Tenant': { type: 'object', description: 'An isolated customer of a shared server.', permissionPrefix: 'sysTenant', enterprise: true },
    'x:Task': { type: 'object', description: 'Work queued to run in the background.', permissionPrefix: 'sysTask' },
    'x:Task/TaskFailed': { type: 'view', objectName: 'x:Task' },
    'x:Action': { type: 'object', description: 'A command the server runs at once and answers.', permissionPrefix: 'sysAction' },
    'x:QueuedMessage': { type: 'object', description: 'A message waiting for delivery.', permissionPrefix: 'sysQueuedMessage' },
    'x:DataStore': { type: 'singleton', description: 'Where records and metadata are kept.', permissionPrefix: 'sysDataStore' },
    'x:BlobStore': { type: 'singleton', description: 'Where message bodies and attachments are kept.', permissionPrefix: 'sysBlobStore' },
    'x:SearchStore': { type: 'singleton', description: 'Which engine indexes mail for full-text search.', permissionPrefix: 'sysSearchStore' },
  },
  schemas: {
    'x:Account': union(['User', 'User account', 'x:UserAccount'], ['Group', 'Group account', 'x:GroupAccount']),
    'x:Credential': union(['Password', 'Sign-in password', 'x:PasswordCredential'], ['AppPassword', 'Password for one application', 'x:SecondaryCredential']),
    'x:UserRoles': union(['User', 'Ordinary user'], ['Admin', 'Administrator'], ['Custom', 'Chosen roles', 'x:CustomRoles']),
    'x:Domain': single('x:Domain'),
    'x:Role': single('x:Role'),
    'x:Tenant': single('x:Tenant'),
    'x:Task': union(
      ['AccountMaintenance', 'Maintain one account', 'x:TaskAccountMaintenance'],
      ['StoreMaintenance', 'Maintain the store', 'x:TaskStoreMaintenance'],
      ['DestroyAccount', 'Remove a deleted account', 'x:TaskDestroyAccount'],
    ),
    'x:TaskStatus': union(['Pending', 'Waiting', 'x:TaskStatusPending'], ['Retry', 'Retrying', 'x:TaskStatusRetry'], ['Failed', 'Failed', 'x:TaskStatusFailed']),
    'x:Action': union(
      ['ReloadSettings', 'Reload the settings'],
      ['InvalidateCaches', 'Empty every cache'],
      ['PauseMtaQueue', 'Pause outbound delivery'],
      ['ResumeMtaQueue', 'Resume outbound delivery'],
      ['ClassifySpam', 'Score a message with the spam filter', 'x:SpamClassify'],
    ),
    'x:SpamTagResult': single('x:SpamTagResult'),
    'x:QueuedMessage': single('x:QueuedMessage'),
    'x:DataStore': union(['RocksDb', 'RocksDB', 'x:RocksDbStore'], ['Sqlite', 'SQLite', 'x:SqliteStore'], ['PostgreSql', 'PostgreSQL', 'x:PostgreSqlStore']),
    'x:BlobStore': union(['Default', 'Inside the data store'], ['FileSystem', 'Files on disk', 'x:FileSystemStore'], ['S3', 'S3-compatible bucket', 'x:S3Store']),
    'x:SearchStore': union(['Default', 'Inside the data store'], ['ElasticSearch', 'Elasticsearch', 'x:ElasticSearchStore'], ['Meilisearch', 'Meilisearch', 'x:MeilisearchStore']),
  },
  fields: {
    'x:UserAccount': fields(
      {
        name: p('Local part of the address, also the sign-in name', text()),
        domainId: p('Domain of the address', ref('x:Domain')),
        emailAddress: p('Full address, name@domain', text('emailAddress'), 'serverSet'),
        description: p('Full name of the person', text('string', true)),
        credentials: p('Ways to sign in', { type: 'objectList', objectName: 'x:Credential' }),
        memberGroupIds: p('Groups this account belongs to', setOf(ref('x:Account/Group'))),
        roles: p('What the account may do', obj('x:UserRoles')),
        quotas: p('Limits per kind of item; a missing kind has no limit', { type: 'map', keyClass: oneOf('StorageQuota'), valueClass: num('unsignedInteger') }),
        usedDiskQuota: p('Disk space in use', num('size'), 'serverSet'),
        locale: p('Language and region for messages the server writes', text()),
        memberTenantId: p('Tenant this account belongs to', ref('x:Tenant', true), 'mutable', true),
        createdAt: p('When the account was made', when(), 'serverSet'),
      },
      { credentials: {}, memberGroupIds: {}, roles: { '@type': 'User' }, quotas: {}, locale: 'en_US', memberTenantId: null, description: null },
    ),
    'x:GroupAccount': fields(
      {
        name: p('Local part of the group address', text()),
        domainId: p('Domain of the address', ref('x:Domain')),
        emailAddress: p('Full address, name@domain', text('emailAddress'), 'serverSet'),
        description: p('What the group is for', text('string', true)),
        roles: p('What members may do through the group', obj('x:UserRoles')),
        createdAt: p('When the group was made', when(), 'serverSet'),
      },
      { roles: { '@type': 'User' }, description: null },
    ),
    'x:PasswordCredential': fields(
      {
        secret: p('The password; stored hashed and never shown again', text('secret')),
        otpAuth: p('otpauth:// URL of a second factor', text('secret', true)),
        expiresAt: p('When the password stops working', when(true)),
        credentialId: p('Server-given identifier of this credential', text(), 'serverSet'),
      },
      { otpAuth: null, expiresAt: null },
    ),
    'x:SecondaryCredential': fields(
      {
        description: p('Which application uses it', text()),
        secret: p('The password; stored hashed and never shown again', text('secret')),
        expiresAt: p('When it stops working', when(true)),
        credentialId: p('Server-given identifier of this credential', text(), 'serverSet'),
      },
      { expiresAt: null },
    ),
    'x:CustomRoles': fields({ roleIds: p('Roles given', setOf(ref('x:Role'), 1)) }),
    'x:Domain': fields({ name: p('Domain name', text(), 'immutable'), description: p('Notes', text('string', true)) }, { description: null }),
    'x:Role': fields(
      { name: p('Name of the role', text()), description: p('What the role is for', text('string', true)), enabledPermissions: p('Permissions it grants', setOf(oneOf('Permission'))) },
      { description: null, enabledPermissions: {} },
    ),
    'x:Tenant': fields({ name: p('Name of the tenant', text()), description: p('Notes', text('string', true)) }, { description: null }),
    'x:TaskAccountMaintenance': fields({
      accountId: p('Account to work on', ref('x:Account/User'), 'immutable'),
      maintenanceType: p('What to do', oneOf('TaskAccountMaintenanceType'), 'immutable'),
      status,
      due,
    }),
    'x:TaskStoreMaintenance': fields(
      {
        maintenanceType: p('What to do', oneOf('TaskStoreMaintenanceType'), 'immutable'),
        shardIndex: p('Only this shard of the store', num('unsignedInteger', { nullable: true }), 'immutable'),
        status,
        due,
      },
      { shardIndex: null },
    ),
    'x:TaskDestroyAccount': fields({
      accountId: p('Account being removed', ref('x:Account', true), 'serverSet'),
      accountName: p('Its name', text(), 'serverSet'),
      accountType: p('User or group', oneOf('AccountType'), 'serverSet'),
      status,
      due,
    }),
    'x:TaskStatusPending': fields({ createdAt: p('Queued at', when(), 'serverSet'), due: p('Runs at', when(), 'serverSet') }),
    'x:TaskStatusRetry': fields({
      createdAt: p('Queued at', when(), 'serverSet'),
      due: p('Next attempt at', when(), 'serverSet'),
      attemptNumber: p('Attempts so far', num('unsignedInteger'), 'serverSet'),
      failureReason: p('Why the last attempt failed', text(), 'serverSet'),
    }),
    'x:TaskStatusFailed': fields({
      createdAt: p('Queued at', when(), 'serverSet'),
      failedAt: p('Gave up at', when(), 'serverSet'),
      failedAttemptNumber: p('Attempts made', num('unsignedInteger'), 'serverSet'),
      failureReason: p('Why it failed', text(), 'serverSet'),
    }),
    'x:SpamClassify': fields(
      {
        message: p('The message, headers and body', text('text')),
        remoteIp: p('Address it came from', text('ipAddress')),
        ehloDomain: p('Name the sender gave in EHLO', text()),
        envFrom: p('Envelope sender', text('emailAddress')),
        envRcptTo: p('Envelope recipients', setOf(text('emailAddress'), 1)),
        isTls: p('Whether it came over TLS', { type: 'boolean' }),
        score: p('Spam score', num('float'), 'serverSet'),
        result: p('Verdict', oneOf('SpamClassifyResult'), 'serverSet'),
        tags: p('Rules that matched, with their scores', { type: 'map', keyClass: text(), valueClass: obj('x:SpamTagResult') }, 'serverSet'),
      },
      { isTls: true },
    ),
    'x:SpamTagResult': fields({ disposition: p('What the rule does', text(), 'serverSet'), score: p('Score it adds', num('float'), 'serverSet') }),
    'x:QueuedMessage': fields({
      returnPath: p('Envelope sender', text('emailAddress'), 'serverSet'),
      recipients: p('Envelope recipients', setOf(text('emailAddress')), 'serverSet'),
      nextRetry: p('Next delivery attempt', when(true)),
      priority: p('Higher goes first', num('integer', { min: -100, max: 100 })),
      size: p('Size of the message', num('size'), 'serverSet'),
      createdAt: p('Queued at', when(), 'serverSet'),
    }),
    'x:RocksDbStore': fields({ path: p('Directory of the database', text()), poolWorkers: p('Worker threads', num('unsignedInteger', { min: 1, max: 64, nullable: true })) }, { poolWorkers: null }),
    'x:SqliteStore': fields({ path: p('Database file', text()), poolMaxConnections: p('Most open connections', num('unsignedInteger', { min: 1, max: 1000 })) }, { poolMaxConnections: 10 }),
    'x:PostgreSqlStore': fields(
      {
        host: p('Server host name', text()),
        port: p('Server port', num('unsignedInteger', { min: 1, max: 65535 })),
        database: p('Database name', text()),
        authUsername: p('User to connect as', text('string', true)),
        authSecret: p('Password to connect with', text('secret', true)),
        useTls: p('Connect over TLS', { type: 'boolean' }),
      },
      { port: 5432, authUsername: null, authSecret: null, useTls: false },
    ),
    'x:FileSystemStore': fields({ path: p('Directory for the files', text()), depth: p('Levels of subdirectories', num('unsignedInteger', { min: 0, max: 5 })) }, { depth: 2 }),
    'x:S3Store': fields(
      {
        bucket: p('Bucket name', text()),
        region: p('Region of the bucket', text()),
        endpoint: p('Endpoint URL for non-AWS services', text('uri', true)),
        accessKey: p('Access key id', text('string', true)),
        secretKey: p('Secret access key', text('secret', true)),
        keyPrefix: p('Prefix of every object key', text('string', true)),
      },
      { endpoint: null, accessKey: null, secretKey: null, keyPrefix: null },
    ),
    'x:ElasticSearchStore': fields(
      {
        url: p('Cluster URL', text('uri')),
        authUsername: p('User to connect as', text('string', true)),
        authSecret: p('Password to connect with', text('secret', true)),
        numShards: p('Shards per index', num('unsignedInteger', { min: 1, max: 100 })),
      },
      { authUsername: null, authSecret: null, numShards: 3 },
    ),
    'x:MeilisearchStore': fields({ url: p('Server URL', text('uri')), apiKey: p('API key', text('secret', true)) }, { apiKey: null }),
  },
  enums: {
    StorageQuota: enumOf(['maxEmails', 'Messages'], ['maxMailboxes', 'Folders'], ['maxSieveScripts', 'Filter scripts'], ['maxAppPasswords', 'App passwords'], ['maxDiskQuota', 'Disk space (bytes)']),
    Permission: PERMISSIONS.map((name) => ({ name, label: name.replace(/([a-z])([A-Z])/g, '$1 $2') })),
    AccountType: enumOf(['User', 'User'], ['Group', 'Group']),
    TaskType: TASK_VARIANTS.map((name) => ({ name, label: name.replace(/([a-z])([A-Z])/g, '$1 $2') })),
    TaskStatusType: [
      { name: 'Pending', label: 'Waiting', color: '#1d4ed8' },
      { name: 'Retry', label: 'Retrying', color: '#b45309' },
      { name: 'Failed', label: 'Failed', color: '#b91c1c' },
    ],
    TaskAccountMaintenanceType: enumOf(['purge', 'Purge deleted items'], ['reindex', 'Rebuild the search index'], ['recalculateQuota', 'Recount disk use']),
    TaskStoreMaintenanceType: enumOf(['reindexAccounts', 'Rebuild every search index'], ['purgeData', 'Purge expired data'], ['purgeBlob', 'Purge unreferenced blobs']),
    SpamClassifyResult: enumOf(['ham', 'Not spam'], ['spam', 'Spam'], ['reject', 'Reject'], ['discard', 'Discard']),
  },
  forms: FORMS,
  lists: LISTS,
  layouts: LAYOUTS,
  dashboards: DASHBOARDS,
};

/**
 * Which properties each object can filter and sort on: a real server has indexes for a few
 * of them only, and answers unsupportedFilter / unsupportedSort for the rest. `text`
 * matches any of the object's string properties.
 */
export const INDEXES: Record<string, { filter: string[]; sort: string[] }> = {
  'x:Account': { filter: ['text', '@type', 'name', 'domainId', 'memberGroupIds', 'memberTenantId'], sort: ['name', 'emailAddress', 'description', 'createdAt'] },
  'x:Domain': { filter: ['text', 'name'], sort: ['name'] },
  'x:Role': { filter: ['text', 'name'], sort: ['name', 'description'] },
  'x:Tenant': { filter: ['text', 'name'], sort: ['name'] },
  'x:Task': { filter: ['@type', 'status', 'due', 'accountId'], sort: ['due'] },
  'x:QueuedMessage': { filter: ['text', 'returnPath'], sort: ['nextRetry'] },
};

/** The task variants a client may create; the others only the server schedules. */
export const CREATABLE_TASKS = new Set(['AccountMaintenance', 'StoreMaintenance']);
