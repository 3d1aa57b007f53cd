// x:Service and x:ServiceAction (seed 003, InterWorx's MailImap controller): mail
// daemons the embedded server supervises, and the commands that start and stop them.
//
// Design, and why:
// - One x:Service record per supervised service on this node, with a stable id that is
//   the driver's id ("imap"), so `x:Service/get {"ids":["imap"]}` works in scripts. The
//   server creates the records at start; clients may only read and update them
//   (clientVerbs), so there are no create or destroy permissions for services.
// - The seed's read-outs (isRunning, listPortNumbers[Array], listGeneralName,
//   listServiceName, listRequiredPermissions, listServicePage, listServiceInfo) are
//   serverSet properties of that record: the whole record is the "service info".
//   `uptime` is computed when the record is read (from `startedAt`), never stored, so
//   it does not change the record's state every second; `requiredPermissions` and
//   `page` are computed too, from the permission prefixes and the record id, so the
//   supervisor that writes the record knows nothing of permissions or console pages.
// - The seed's `update` (four limits) and `startOnBoot` are mutable properties: a plain
//   x:Service/set, validated by the schema (integer / size ranges below) and by check().
//   They take effect on the next start or restart; `restartRequired` says one is due.
// - start / stop / restart / status (and *OnNode, cascade_to_nodes) are a create-only
//   x:ServiceAction record, as Stalwart models commands with x:Action (clients may create and read them, nothing else): /set is
//   synchronous, so creating the record only queues the command; the supervisor sees
//   it in the change log, runs it, and writes `state`, `message`, `finishedAt` back.
//   Clients follow progress with /get, /changes or the push stream. nodeId picks an
//   x:ClusterNode, allNodes replays on every node; this server controls only the node
//   it runs on, so other nodes are reported as not reachable (the action fails with
//   that message) rather than silently skipped.
// - "Running" is measured: the supervisor's child process is alive and the service port
//   answers with the protocol greeting (`* OK` for IMAP). See src/server/services/.

import { validationFailed, type SetError } from '../../shared/jmap/errors';
import type { EnumValue, FieldsEntry } from '../../shared/schema/types';
import { utcDateTime } from '../../shared/schema/validate';
import { SERVICE_LIMITS } from '../services/limits';
import { labelled } from './builders';
import type { ObjectDef } from './define';

const serviceStatus: EnumValue[] = [
  { name: 'running', label: 'Running', explanation: 'The daemon is alive and its port answers with a greeting', color: 'green' },
  { name: 'starting', label: 'Starting', color: 'blue' },
  { name: 'stopping', label: 'Stopping', color: 'blue' },
  { name: 'stopped', label: 'Stopped', color: 'gray' },
  { name: 'failed', label: 'Failed', explanation: 'The daemon is alive but does not answer, or could not start', color: 'red' },
  { name: 'notInstalled', label: 'Not installed', explanation: 'The daemon software is missing on this node', color: 'orange' },
];

const actionTypes: EnumValue[] = [
  { name: 'start', label: 'Start' },
  { name: 'stop', label: 'Stop' },
  { name: 'restart', label: 'Restart' },
  { name: 'status', label: 'Check status' },
];

const actionStates: EnumValue[] = [
  { name: 'pending', label: 'Pending', color: 'gray' },
  { name: 'running', label: 'Running', color: 'blue' },
  { name: 'done', label: 'Done', color: 'green' },
  { name: 'failed', label: 'Failed', color: 'red' },
];

const serverSet = (description: string, type: FieldsEntry['properties'][string]['type']) =>
  ({ description, type, update: 'serverSet' }) as const;

const limit = (description: string, which: 'maxConnections' | 'memoryLimit') => ({
  description,
  type: {
    type: 'number' as const,
    format: which === 'memoryLimit' ? ('size' as const) : ('integer' as const),
    min: SERVICE_LIMITS[which].min,
    max: SERVICE_LIMITS[which].max,
  },
  update: 'mutable' as const,
});

/** Form fields or list columns from `name: label` pairs, in order. */

const SERVICE_PREFIX = 'sysService';
const ACTION_PREFIX = 'sysServiceAction';

const port = (description: string) => ({
  description,
  type: { type: 'number' as const, format: 'unsignedInteger' as const, min: SERVICE_LIMITS.port.min, max: SERVICE_LIMITS.port.max },
  update: 'mutable' as const,
});

export const service: ObjectDef = {
  name: 'x:Service',
  description: 'A mail service (daemon) that this server supervises on its node: status, ports, limits.',
  permissionPrefix: SERVICE_PREFIX,
  fields: {
    properties: {
      name: serverSet('Service name, e.g. imap4 (the daemon, not the protocol label)', { type: 'string', format: 'string' }),
      generalName: serverSet('General name, e.g. IMAP', { type: 'string', format: 'string' }),
      description: serverSet('What the service does', { type: 'string', format: 'string' }),
      software: serverSet('Daemon software that provides the service', { type: 'string', format: 'string' }),
      version: serverSet('Version of the installed daemon software', { type: 'string', format: 'string', nullable: true }),
      nodeId: serverSet('Cluster node whose daemon this record describes', { type: 'objectId', objectName: 'x:ClusterNode', nullable: true }),
      ports: serverSet('Port numbers the service uses', { type: 'set', class: { type: 'number', format: 'unsignedInteger' } }),
      requiredPermissions: serverSet('Permissions needed to control the service', { type: 'set', class: { type: 'enum', enumName: 'Permission' } }),
      page: serverSet('Console page that controls the service', { type: 'string', format: 'string' }),
      status: serverSet('Measured status', { type: 'enum', enumName: 'ServiceStatus' }),
      running: serverSet('The daemon is alive and its port answers with the protocol greeting', { type: 'boolean' }),
      pid: serverSet('Process id of the daemon', { type: 'number', format: 'unsignedInteger', nullable: true }),
      startedAt: serverSet('When the daemon was started (uptime is measured from here)', { type: 'utcDateTime', nullable: true }),
      uptime: serverSet('How long the daemon has been running, in milliseconds', { type: 'number', format: 'duration', nullable: true }),
      lastError: serverSet('Why the daemon last failed or stopped unexpectedly, with its last log lines', { type: 'string', format: 'text', nullable: true }),
      installed: serverSet('The daemon software is installed on this node', { type: 'boolean' }),
      installHint: serverSet('How to install the daemon software', { type: 'string', format: 'string', nullable: true }),
      restartRequired: serverSet('Settings changed since the daemon started: restart to apply them', { type: 'boolean' }),
      configPath: serverSet('Generated configuration file', { type: 'string', format: 'string', nullable: true }),
      logPath: serverSet('Log file of the daemon', { type: 'string', format: 'string', nullable: true }),
      effectiveConfig: serverSet('Configuration in effect in the running daemon, as the daemon reads it', { type: 'string', format: 'text', nullable: true }),
      startOnBoot: { description: 'Start the service when the server starts', type: { type: 'boolean' }, update: 'mutable' },
      bindAddress: {
        description: 'Address to listen on (0.0.0.0 for every IPv4 address, :: for every address)',
        type: { type: 'string', format: 'ipAddress' },
        update: 'mutable',
      },
      port: port('Port for plain connections (STARTTLS available)'),
      securePort: port('Port for implicit TLS connections (SMTP: the submission port, STARTTLS and authentication required)'),
      maxConnections: limit('Maximum simultaneous plain connections', 'maxConnections'),
      memoryLimit: limit('Memory limit of each plain-connection process, in bytes (not used by SMTP: Postfix has no such limit)', 'memoryLimit'),
      secureMaxConnections: limit('Maximum simultaneous TLS connections (SMTP: submission connections)', 'maxConnections'),
      secureMemoryLimit: limit('Memory limit of each TLS-connection process, in bytes (not used by SMTP)', 'memoryLimit'),
      maxMessageSize: {
        description: 'Largest message the service accepts, in bytes (SMTP: message_size_limit; empty for 10 240 000). IMAP does not use it.',
        type: { type: 'number', format: 'size', min: 1024, max: 4 * 1024 * 1024 * 1024, nullable: true },
        update: 'mutable',
      },
    },
    defaults: {
      startOnBoot: false,
      bindAddress: '0.0.0.0',
      maxConnections: SERVICE_LIMITS.maxConnections.default,
      memoryLimit: SERVICE_LIMITS.memoryLimit.default,
      secureMaxConnections: SERVICE_LIMITS.maxConnections.default,
      secureMemoryLimit: SERVICE_LIMITS.memoryLimit.default,
    },
  },
  enums: { ServiceStatus: serviceStatus },
  indexed: ['name'],
  computed: {
    uptime: (d, now) => (typeof d.startedAt === 'string' ? Math.max(0, now - Date.parse(d.startedAt)) : null),
    // What a console needs to control a service: read and update it, create and read actions.
    requiredPermissions: () => ({
      [`${SERVICE_PREFIX}Get`]: true,
      [`${SERVICE_PREFIX}Update`]: true,
      [`${ACTION_PREFIX}Create`]: true,
      [`${ACTION_PREFIX}Get`]: true,
    }),
    // The page of the hand-made Services view (navigation Settings › Services) for this record.
    page: (_d, _now, id) => `/settings/services/${id}`,
  },
  computedSql: { page: `'/settings/services/' || id` },
  clientVerbs: ['Get', 'Query', 'Update'],
  check(_ctx, _id, next): SetError | null {
    if (next.port === next.securePort) {
      return validationFailed([{ type: 'Invalid', property: 'securePort', description: 'Must differ from the plain port', value: next.securePort }]);
    }
    return null;
  },
  form: {
    title: 'Service',
    subtitle: 'Settings take effect when the service is next started or restarted.',
    sections: [
      { title: 'Start-up', fields: labelled({ startOnBoot: 'Start on boot' }) },
      {
        title: 'Network',
        fields: [
          { name: 'bindAddress', label: 'Listen address', placeholder: '0.0.0.0' },
          { name: 'port', label: 'Port', placeholder: '143' },
          { name: 'securePort', label: 'TLS port (SMTP: submission)', placeholder: '993' },
        ],
      },
      { title: 'Plain connections', fields: labelled({ maxConnections: 'Maximum connections', memoryLimit: 'Memory limit' }) },
      { title: 'TLS connections (SMTP: submission)', fields: labelled({ secureMaxConnections: 'Maximum connections', secureMemoryLimit: 'Memory limit' }) },
      { title: 'Messages (SMTP)', fields: labelled({ maxMessageSize: 'Maximum message size' }) },
    ],
  },
  list: {
    title: 'Services',
    subtitle: 'Mail daemons this server supervises',
    singularName: 'service',
    pluralName: 'services',
    labelProperty: 'generalName',
    columns: labelled({ generalName: 'Service', status: 'Status', ports: 'Ports', startedAt: 'Started' }),
    itemActions: [{ type: 'view' }],
  },
};

export const serviceAction: ObjectDef = {
  name: 'x:ServiceAction',
  description: 'A command for a service (start, stop, restart, status) on one node or on all nodes. Create it to run it; the server fills in the outcome.',
  permissionPrefix: ACTION_PREFIX,
  fields: {
    properties: {
      serviceId: { description: 'The service to act on', type: { type: 'objectId', objectName: 'x:Service' }, update: 'immutable' },
      action: { description: 'What to do', type: { type: 'enum', enumName: 'ServiceActionType' }, update: 'immutable' },
      nodeId: {
        description: 'The node to act on; null means the node this server runs on',
        type: { type: 'objectId', objectName: 'x:ClusterNode', nullable: true },
        update: 'immutable',
      },
      allNodes: { description: 'Replay the action on every node of the cluster', type: { type: 'boolean' }, update: 'immutable' },
      state: serverSet('Progress of the action', { type: 'enum', enumName: 'ServiceActionState' }),
      message: serverSet('Outcome, one line per node', { type: 'string', format: 'text', nullable: true }),
      isRunning: serverSet('Whether the service was running when the action finished', { type: 'boolean' }),
      createdAt: serverSet('When the action was requested', { type: 'utcDateTime' }),
      finishedAt: serverSet('When the action finished', { type: 'utcDateTime', nullable: true }),
    },
    defaults: { allNodes: false, nodeId: null },
  },
  enums: { ServiceActionType: actionTypes, ServiceActionState: actionStates },
  indexed: ['createdAt', 'state', 'serviceId'],
  clientVerbs: ['Get', 'Query', 'Create'],
  onCreate(value) {
    value.state = 'pending';
    value.message = null;
    value.isRunning = false;
    value.createdAt = utcDateTime();
    value.finishedAt = null;
  },
  check(_ctx, _id, next, prev): SetError | null {
    if (!prev && next.allNodes === true && next.nodeId) {
      return validationFailed([{ type: 'Invalid', property: 'nodeId', description: 'Give either a node or allNodes, not both', value: next.nodeId }]);
    }
    return null;
  },
  form: {
    title: 'Service action',
    sections: [
      {
        fields: labelled({
          serviceId: 'Service', action: 'Action', nodeId: 'Node', allNodes: 'All nodes',
          state: 'State', message: 'Outcome', createdAt: 'Requested', finishedAt: 'Finished',
        }),
      },
    ],
  },
  list: {
    title: 'Service actions',
    subtitle: 'Start, stop and restart commands and their outcome',
    singularName: 'service action',
    pluralName: 'service actions',
    columns: labelled({ serviceId: 'Service', action: 'Action', state: 'State', createdAt: 'Requested', message: 'Outcome' }),
    filters: [
      { type: 'objectId', field: 'serviceId', label: 'Service', objectName: 'x:Service' },
      { type: 'enum', field: 'state', label: 'State', enumName: 'ServiceActionState' },
    ],
    sort: [{ property: 'createdAt', isAscending: false }],
    // Actions are a record of what was done: they are read, never deleted by clients.
    itemActions: [{ type: 'view' }],
  },
};
