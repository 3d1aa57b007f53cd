// One supervised service: measured status and facts, start / stop / restart here, on
// one node or on all nodes, their progress, the nodes table and the settings form.

import { ConfirmDialog } from '../../lib/ConfirmDialog';
import { ErrorBanner } from '../../lib/Status';
import type { JmapRecord } from '../../jmap/types';
import { useConsole } from '../../schema/context';
import { enumLabel } from '../../schema/format';
import { can } from '../../schema/resolve';
import { outcomeTitle, progressText } from './format';
import { SERVICE_ACTION } from './queries';
import { ServiceFacts, StatusBadge, Uptime } from './ServiceParts';
import { ServiceSettings } from './ServiceSettings';
import { useServiceAction } from './useServiceAction';

const capitalized = (s: string) => s[0].toUpperCase() + s.slice(1);

export function ServicePanel({ service, nodes }: { service: JmapRecord; nodes: JmapRecord[] }) {
  const { doc, permissions } = useConsole();
  const name = String(service.generalName ?? service.id);
  const headingId = `svc-${service.id}`;
  const status = String(service.status ?? 'stopped');
  const statusLabel = enumLabel(doc, 'ServiceStatus', status);
  const actions = doc.objects[SERVICE_ACTION];
  const canAct = !!actions && can(permissions, actions.permissionPrefix, 'Create');
  const thisNode = nodes.find((n) => n.id === service.nodeId);
  const thisNodeName = String(thisNode?.hostname ?? 'this node');
  const { allNodes, setAllNodes, confirm, cancel, run, ask, running, action, finished, busy, requestError } = useServiceAction(service, nodes, thisNodeName);

  const buttons = (nodeId: string | null, labelSuffix = '') =>
    (['start', 'stop', 'restart'] as const).map((a) => (
      <button
        key={a}
        type="button"
        className={a === 'stop' ? 'btn btn-small btn-danger-outline' : 'btn btn-small'}
        disabled={busy}
        onClick={() => ask(a, nodeId)}
        aria-label={labelSuffix ? `${capitalized(a)} ${name} ${labelSuffix}` : undefined}
      >
        {capitalized(a)}
      </button>
    ));

  return (
    <section className="panel service" aria-labelledby={headingId}>
      <div className="service-head">
        <h2 id={headingId}>{name}</h2>
        <StatusBadge status={status} label={statusLabel} />
      </div>
      <p className="muted service-sub">
        {String(service.description ?? '')} · service {String(service.name)} · {String(service.software)}
        {service.version ? ` ${String(service.version)}` : ''}
      </p>

      <ServiceFacts service={service} />

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
            {(nodes.length ? nodes : [{ id: String(service.nodeId ?? ''), hostname: thisNodeName }]).map((n) => {
              const here = n.id === service.nodeId;
              return (
                <tr key={n.id}>
                  <th scope="row">
                    {String(n.hostname)}
                    {here && <span className="muted"> (this server)</span>}
                  </th>
                  <td>{here ? <StatusBadge status={status} label={statusLabel} /> : <span className="muted">Not reachable from this server</span>}</td>
                  <td>{here && service.startedAt ? <Uptime since={String(service.startedAt)} /> : '—'}</td>
                  {canAct && <td className="row-actions">{buttons(n.id, `on ${String(n.hostname)}`)}</td>}
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
        onCancel={cancel}
      >
        <p>
          Mail clients connected to {name} {confirm?.where} are disconnected
          {confirm?.req.action === 'stop' ? ' and cannot connect until it is started again.' : ' and reconnect when it is back.'}
        </p>
      </ConfirmDialog>
    </section>
  );
}
