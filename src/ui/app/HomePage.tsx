// The overview: the server's status at a glance (health, tasks at work, the queue: the
// hand-made part registry.ts names), the schema's dashboards (what each card measures),
// then every section of the console with its pages, to find things fast.

import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageHeader } from '../lib/PageHeader';
import { useConsole } from '../schema/context';
import { dashboardsOf, measureWords, metricLabel } from '../schema/dashboards';
import { enterpriseNote, enterpriseOnly } from '../schema/edition';
import { flattenLinks, type Crumb } from '../schema/nav';
import { OverviewStatus } from './registry';

function Dashboards() {
  const { t } = useTranslation('app');
  const { doc } = useConsole();
  const dashboards = dashboardsOf(doc);
  return (
    <>
      {dashboards.map((d) => (
        <section key={d.id} className="dashboard" aria-labelledby={`dash-${d.id}`}>
          <h2 id={`dash-${d.id}`}>{d.label}</h2>
          <ul className="cards dashboard-cards">
            {d.cards.map((c, i) => (
              <li key={`card-${i}`} className="card">
                <h3>{c.title}</h3>
                {c.description && <p className="muted">{c.description}</p>}
                <p>
                  {c.metrics.map((m) => metricLabel(doc, m)).join(', ')}
                  {measureWords(c) && <span className="muted"> ({measureWords(c)})</span>}
                </p>
              </li>
            ))}
            {d.charts.map((c, i) => (
              <li key={`chart-${i}`} className="card">
                <h3>{c.title}</h3>
                {c.description && <p className="muted">{c.description}</p>}
                <p>{c.series.map((s) => t('home.series', { label: s.label, metrics: s.metrics.map((m) => metricLabel(doc, m)).join(', ') })).join('; ')}</p>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}

export function HomePage({ crumbs }: { crumbs: Crumb[] }) {
  const { t } = useTranslation('app');
  const { nav, doc, edition } = useConsole();
  // Pages of enterprise-only objects, on an edition without them, say so beside their link.
  const enterprise = (viewName: string) => enterpriseOnly(doc, viewName, edition);
  return (
    <>
      <PageHeader crumbs={crumbs} title={t('home.title')} subtitle={t('home.subtitle')} />
      <Suspense fallback={null}>
        <OverviewStatus />
      </Suspense>
      <Dashboards />
      <div className="cards">
        {nav.map((layout) => (
          <section key={layout.path} className="card" aria-labelledby={`home-${layout.path.slice(1)}`}>
            <h2 id={`home-${layout.path.slice(1)}`}>{layout.name}</h2>
            <ul className="card-links">
              {flattenLinks(layout.children).map((l) => (
                <li key={l.path}>
                  <Link to={l.path}>{l.trail.slice(1).join(' › ')}</Link>
                  {enterprise(l.viewName) && <span className="field-note"> ({enterpriseNote()})</span>}
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </>
  );
}
