// One supervised service: measured status and facts, start / stop / restart here, on
// one node or on all nodes, their progress, the nodes table and the settings form.

import { useTranslation } from 'react-i18next';
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

export function ServicePanel({ service, nodes }: { service: JmapRecord; nodes: JmapRecord[] }) {
  const { t } = useTranslation('services');
  const { doc, permissions } = useConsole();
  const name = String(service.generalName ?? service.id);
  const headingId = `svc-${service.id}`;
  const status = String(service.status ?? 'stopped');
  const statusLabel = enumLabel(doc, 'ServiceStatus', status);
  const actions = doc.objects[SERVICE_ACTION];
  const canAct = !!actions && can(permissions, actions.permissionPrefix, 'Create');
  const thisNode = nodes.find((n) => n.id === service.nodeId);
  const thisNodeName = String(thisNode?.hostname ?? t('panel.thisNode'));
  const { allNodes, setAllNodes, confirm, cancel, run, ask, running, action, finished, busy, requestError } = useServiceAction(service, nodes, thisNodeName);
  const stopping = confirm?.req.action === 'stop';

  const buttons = (nodeId: string | null, node?: string) =>
    (['start', 'stop', 'restart'] as const).map((a) => (
      <button
        key={a}
        type="button"
        className={a === 'stop' ? 'btn btn-small btn-danger-outline' : 'btn btn-small'}
        disabled={busy}
        onClick={() => ask(a, nodeId)}
        aria-label={node ? t(`verb.${a}.buttonOn`, { service: name, node }) : undefined}
      >
        {t(`verb.${a}.button`)}
      </button>
    ));

  return (
    <section className="panel service" aria-labelledby={headingId}>
      <div className="service-head">
        <h2 id={headingId}>{name}</h2>
        <StatusBadge status={status} label={statusLabel} />
      </div>
      <p className="muted service-sub">
        {t('panel.sub', { description: String(service.description ?? ''), name: String(service.name), software: String(service.software) })}
        {service.version ? ` ${String(service.version)}` : ''}
      </p>

      <ServiceFacts service={service} />

      {status === 'notInstalled' && (
        <div className="banner banner-info" role="note">
          <div>
            <strong>{t('panel.notInstalled', { software: String(service.software), node: thisNodeName })}</strong> {t('panel.installHint')}
            <pre className="command">{String(service.installHint ?? '')}</pre>
          </div>
        </div>
      )}
      {service.restartRequired === true && (
        <div className="banner banner-info" role="note">
          <div>{t('panel.restartRequired', { service: name })}</div>
          {canAct && (
            <button type="button" className="btn btn-small" disabled={busy} onClick={() => ask('restart')}>
              {t('panel.restartNow')}
            </button>
          )}
        </div>
      )}
      {typeof service.lastError === 'string' && service.lastError && status !== 'running' && (
        <details className="last-error" open>
          <summary>{t('panel.lastError')}</summary>
          <pre>{service.lastError}</pre>
        </details>
      )}

      {canAct && (
        <div className="service-actions" role="group" aria-label={t('panel.actionsGroup', { service: name })}>
          {buttons(null)}
          <button type="button" className="btn btn-small" disabled={busy} onClick={() => ask('status')}>
            {t('panel.checkStatus')}
          </button>
          <label className="all-nodes">
            <input type="checkbox" checked={allNodes} onChange={(e) => setAllNodes(e.target.checked)} disabled={busy} />
            {t('panel.allNodes')}
          </label>
        </div>
      )}

      <div aria-live="polite" className="action-progress">
        {busy && running && (
          <p className="status-line" role="status">
            <span className="spinner" aria-hidden="true" />
            {progressText(running.req.action, name, running.where)}
            {action.data?.state === 'pending' ? ` ${t('panel.queued')}` : ''}
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

      <h3>{t('panel.nodes')}</h3>
      <div className="table-wrap">
        <table className="table table-compact">
          <caption className="sr-only">{t('panel.nodesCaption', { service: name })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('panel.node')}</th>
              <th scope="col">{t('panel.status')}</th>
              <th scope="col">{t('panel.uptime')}</th>
              {canAct && <th scope="col">{t('panel.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {(nodes.length ? nodes : [{ id: String(service.nodeId ?? ''), hostname: thisNodeName }]).map((n) => {
              const here = n.id === service.nodeId;
              return (
                <tr key={n.id}>
                  <th scope="row">
                    {String(n.hostname)}
                    {here && <span className="muted"> {t('panel.thisServer')}</span>}
                  </th>
                  <td>{here ? <StatusBadge status={status} label={statusLabel} /> : <span className="muted">{t('panel.unreachable')}</span>}</td>
                  <td>{here && service.startedAt ? <Uptime since={String(service.startedAt)} /> : '—'}</td>
                  {canAct && <td className="row-actions">{buttons(n.id, String(n.hostname))}</td>}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      <ServiceSettings service={service} name={name} />

      <ConfirmDialog
        open={!!confirm}
        title={!confirm ? '' : stopping ? t('confirm.stopTitle', { service: name, where: confirm.where }) : t('confirm.restartTitle', { service: name, where: confirm.where })}
        confirmLabel={stopping ? t('confirm.stopLabel', { service: name }) : t('confirm.restartLabel', { service: name })}
        danger={stopping}
        onConfirm={() => confirm && void run(confirm.req)}
        onCancel={cancel}
      >
        <p>{stopping ? t('confirm.stopBody', { service: name, where: confirm?.where ?? '' }) : t('confirm.restartBody', { service: name, where: confirm?.where ?? '' })}</p>
      </ConfirmDialog>
    </section>
  );
}
