// The overview's health: one line per component the server checks (x:HealthCheck), its
// status as the schema colours it, the cause, and what to do when it is not healthy,
// with the page the advice names as a link. Only where the schema has the type.

import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { JmapRecord } from '../../jmap/types';
import { useClient } from '../../jmap/context';
import { formatInstant } from '../../i18n/format';
import { Badge } from '../../lib/Badge';
import { ErrorBanner } from '../../lib/Status';
import { useFailure } from '../../lib/useFailure';
import { useConsole } from '../../schema/context';
import { linkForObject, paths } from '../../schema/nav';
import { enumLabel } from '../../schema/format';
import { can, labelPropertyOf, listProperties, resolveView } from '../../schema/resolve';
import { linkPages, summary, tally } from './model';
import { HEALTH, healthQueryOptions } from './queries';

const HEALTHY = 'healthy';

function Advice({ text }: { text: string }) {
  const { links } = useConsole();
  return (
    <>
      {linkPages(text, links).map((p, i) => (p.link ? <Link key={i} to={p.link.path}>{p.text}</Link> : <span key={i}>{p.text}</span>))}
    </>
  );
}

export function HealthChecks() {
  const { t } = useTranslation('health');
  const { doc, links, permissions } = useConsole();
  const client = useClient();
  const view = resolveView(doc, HEALTH);
  const allowed = !!view && can(permissions, view.permissionPrefix, 'Get');
  const checks = useQuery({ ...healthQueryOptions(client), enabled: allowed });
  const failure = useFailure(checks);
  if (!view || !allowed) return null;
  const properties = listProperties(doc, view);
  const status = properties.status?.type;
  const enumName = status?.type === 'enum' ? status.enumName : undefined;
  const labelProp = labelPropertyOf(doc, HEALTH);
  const nameOf = (r: JmapRecord) => String((labelProp && r[labelProp]) || r.id);
  const statusLabel = (s: string) => (enumName ? enumLabel(doc, enumName, s) : s);
  const valueOf = (s: string) => (enumName ? doc.enums[enumName]?.find((e) => e.name === s) : undefined);
  const list = checks.data?.list ?? [];
  const page = linkForObject(doc, links, HEALTH);

  return (
    <section className="card overview-card" aria-labelledby="overview-health">
      <h2 id="overview-health">{view.list?.title ?? t('checks.title')}</h2>
      {failure.error !== undefined ? (
        <ErrorBanner error={failure.error} retrying={failure.retrying} onRetry={() => void checks.refetch()} />
      ) : checks.isPending ? (
        <p className="muted">{t('checks.checking')}</p>
      ) : (
        <>
          <p className="health-summary" role="status">
            {summary(tally(list.map((r) => String(r.status))), HEALTHY, statusLabel)}
          </p>
          <ul className="health-list" aria-label={t('checks.components')}>
            {list.map((r) => {
              const s = String(r.status ?? '');
              const cause = typeof r.cause === 'string' && r.cause ? r.cause : null;
              const remedy = typeof r.remedy === 'string' && r.remedy ? r.remedy : null;
              return (
                <li key={r.id} className="health-item" data-status={s} aria-label={t('checks.item', { name: nameOf(r), status: statusLabel(s) })}>
                  <span className="health-name">{nameOf(r)}</span>
                  <Badge label={statusLabel(s)} color={valueOf(s)?.color ?? 'gray'} title={typeof r.changedAt === 'string' ? t('checks.since', { date: formatInstant(r.changedAt) }) : undefined} />
                  <span className="health-cause">{cause ?? <span className="muted">{valueOf(s)?.explanation}</span>}</span>
                  {s !== HEALTHY && remedy && (
                    <p className="health-advice">
                      <strong>{t('checks.whatToDo')}</strong> <Advice text={remedy} />
                    </p>
                  )}
                </li>
              );
            })}
          </ul>
          {page && (
            <p>
              <Link to={paths.list(page)}>{t('checks.all')}</Link>
            </p>
          )}
        </>
      )}
    </section>
  );
}
