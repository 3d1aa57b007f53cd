// x:ClusterRole (seed 000), x:NetworkListener (what listenerIds point at) and
// x:ClusterNode (read-only: every server registers itself at start and renews its lease).
// Their fields are Stalwart 0.16's; Postern's own say "Postern extension" in their description.

import type { EnumValue, SchemaEntry } from '../../shared/schema/types';
import { ascending, descriptionProperty, labelled, listPage, nameProperty, textProperty } from './builders';
import type { ObjectDef } from './define';

const groupVariants = (what: string, schemaName: string): SchemaEntry => ({
  type: 'multiple',
  variants: [
    { name: 'EnableAll', label: `Enable all ${what}` },
    { name: 'DisableAll', label: `Disable all ${what}` },
    { name: 'EnableSome', label: `Enable some ${what}`, schemaName },
    { name: 'DisableSome', label: `Disable some ${what}`, schemaName },
  ],
});

const taskTypes: EnumValue[] = [
  ['storeMaintenance', 'Store Maintenance'],
  ['accountMaintenance', 'Account Maintenance'],
  ['metricsCalculate', 'Calculate Metrics'],
  ['metricsPush', 'Push Metrics'],
  ['pushNotifications', 'Push Notifications'],
  ['searchIndexing', 'Search Indexing'],
  ['spamClassifierTraining', 'Spam Classifier Training'],
  ['outboundMta', 'Outbound Email MTA'],
  ['taskQueueProcessing', 'Task Queue Processing'],
  ['taskScheduler', 'Task Scheduling'],
].map(([name, label]) => ({ name, label }));

export const clusterRole: ObjectDef = {
  name: 'x:ClusterRole',
  description: 'Defines a cluster node role with enabled tasks and listeners.',
  permissionPrefix: 'sysClusterRole',
  fields: {
    properties: {
      name: nameProperty('Unique identifier for the role'),
      description: descriptionProperty('Description of the role'),
      tasks: {
        description: 'Which tasks are enabled for this cluster role',
        type: { type: 'object', objectName: 'x:ClusterTaskGroup' },
        update: 'mutable',
      },
      listeners: {
        description: 'Which network listeners are enabled for this cluster role',
        type: { type: 'object', objectName: 'x:ClusterListenerGroup' },
        update: 'mutable',
      },
    },
  },
  schemas: {
    'x:ClusterTaskGroup': groupVariants('tasks', 'x:ClusterTaskGroupProperties'),
    'x:ClusterListenerGroup': groupVariants('listeners', 'x:ClusterListenerGroupProperties'),
  },
  extraFields: {
    'x:ClusterTaskGroupProperties': {
      properties: {
        taskTypes: {
          description: 'Tasks to enable or disable for this group',
          type: { type: 'set', class: { type: 'enum', enumName: 'ClusterTaskType' } },
          update: 'mutable',
        },
      },
    },
    'x:ClusterListenerGroupProperties': {
      properties: {
        listenerIds: {
          description: 'List of network listeners to enable or disable for this group',
          type: { type: 'set', class: { type: 'objectId', objectName: 'x:NetworkListener' } },
          update: 'mutable',
        },
      },
    },
  },
  enums: { ClusterTaskType: taskTypes },
  unique: ['name'],
  indexed: ['name'],
  form: {
    title: 'Cluster role',
    subtitle: 'Which tasks and listeners run on the nodes that have this role',
    sections: [
      { title: 'Role', fields: labelled({ name: 'Name', description: 'Description' }) },
      { title: 'Tasks', fields: labelled({ tasks: 'Tasks' }) },
      { title: 'Listeners', fields: labelled({ listeners: 'Listeners' }) },
    ],
  },
  list: listPage({
    title: 'Cluster roles',
    subtitle: 'Roles that decide what each cluster node runs',
    singularName: 'cluster role', pluralName: 'cluster roles',
    labelProperty: 'name',
    columns: labelled({ name: 'Name', description: 'Description' }),
    filters: [{ type: 'text', field: 'name', label: 'Name' }],
    sort: ascending('name'),
    related: [{ type: 'query', label: 'Show nodes', objectName: 'x:ClusterNode', fieldName: 'roleId' }],
  }),
};

export const networkListener: ObjectDef = {
  name: 'x:NetworkListener',
  description: 'Where a node accepts connections: one protocol served on a set of addresses and ports.',
  permissionPrefix: 'sysNetworkListener',
  fields: {
    properties: {
      name: nameProperty('Unique name of the listener'),
      description: descriptionProperty('Postern extension: description of the listener'),
      protocol: {
        description: 'What the listener speaks (SMTP, IMAP, HTTP, …)',
        type: { type: 'enum', enumName: 'NetworkListenerProtocol' },
        update: 'mutable',
      },
      bind: {
        description: 'Addresses and ports to listen on',
        type: { type: 'set', class: { type: 'string', format: 'socketAddress' }, minItems: 1 },
        update: 'mutable',
      },
      tlsImplicit: {
        description: 'Start TLS as soon as a client connects (instead of STARTTLS)',
        type: { type: 'boolean' },
        update: 'mutable',
      },
    },
    defaults: { tlsImplicit: false },
  },
  enums: {
    NetworkListenerProtocol: [
      { name: 'smtp', label: 'SMTP' },
      { name: 'lmtp', label: 'LMTP' },
      { name: 'imap', label: 'IMAP4' },
      { name: 'pop3', label: 'POP3' },
      { name: 'http', label: 'HTTP' },
      { name: 'manageSieve', label: 'ManageSieve' },
    ],
  },
  unique: ['name'],
  indexed: ['name', 'protocol'],
  form: {
    title: 'Listener',
    sections: [
      {
        title: 'Listener',
        fields: [
          { name: 'name', label: 'Name', placeholder: 'imaps' },
          { name: 'description', label: 'Description' },
          { name: 'protocol', label: 'Protocol' },
          { name: 'bind', label: 'Bind addresses', placeholder: '[::]:993' },
          { name: 'tlsImplicit', label: 'Implicit TLS' },
        ],
      },
    ],
  },
  list: listPage({
    title: 'Listeners',
    subtitle: 'Network listeners that cluster roles enable',
    singularName: 'listener', pluralName: 'listeners',
    labelProperty: 'name',
    columns: labelled({ name: 'Name', protocol: 'Protocol', bind: 'Bind addresses' }),
    filters: [{ type: 'text', field: 'name', label: 'Name' }, { type: 'enum', field: 'protocol', label: 'Protocol', enumName: 'NetworkListenerProtocol' }],
    sort: ascending('name'),
  }),
};

/** How often a running server renews its node's lease (bootstrap.ts renewNode). */
export const NODE_RENEWAL_MS = 60_000;
/** A node whose lease is older than this is stale; past NODE_INACTIVE_MS, inactive. */
export const NODE_STALE_MS = 3 * NODE_RENEWAL_MS;
export const NODE_INACTIVE_MS = 24 * 60 * 60 * 1000;

const nodeStatusSql = (() => {
  const age = `(julianday('now') - julianday(json_extract(data, '$.lastRenewal'))) * 86400000`;
  return `CASE WHEN json_extract(data, '$.lastRenewal') IS NULL OR ${age} > ${NODE_INACTIVE_MS} THEN 'inactive' WHEN ${age} > ${NODE_STALE_MS} THEN 'stale' ELSE 'active' END`;
})();

/** A node's status from its last lease renewal, as Stalwart's ClusterNodeStatus. */
export function nodeStatus(lastRenewal: unknown, now: number): 'active' | 'stale' | 'inactive' {
  const at = typeof lastRenewal === 'string' ? Date.parse(lastRenewal) : NaN;
  if (Number.isNaN(at) || now - at > NODE_INACTIVE_MS) return 'inactive';
  return now - at > NODE_STALE_MS ? 'stale' : 'active';
}

const extension = (what: string) => `Postern extension: ${what}`;

export const clusterNode: ObjectDef = {
  name: 'x:ClusterNode',
  description: 'A server of the cluster. Each one records itself when it starts and renews its lease every minute while it runs.',
  permissionPrefix: 'sysClusterNode',
  clientVerbs: ['Get', 'Query'],
  fields: {
    properties: {
      nodeId: {
        description: 'The node\u2019s number in the cluster, given in the order nodes first joined',
        type: { type: 'number', format: 'unsignedInteger' },
        update: 'serverSet',
      },
      hostname: textProperty('The machine\u2019s host name (NODE_NAME)', 'serverSet'),
      lastRenewal: {
        description: 'When the node last renewed its lease: a node that stops renewing is stale, then inactive',
        type: { type: 'utcDateTime' },
        update: 'serverSet',
      },
      status: {
        description: 'Whether the node is running now, worked out from its last renewal',
        type: { type: 'enum', enumName: 'ClusterNodeStatus' },
        update: 'serverSet',
      },
      roleId: {
        description: extension('the cluster role of this node'),
        type: { type: 'objectId', objectName: 'x:ClusterRole', nullable: true },
        update: 'serverSet',
      },
      version: textProperty(extension('server version'), 'serverSet'),
      startedAt: { description: extension('when the node last started'), type: { type: 'utcDateTime' }, update: 'serverSet' },
    },
  },
  enums: {
    ClusterNodeStatus: [
      { name: 'active', label: 'Active', explanation: 'Renewed its lease in the last few minutes', color: 'green' },
      { name: 'stale', label: 'Stale', explanation: 'Has not renewed its lease for a few minutes', color: 'orange' },
      { name: 'inactive', label: 'Inactive', explanation: 'Has not renewed its lease for a day', color: 'gray' },
    ],
  },
  computed: { status: (data, now) => nodeStatus(data.lastRenewal, now) },
  computedSql: { status: nodeStatusSql },
  unique: ['nodeId', 'hostname'],
  indexed: ['nodeId', 'hostname', 'roleId'],
  form: {
    title: 'Cluster node',
    sections: [
      {
        fields: labelled({
          hostname: 'Hostname', nodeId: 'Node id', status: 'Status', lastRenewal: 'Last renewal',
          roleId: 'Role', version: 'Version', startedAt: 'Started at',
        }),
      },
    ],
  },
  list: {
    title: 'Nodes',
    subtitle: 'Servers of this cluster',
    singularName: 'node', pluralName: 'nodes',
    labelProperty: 'hostname',
    columns: labelled({ hostname: 'Hostname', status: 'Status', roleId: 'Role', version: 'Version', lastRenewal: 'Last renewal' }),
    filters: [
      { type: 'text', field: 'hostname', label: 'Hostname' },
      { type: 'enum', field: 'status', label: 'Status', enumName: 'ClusterNodeStatus' },
      { type: 'objectId', field: 'roleId', label: 'Role', objectName: 'x:ClusterRole' },
    ],
    sort: ascending('hostname'),
    itemActions: [{ type: 'view' }],
  },
};
