// x:HealthCheck, a Postern extension (Stalwart 0.16 has only its /healthz probes; James has
// named checks behind /healthcheck): one read-only record per component of the mail server
// (store, IMAP, SMTP, LMTP delivery, disk space, task manager), with its status, the cause
// and what to do about it. The ids are the component keys ("imap"), so scripts can ask for
// one. The records are written by the checker in services/health.ts; a read runs a round
// of checks first unless one started in the last quarter second (refresh), so what is read
// is that current. WebAdmin's /healthcheck reads the same records (webadmin/healthcheck.ts).

import type { EnumValue, FieldsEntry } from '../../shared/schema/types';
import { COMPONENTS, HEALTH, healthCheckerFor } from '../services/health';
import { labelled } from './builders';
import type { ObjectDef } from './define';

const serverSet = (description: string, type: FieldsEntry['properties'][string]['type']) => ({ description, type, update: 'serverSet' }) as const;

const healthStatus: EnumValue[] = [
  { name: 'healthy', label: 'Healthy', explanation: 'Works as it should', color: 'green' },
  { name: 'degraded', label: 'Degraded', explanation: 'Works, but something needs attention soon', color: 'orange' },
  { name: 'unhealthy', label: 'Unhealthy', explanation: 'Does not work: mail is affected', color: 'red' },
];

const components: EnumValue[] = Object.entries(COMPONENTS).map(([name, label]) => ({ name, label }));

export const healthCheck: ObjectDef = {
  name: HEALTH,
  description:
    'Postern extension: the health of one component of the mail server (store, IMAP, SMTP, LMTP delivery, disk space, task manager), ' +
    'checked every few seconds and whenever it is read. WebAdmin\u2019s /healthcheck answers from these records.',
  permissionPrefix: 'sysHealthCheck',
  fields: {
    properties: {
      componentName: serverSet('The component, by the name /healthcheck/checks/{componentName} uses', { type: 'string', format: 'string' }),
      status: serverSet('What the last check found', { type: 'enum', enumName: 'HealthStatus' }),
      cause: serverSet('Why the component is not healthy (empty when it is)', { type: 'string', format: 'text', nullable: true }),
      remedy: serverSet('What to do about it (empty when healthy)', { type: 'string', format: 'text', nullable: true }),
      checkedAt: serverSet('When this result was last confirmed (an unchanged result is stored again at most once a minute)', { type: 'utcDateTime' }),
      changedAt: serverSet('Since when the component has had this status and cause', { type: 'utcDateTime' }),
    },
  },
  enums: { HealthStatus: healthStatus, HealthComponent: components },
  indexed: ['status'],
  clientVerbs: ['Get', 'Query'],
  async refresh(ctx) {
    await healthCheckerFor(ctx.store)?.runNow(250);
  },
  form: {
    title: 'Health check',
    sections: [{ fields: labelled({ componentName: 'Component', status: 'Status', cause: 'Cause', remedy: 'What to do', changedAt: 'Since', checkedAt: 'Checked' }) }],
  },
  list: {
    title: 'Health',
    subtitle: 'Each component of the mail server and whether it works',
    singularName: 'health check',
    pluralName: 'health checks',
    labelProperty: 'componentName',
    columns: labelled({ componentName: 'Component', status: 'Status', cause: 'Cause', remedy: 'What to do', changedAt: 'Since' }),
    filters: [{ type: 'enum', field: 'status', label: 'Status', enumName: 'HealthStatus' }],
    itemActions: [{ type: 'view' }],
  },
};
