// Breadcrumbs, title, subtitle and page actions; also sets the document title.

import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Crumb } from '../schema/nav';

export function PageHeader({ crumbs, title, subtitle, actions }: { crumbs: Crumb[]; title: string; subtitle?: string; actions?: ReactNode }) {
  const { t } = useTranslation('app');
  const documentTitle = t('pageTitle', { title });
  useEffect(() => {
    document.title = documentTitle;
  }, [documentTitle]);
  return (
    <header className="page-header">
      <nav aria-label={t('breadcrumb')} className="breadcrumbs">
        <ol>
          {crumbs.map((c, i) => (
            <li key={i}>
              {c.to && i < crumbs.length - 1 ? <Link to={c.to}>{c.label}</Link> : <span aria-current={i === crumbs.length - 1 ? 'page' : undefined}>{c.label}</span>}
            </li>
          ))}
        </ol>
      </nav>
      <div className="page-title-row">
        <div>
          <h1>{title}</h1>
          {subtitle && <p className="subtitle">{subtitle}</p>}
        </div>
        {actions && <div className="page-actions">{actions}</div>}
      </div>
    </header>
  );
}
