// Settings › Services: the mail daemons the server supervises (seed 003). Status and
// ports as measured by the server, start / stop / restart on this node, on one node or
// on all nodes, and the limits form (which applies on the next start or restart).

import { useEffect, useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useClient } from '../../jmap/context';
import { invalidateObject, updateRecord } from '../../jmap/queries';
import { SetRecordError, type JmapRecord, type SetError } from '../../jmap/types';
import { ConfirmDialog } from '../../lib/ConfirmDialog';
import { PageHeader } from '../../lib/PageHeader';
import { ErrorBanner, Loading } from '../../lib/Status';
import { DynamicForm, type Values } from '../../forms/DynamicForm';
import { buildPatch } from '../../forms/patch';
import { SetErrorBanner } from '../../forms/SetErrorBanner';
import { describeSetError } from '../../forms/setErrors';
import { useConsole } from '../../schema/context';
import { enumLabel, formatDateTime } from '../../schema/format';
import { paths } from '../../schema/nav';
import type { CustomPageProps } from '../registry';
import { can, defaultsOf, recordFields, resolveView } from '../../schema/resolve';
import { formatPorts, formatUptime, outcomeTitle, progressText, type ServiceActionType } from './format';
import {
  actionQueryOptions, isFinished, nodesQueryOptions, requestAction, servicesQueryOptions, SERVICE, type ActionRequest,
} from './queries';
import './services.css';

export default function ServicesPage({ link, id }: CustomPageProps) {
  const client = useClient();
  const services = useQuery(servicesQueryOptions(client, false));
  const nodes = useQuery(nodesQueryOptions(client));
  const shown = (services.data ?? []).filter((s) => !id || s.id === id).sort((a, b) => String(a.generalName).localeCompare(String(b.generalName)));
  const title = id && shown[0] ? String(shown[0].generalName) : link.name;
  const crumbs = [
    ...link.trail.slice(0, -1).map((label) => ({ label })),
    { label: link.name, to: id ? paths.list(link) : undefined },
    ...(id ? [{ label: title }] : []),
  ];

  return (
    <>
      <PageHeader crumbs={crumbs} title={title} subtitle="Mail services this server supervises: measured status, start and stop, and limits." />
      {services.isPending ? (
        <Loading label="Loading services…" />
      ) : services.isError ? (
        <ErrorBanner error={services.error} onRetry={() => void services.refetch()} />
      ) : shown.length === 0 ? (
        <p className="empty">{id ? `There is no service ${id} on this server.` : 'This server supervises no services.'}</p>
      ) : (
        shown.map((s) => <ServicePanel key={s.id} service={s} nodes={nodes.data ?? []} />)
      )}
    </>
  );
}

interface Running {
  id: string;
  req: ActionRequest;
  where: string;
}

function ServicePanel({ service, nodes }: { service: JmapRecord; nodes: JmapRecord[] }) {
  const { doc, permissions } = useConsole();
  const client = useClient();
  const queryClient = useQueryClient();
  const name = String(service.generalName ?? service.id);
  const headingId = `svc-${service.id}`;
  const status = String(service.status ?? 'stopped');
  const canAct = can(permissions, 'sysServiceAction', 'Create');
  const thisNode = nodes.find((n) => n.id === service.nodeId);
  const thisNodeName = String(thisNode?.name ?? 'this node');

  const [allNodes, setAllNodes] = useState(false);
  const [confirm, setConfirm] = useState<{ req: ActionRequest; where: string } | null>(null);
  const [running, setRunning] = useState<Running | null>(null);
  const [requestError, setRequestError] = useState<string | null>(null);
  const action = useQuery({ ...actionQueryOptions(client, running?.id ?? ''), enabled: !!running });
  const finished = isFinished(action.data);
  const busy = !!running && !finished && !action.isError;

  useEffect(() => {
    if (finished) void invalidateObject(queryClient, SERVICE);
  }, [finished, queryClient]);

  const whereOf = (req: ActionRequest) =>
    req.allNodes ? 'on every node' : `on ${req.nodeId ? String(nodes.find((n) => n.id === req.nodeId)?.name ?? req.nodeId) : thisNodeName}`;

  /** Stop and restart interrupt mail clients: they are confirmed first. */
  function ask(action: ServiceActionType, nodeId: string | null = null) {
    const req: ActionRequest = { serviceId: service.id, action, nodeId, allNodes: nodeId ? false : allNodes };
    if (action === 'stop' || action === 'restart') setConfirm({ req, where: whereOf(req) });
    else void run(req);
  }

  async function run(req: ActionRequest) {
    setConfirm(null);
    setRequestError(null);
    try {
      const id = await requestAction(client, req);
      setRunning({ id, req, where: whereOf(req) });
    } catch (e) {
      setRequestError(e instanceof SetRecordError ? describeSetError(e.error, 'action').summary : (e as Error).message);
    }
  }

  const buttons = (nodeId: string | null, labelSuffix = '') =>
    (['start', 'stop', 'restart'] as const).map((a) => (
      <button
        key={a}
        type="button"
        className={a === 'stop' ? 'btn btn-small btn-danger-outline' : 'btn btn-small'}
        disabled={busy}
        onClick={() => ask(a, nodeId)}
        aria-label={labelSuffix ? `${a[0].toUpperCase()}${a.slice(1)} ${name} ${labelSuffix}` : undefined}
      >
        {a[0].toUpperCase() + a.slice(1)}
      </button>
    ));

  return (
    <section className="panel service" aria-labelledby={headingId}>
      <div className="service-head">
        <h2 id={headingId}>{name}</h2>
        <StatusBadge status={status} label={enumLabel(doc, 'ServiceStatus', status)} />
      </div>
      <p className="muted service-sub">
        {String(service.description ?? '')} · service {String(service.name)} · {String(service.software)}
        {service.version ? ` ${String(service.version)}` : ''}
      </p>

      <dl className="service-facts">
        <div>
          <dt>Ports</dt>
          <dd>{formatPorts(service.ports) || '—'}</dd>
        </div>
        <div>
          <dt>Listen address</dt>
          <dd>{String(service.bindAddress ?? '')}</dd>
        </div>
        <div>
          <dt>Uptime</dt>
          <dd>{service.startedAt ? <Uptime since={String(service.startedAt)} /> : '—'}</dd>
        </div>
        <div>
          <dt>Process</dt>
          <dd>{service.pid ? `pid ${String(service.pid)}` : '—'}</dd>
        </div>
        <div>
          <dt>Start on boot</dt>
          <dd>{service.startOnBoot ? 'Yes' : 'No'}</dd>
        </div>
      </dl>

      {status === 'notInstalled' && (
        <div className="banner banner-info" role="note">
          <div>
            <strong>{String(service.software)} is not installed on {thisNodeName}.</strong> Install it as root, then press Check status:
            <pre className="command">{String(service.installHint ?? '')}</pre>
          </div>
        </div>
      )}
      {service.restartRequired === true && (
        <div className="banner banner-info" role="note">
          <div>Settings changed since {name} started. They apply when it restarts.</div>
          {canAct && (
            <button type="button" className="btn btn-small" disabled={busy} onClick={() => ask('restart')}>
              Restart now
            </button>
          )}
        </div>
      )}
      {typeof service.lastError === 'string' && service.lastError && status !== 'running' && (
        <details className="last-error" open>
          <summary>Last error</summary>
          <pre>{service.lastError}</pre>
        </details>
      )}

      {canAct && (
        <div className="service-actions" role="group" aria-label={`${name} actions`}>
          {buttons(null)}
          <button type="button" className="btn btn-small" disabled={busy} onClick={() => ask('status')}>
            Check status
          </button>
          <label className="all-nodes">
            <input type="checkbox" checked={allNodes} onChange={(e) => setAllNodes(e.target.checked)} disabled={busy} />
            On all nodes
          </label>
        </div>
      )}

      <div aria-live="polite" className="action-progress">
        {busy && running && (
          <p className="status-line" role="status">
            <span className="spinner" aria-hidden="true" />
            {progressText(running.req.action, name, running.where)}
            {action.data?.state === 'pending' ? ' (queued)' : ''}
          </p>
        )}
        {finished && running && action.data && (
          <div className={action.data.state === 'done' ? 'banner banner-success' : 'banner banner-error'}>
            <div>
              <strong>{outcomeTitle(running.req.action, name, running.where, action.data.state === 'done')}.</strong>
              <pre className="outcome">{String(action.data.message ?? '')}</pre>
            </div>
          </div>
        )}
      </div>
      {(requestError || action.isError) && <ErrorBanner error={action.error}>{requestError ?? undefined}</ErrorBanner>}

      <h3>Nodes</h3>
      <div className="table-wrap">
        <table className="table table-compact">
          <caption className="sr-only">{name} on each cluster node</caption>
          <thead>
            <tr>
              <th scope="col">Node</th>
              <th scope="col">Status</th>
              <th scope="col">Uptime</th>
              {canAct && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {(nodes.length ? nodes : [{ id: String(service.nodeId ?? ''), name: thisNodeName }]).map((n) => {
              const here = n.id === service.nodeId;
              return (
                <tr key={n.id}>
                  <th scope="row">
                    {String(n.name)}
                    {here && <span className="muted"> (this server)</span>}
                  </th>
                  <td>{here ? <StatusBadge status={status} label={enumLabel(doc, 'ServiceStatus', status)} /> : <span className="muted">Not reachable from this server</span>}</td>
                  <td>{here && service.startedAt ? <Uptime since={String(service.startedAt)} /> : '—'}</td>
                  {canAct && <td className="row-actions">{buttons(n.id, `on ${String(n.name)}`)}</td>}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      <ServiceSettings service={service} name={name} />

      <ConfirmDialog
        open={!!confirm}
        title={confirm ? `${confirm.req.action === 'stop' ? 'Stop' : 'Restart'} ${name} ${confirm.where}?` : ''}
        confirmLabel={confirm?.req.action === 'stop' ? `Stop ${name}` : `Restart ${name}`}
        danger={confirm?.req.action === 'stop'}
        onConfirm={() => confirm && void run(confirm.req)}
        onCancel={() => setConfirm(null)}
      >
        <p>
          Mail clients connected to {name} {confirm?.where} are disconnected
          {confirm?.req.action === 'stop' ? ' and cannot connect until it is started again.' : ' and reconnect when it is back.'}
        </p>
      </ConfirmDialog>
    </section>
  );
}

function StatusBadge({ status, label }: { status: string; label: string }) {
  return <span className={`service-status service-status-${status}`}>{label}</span>;
}

function Uptime({ since }: { since: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return <span title={`Since ${formatDateTime(since)}`}>{formatUptime(now - Date.parse(since))}</span>;
}

/** The schema's x:Service form; a save stores the settings, a restart applies them. */
function ServiceSettings({ service, name }: { service: JmapRecord; name: string }) {
  const { doc, permissions } = useConsole();
  const client = useClient();
  const queryClient = useQueryClient();
  const view = resolveView(doc, SERVICE);
  const { schemaName, properties } = view ? recordFields(doc, view) : { schemaName: undefined, properties: {} };
  const [problem, setProblem] = useState<SetError | string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // Status changes every few seconds; the form only follows the settings (the mutable properties).
  const settingsKey = JSON.stringify(Object.keys(properties).filter((k) => properties[k].update === 'mutable').map((k) => service[k]));
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const initial = useMemo(() => ({ ...service }) as Values, [settingsKey]);
  if (!view) return null;
  const running = service.status === 'running';

  async function save(values: Values, helpers: { setError: (name: string, e: { message: string }) => void; reset: (v: Values) => void; base: Values }) {
    setProblem(null);
    setNotice(null);
    const patch = buildPatch(doc, properties, helpers.base, values);
    if (Object.keys(patch).length === 0) return;
    try {
      await updateRecord(client, SERVICE, service.id, patch);
      helpers.reset(values);
      setNotice(running ? `Saved. The new settings apply when ${name} restarts.` : `Saved. The new settings apply when ${name} starts.`);
      await invalidateObject(queryClient, SERVICE);
    } catch (e) {
      if (e instanceof SetRecordError) {
        const { fields } = describeSetError(e.error, 'service');
        for (const [field, message] of Object.entries(fields)) if (field in properties) helpers.setError(field, { message });
        setProblem(e.error);
      } else setProblem((e as Error).message);
    }
  }

  return (
    <section className="service-settings" aria-labelledby={`settings-${service.id}`}>
      <h3 id={`settings-${service.id}`}>Settings</h3>
      <p className="hint">Limits and ports are checked and saved now, and take effect the next time {name} starts or restarts.</p>
      <div aria-live="polite">{notice && <p className="banner banner-success">{notice}</p>}</div>
      <DynamicForm
        key={service.id}
        view={{ ...view, form: { ...view.form, title: `${name} settings` } }}
        properties={properties}
        defaults={defaultsOf(doc, schemaName)}
        initial={initial}
        mode="edit"
        canWrite={can(permissions, 'sysService', 'Update')}
        submitLabel="Save settings"
        onSubmit={save}
        banner={problem && (typeof problem === 'string' ? <ErrorBanner>{problem}</ErrorBanner> : <SetErrorBanner error={problem} singularName="service" />)}
      />
    </section>
  );
}
