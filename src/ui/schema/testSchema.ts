// A small schema document in the shape of design/schema-format.md, for unit tests only.

import type { FieldType, Property, SchemaDocument } from '../../shared/schema/types';

export const testSchema: SchemaDocument = {
  objects: {
    'x:ClusterRole': { type: 'object', description: 'Cluster roles', permissionPrefix: 'sysClusterRole' },
    'x:Role': { type: 'object', description: 'Roles', permissionPrefix: 'sysRole' },
    'x:AllowedIp': { type: 'object', description: 'Allowed IPs', permissionPrefix: 'sysAllowedIp' },
    'x:Tenant': { type: 'object', permissionPrefix: 'sysTenant' },
    'x:NetworkListener': { type: 'object', permissionPrefix: 'sysNetworkListener' },
    'x:Account': { type: 'object', permissionPrefix: 'sysAccount' },
    'x:Account/User': { type: 'view', objectName: 'x:Account' },
    'x:SystemSettings': { type: 'singleton', permissionPrefix: 'sysSettings' },
    'x:Sample': { type: 'object', description: 'One property of every field type and format' },
  },
  schemas: {
    'x:ClusterRole': { type: 'single', schemaName: 'x:ClusterRole' },
    'x:Role': { type: 'single', schemaName: 'x:Role' },
    'x:AllowedIp': { type: 'single', schemaName: 'x:AllowedIp' },
    'x:SystemSettings': { type: 'single', schemaName: 'x:SystemSettings' },
    'x:Account': {
      type: 'multiple',
      variants: [
        { name: 'User', label: 'User', schemaName: 'x:UserAccount' },
        { name: 'Group', label: 'Group', schemaName: 'x:GroupAccount' },
      ],
    },
    'x:ClusterTaskGroup': {
      type: 'multiple',
      variants: [
        { name: 'EnableAll', label: 'Enable all tasks' },
        { name: 'DisableAll', label: 'Disable all tasks' },
        { name: 'EnableSome', label: 'Enable some tasks', schemaName: 'x:ClusterTaskGroupProperties' },
        { name: 'DisableSome', label: 'Disable some tasks', schemaName: 'x:ClusterTaskGroupProperties' },
      ],
    },
    'x:Limits': { type: 'single', schemaName: 'x:Limits' },
    'x:Sample': { type: 'single', schemaName: 'x:Sample' },
  },
  fields: {
    'x:ClusterRole': {
      properties: {
        name: { description: 'Unique identifier for the role', type: { type: 'string', format: 'string' }, update: 'immutable' },
        description: { description: 'Description', type: { type: 'string', format: 'string', nullable: true }, update: 'mutable' },
        tasks: { description: 'Which tasks are enabled', type: { type: 'object', objectName: 'x:ClusterTaskGroup' }, update: 'mutable' },
      },
    },
    'x:ClusterTaskGroupProperties': {
      properties: {
        taskTypes: { description: 'Tasks', type: { type: 'set', class: { type: 'enum', enumName: 'ClusterTaskType' } }, update: 'mutable' },
      },
    },
    'x:Role': {
      properties: {
        description: { description: 'Description of the role', type: { type: 'string', maxLength: 255 }, update: 'mutable' },
        memberTenantId: { description: 'Tenant', type: { type: 'objectId', objectName: 'x:Tenant', nullable: true }, update: 'mutable' },
        roleIds: { description: 'Roles this role extends', type: { type: 'set', class: { type: 'objectId', objectName: 'x:Role' } }, update: 'mutable' },
        enabledPermissions: { description: 'Enabled', type: { type: 'set', class: { type: 'enum', enumName: 'Permission' } }, update: 'mutable' },
        disabledPermissions: { description: 'Disabled', type: { type: 'set', class: { type: 'enum', enumName: 'Permission' } }, update: 'mutable' },
      },
    },
    'x:AllowedIp': {
      properties: {
        address: { description: 'The IP address or mask to allow', type: { type: 'string', format: 'ipNetwork' }, update: 'immutable' },
        reason: { description: 'The reason', type: { type: 'string', nullable: true }, update: 'mutable' },
        createdAt: { description: 'When', type: { type: 'utcDateTime' }, update: 'serverSet' },
        expiresAt: { description: 'Expiry', type: { type: 'utcDateTime', nullable: true }, update: 'mutable' },
      },
    },
    'x:UserAccount': {
      properties: {
        name: { description: 'Login name', type: { type: 'string' }, update: 'immutable' },
        quota: { description: 'Quota', type: { type: 'number', format: 'size', min: 0, nullable: true }, update: 'mutable' },
      },
    },
    'x:GroupAccount': {
      properties: { name: { description: 'Group name', type: { type: 'string' }, update: 'immutable' } },
    },
    'x:SystemSettings': {
      properties: {
        hostname: { description: 'Host name', type: { type: 'string' }, update: 'mutable' },
        timeout: { description: 'Timeout', type: { type: 'number', format: 'duration', min: 1000 }, update: 'mutable' },
        limits: { description: 'Limits', type: { type: 'object', objectName: 'x:Limits' }, update: 'mutable' },
        headers: { description: 'Headers', type: { type: 'map', keyClass: { type: 'string' }, valueClass: { type: 'string' } }, update: 'mutable' },
      },
      defaults: { timeout: 30000 },
    },
    'x:Limits': {
      properties: { maxConnections: { description: 'Max connections', type: { type: 'number', format: 'unsignedInteger' }, update: 'mutable' } },
      defaults: { maxConnections: 100 },
    },
    'x:Sample': { properties: sampleProperties(), defaults: { timeout: 30000 } },
  },
  forms: {
    'x:ClusterRole': {
      title: 'Cluster role',
      sections: [{ fields: [{ name: 'name', label: 'Name' }, { name: 'description', label: 'Description' }, { name: 'tasks', label: 'Tasks' }] }],
    },
    'x:AllowedIp': {
      sections: [{ fields: [{ name: 'address', label: 'Address' }, { name: 'reason', label: 'Reason' }, { name: 'createdAt', label: 'Created' }, { name: 'expiresAt', label: 'Expires' }] }],
    },
  },
  lists: {
    'x:AllowedIp': {
      title: 'Allowed IPs', subtitle: 'Addresses never blocked', singularName: 'allowed IP', pluralName: 'allowed IPs',
      labelProperty: 'address',
      columns: [{ name: 'address', label: 'Address' }, { name: 'reason', label: 'Reason' }, { name: 'expiresAt', label: 'Expires' }],
      filters: [{ type: 'text', field: 'address', label: 'Address' }],
      itemActions: [{ type: 'view' }, { type: 'delete' }],
    },
    'x:Account/User': {
      title: 'Users', subtitle: '', singularName: 'user', pluralName: 'users', labelProperty: 'name',
      columns: [{ name: 'name', label: 'Name' }],
      filtersStatic: { '@type': 'User' },
    },
  },
  enums: {
    ClusterTaskType: [
      { name: 'outboundMta', label: 'Outbound Email MTA' },
      { name: 'searchIndexing', label: 'Search Indexing' },
    ],
    Permission: [
      { name: 'sysRoleGet', label: 'Get roles' },
      { name: 'sysRoleCreate', label: 'Create roles' },
      { name: 'sysAllowedIpGet', label: 'Get allowed IPs' },
      { name: 'emailSend', label: 'Send email' },
    ],
  },
  layouts: [
    {
      name: 'Management', icon: 'manage',
      items: [
        { container: { name: 'Directory', icon: 'dir', items: [
          { type: 'link', name: 'Users', viewName: 'x:Account/User' },
          { type: 'link', name: 'Roles', viewName: 'x:Role' },
        ] } },
      ],
    },
    {
      name: 'Settings', icon: 'settings',
      items: [
        { link: { name: 'System', icon: 'sys', viewName: 'x:SystemSettings' } },
        { container: { name: 'Cluster', icon: 'c', items: [{ type: 'link', name: 'Roles', viewName: 'x:ClusterRole' }] } },
        { container: { name: 'Security', icon: 's', items: [{ type: 'link', name: 'Allowed IPs', viewName: 'x:AllowedIp' }] } },
        { link: { name: 'Tracing', icon: 't', viewName: 'CustomComponent/Tracing' } },
      ],
    },
  ],
};

/** x:Sample: one property per field type and per string and number format, all mutable. */
function sampleProperties(): Record<string, Property> {
  const types: Record<string, FieldType> = {
    name: { type: 'string', format: 'string' },
    notes: { type: 'string', format: 'text', nullable: true },
    email: { type: 'string', format: 'emailAddress', nullable: true },
    website: { type: 'string', format: 'uri', nullable: true },
    address: { type: 'string', format: 'ipAddress', nullable: true },
    network: { type: 'string', format: 'ipNetwork', nullable: true },
    listen: { type: 'string', format: 'socketAddress', nullable: true },
    password: { type: 'string', format: 'secret', nullable: true },
    certificate: { type: 'string', format: 'secretText', nullable: true },
    page: { type: 'string', format: 'html', nullable: true },
    colour: { type: 'string', format: 'color', nullable: true },
    count: { type: 'number', format: 'integer', nullable: true },
    port: { type: 'number', format: 'unsignedInteger', max: 65535, nullable: true },
    ratio: { type: 'number', format: 'float', nullable: true },
    quota: { type: 'number', format: 'size', nullable: true },
    timeout: { type: 'number', format: 'duration', max: 3_600_000 },
    enabled: { type: 'boolean' },
    expiresAt: { type: 'utcDateTime', nullable: true },
    taskType: { type: 'enum', enumName: 'ClusterTaskType', nullable: true },
    tenantId: { type: 'objectId', objectName: 'x:Tenant', nullable: true },
    limits: { type: 'object', objectName: 'x:Limits' },
    tasks: { type: 'object', objectName: 'x:ClusterTaskGroup' },
    rules: { type: 'objectList', objectName: 'x:Limits' },
    taskTypes: { type: 'set', class: { type: 'enum', enumName: 'ClusterTaskType' } },
    roleIds: { type: 'set', class: { type: 'objectId', objectName: 'x:Role' } },
    aliases: { type: 'set', class: { type: 'string', format: 'emailAddress' } },
    headers: { type: 'map', keyClass: { type: 'string' }, valueClass: { type: 'string' } },
    logo: { type: 'blobId' },
  };
  return Object.fromEntries(Object.entries(types).map(([name, type]) => [name, { description: `The ${name}`, type, update: 'mutable' }]));
}
