// The object types this server implements, and the schema document built from them.

import type { EnumValue, Layout, SchemaDocument } from '../../shared/schema/types';
import { clientVerbsOf, type Catalogue, type ObjectDef, type ResolvedObject } from './define';
import { allowedIp, blockedIp } from './ips';
import { clusterNode, clusterRole, networkListener } from './cluster';
import { role } from './directory';
import { account } from './accounts';
import { domain } from './domains';
import { mailingList } from './mailingLists';
import { addressForward } from './forwards';
import { tenant } from './tenants';
import { service, serviceAction } from './services';
import { mtaRoute } from './relay';
import { apiKey } from './apiKeys';
import { mailRepository, repositoryMail } from './repositories';
import { dlpRule } from './dlp';
import { emailSettings } from './quotas';
import { accountMailbox } from './mailboxes';
import { queuedMessage } from './queue';
import { sieveUserInterpreter } from './sieve';
import { taskManager, taskObject } from '../tasks/object';
import { TASK_KINDS } from '../tasks/kinds';
import { healthCheck } from './health';
import { serverInfo } from './about';
import { activity, activityLog } from './activity';
import { recordWrite } from '../activity/record';

export const OBJECTS: ObjectDef[] = [role, account, domain, mailingList, addressForward, tenant, apiKey, clusterRole, clusterNode, networkListener, allowedIp, blockedIp, service, serviceAction, mtaRoute, mailRepository, repositoryMail, dlpRule, emailSettings, accountMailbox, sieveUserInterpreter, taskObject(TASK_KINDS), taskManager, healthCheck, queuedMessage, serverInfo, activity, activityLog];
export const OBJECT_BY_NAME = new Map(OBJECTS.map((o) => [o.name, o]));

export const VERBS = ['Get', 'Query', 'Create', 'Update', 'Destroy'] as const;
export type Verb = (typeof VERBS)[number];

const verbLabel: Record<Verb, string> = {
  Get: 'View', Query: 'Search', Create: 'Create', Update: 'Edit', Destroy: 'Delete',
};

/** Every permission this server checks, grouped by the object it guards. */
export const PERMISSIONS: EnumValue[] = OBJECTS.flatMap((o) =>
  VERBS.filter((v) => clientVerbsOf(o).includes(v)).map((verb) => ({
    name: `${o.permissionPrefix}${verb}`,
    label: `${verbLabel[verb]} ${o.list.pluralName}`,
    explanation: o.list.title,
  })),
);

/** Every object type by name, for the activity log's object type filter (x:Activity.objectType). */
const OBJECT_TYPES: EnumValue[] = OBJECTS.map((o) => ({ name: o.name, label: `${o.list.title} (${o.name})` }));

const LAYOUTS: Layout[] = [
  {
    name: 'Management',
    icon: 'users',
    items: [
      {
        container: {
          name: 'Directory',
          icon: 'folder',
          items: [
            { type: 'link', name: 'Domains', viewName: 'x:Domain' },
            { type: 'link', name: 'Users', viewName: 'x:Account/User' },
            { type: 'link', name: 'Fullest mailboxes', viewName: 'x:Account/Fullest' },
            { type: 'link', name: 'Groups', viewName: 'x:Account/Group' },
            { type: 'link', name: 'Mailing lists', viewName: 'x:MailingList' },
            { type: 'link', name: 'Forwards', viewName: 'x:AddressForward' },
            { type: 'link', name: 'Roles', viewName: 'x:Role' },
            { type: 'link', name: 'Tenants', viewName: 'x:Tenant' },
          ],
        },
      },
      {
        container: {
          name: 'Mail processing',
          icon: 'inbox',
          items: [
            { type: 'link', name: 'Mail queue', viewName: 'x:QueuedMessage' },
            { type: 'link', name: 'Mail repositories', viewName: 'x:MailRepository' },
            { type: 'link', name: 'Repository mails', viewName: 'x:RepositoryMail' },
            { type: 'link', name: 'DLP rules', viewName: 'x:DlpRule' },
          ],
        },
      },
      // Hand-made page (src/ui/features/tasks): x:Task with live progress, Cancel and re-index actions.
      { link: { name: 'Tasks', icon: 'list-checks', viewName: 'CustomComponent/Tasks' } },
      { link: { name: 'Health', icon: 'heart-pulse', viewName: 'x:HealthCheck' } },
      { link: { name: 'Activity log', icon: 'history', viewName: 'x:Activity' } },
    ],
  },
  {
    name: 'Settings',
    icon: 'settings',
    items: [
      {
        container: {
          name: 'Cluster',
          icon: 'server',
          items: [
            { type: 'link', name: 'Nodes', viewName: 'x:ClusterNode' },
            { type: 'link', name: 'Roles', viewName: 'x:ClusterRole' },
          ],
        },
      },
      {
        container: {
          name: 'Network',
          icon: 'network',
          items: [
            { type: 'link', name: 'Listeners', viewName: 'x:NetworkListener' },
            { type: 'link', name: 'Relay', viewName: 'x:MtaRoute' },
          ],
        },
      },
      // Hand-made page (src/ui/features/services): status, actions and limits of every x:Service.
      { link: { name: 'Services', icon: 'activity', viewName: 'CustomComponent/Services' } },
      { link: { name: 'Email', icon: 'mail', viewName: 'x:Email' } },
      { link: { name: 'Sieve', icon: 'filter', viewName: 'x:SieveUserInterpreter' } },
      {
        container: {
          name: 'Security',
          icon: 'shield',
          items: [
            { type: 'link', name: 'Allowed IPs', viewName: 'x:AllowedIp' },
            { type: 'link', name: 'Blocked IPs', viewName: 'x:BlockedIp' },
            { type: 'link', name: 'API keys', viewName: 'x:ApiKey' },
            { type: 'link', name: 'Activity log settings', viewName: 'x:ActivityLog' },
          ],
        },
      },
    ],
  },
];

function build(): SchemaDocument {
  const doc: SchemaDocument = {
    objects: {}, schemas: {}, fields: {}, forms: {}, lists: {}, enums: { Permission: PERMISSIONS, ActivityObjectType: OBJECT_TYPES }, layouts: LAYOUTS,
  };
  for (const o of OBJECTS) {
    doc.objects[o.name] = {
      type: o.singleton ? 'singleton' : 'object', description: o.description, permissionPrefix: o.permissionPrefix,
      ...(o.builtInProperty ? { builtInProperty: o.builtInProperty } : {}),
    };
    if (o.variants) {
      doc.schemas[o.name] = {
        type: 'multiple',
        variants: o.variants.map((v) => ({ name: v.name, label: v.label, schemaName: v.schemaName ?? `${o.name}${v.name}` })),
      };
      for (const v of o.variants) doc.fields[v.schemaName ?? `${o.name}${v.name}`] = v.fields;
    } else {
      doc.schemas[o.name] = { type: 'single', schemaName: o.name };
      doc.fields[o.name] = o.fields!;
    }
    Object.assign(doc.schemas, o.schemas);
    Object.assign(doc.fields, o.extraFields);
    Object.assign(doc.enums, o.enums);
    doc.forms[o.name] = o.form;
    Object.assign(doc.forms, o.extraForms);
    doc.lists[o.name] = o.list;
    for (const [name, view] of Object.entries(o.views ?? {})) {
      doc.objects[name] = { type: 'view', description: view.description, objectName: o.name, permissionPrefix: o.permissionPrefix };
      doc.lists[name] = view.list;
      if (view.form) doc.forms[name] = view.form;
    }
  }
  return doc;
}

export const SCHEMA: SchemaDocument = build();

/** The object a name stands for, and the condition a view adds. */
export function resolveObject(name: string): ResolvedObject | null {
  const def = OBJECT_BY_NAME.get(name); // a Map: inherited names never match
  if (def) return { def };
  for (const o of OBJECTS) {
    if (o.views && Object.hasOwn(o.views, name)) return { def: o, filter: o.views[name].filter };
  }
  return null;
}

/** What the wiring hands to the JMAP engine. */
export const CATALOGUE: Catalogue = { schema: SCHEMA, resolveObject, recordWrite };
