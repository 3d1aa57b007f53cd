// x:ClusterRole (seed 000), x:NetworkListener (what listenerIds point at) and
// x:ClusterNode (read-only: every server registers itself at start).

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
  description: 'A network listener: the protocol a node serves on a set of addresses.',
  permissionPrefix: 'sysNetworkListener',
  fields: {
    properties: {
      name: nameProperty('Unique name of the listener'),
      description: descriptionProperty('Description of the listener'),
      protocol: {
        description: 'Protocol served on this listener',
        type: { type: 'enum', enumName: 'NetworkProtocol' },
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
    NetworkProtocol: [
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
    filters: [{ type: 'text', field: 'name', label: 'Name' }, { type: 'enum', field: 'protocol', label: 'Protocol', enumName: 'NetworkProtocol' }],
    sort: ascending('name'),
  }),
};

export const clusterNode: ObjectDef = {
  name: 'x:ClusterNode',
  description: 'A server of the cluster. Nodes register themselves when they start.',
  permissionPrefix: 'sysClusterNode',
  clientVerbs: ['Get', 'Query'],
  fields: {
    properties: {
      name: textProperty('Host name of the node', 'serverSet'),
      roleId: {
        description: 'The cluster role of this node',
        type: { type: 'objectId', objectName: 'x:ClusterRole', nullable: true },
        update: 'serverSet',
      },
      version: textProperty('Server version', 'serverSet'),
      startedAt: { description: 'When the node last started', type: { type: 'utcDateTime' }, update: 'serverSet' },
    },
  },
  unique: ['name'],
  indexed: ['name', 'roleId'],
  form: {
    title: 'Cluster node',
    sections: [{ fields: labelled({ name: 'Host name', roleId: 'Role', version: 'Version', startedAt: 'Started at' }) }],
  },
  list: {
    title: 'Nodes',
    subtitle: 'Servers of this cluster',
    singularName: 'node', pluralName: 'nodes',
    labelProperty: 'name',
    columns: labelled({ name: 'Host name', roleId: 'Role', version: 'Version', startedAt: 'Started' }),
    filters: [{ type: 'text', field: 'name', label: 'Host name' }, { type: 'objectId', field: 'roleId', label: 'Role', objectName: 'x:ClusterRole' }],
    itemActions: [{ type: 'view' }],
  },
};
