// The pages of addresses that show no data: nothing there, a page this console lacks, or
// one the caller may not open.

import { Trans, useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageHeader } from '../lib/PageHeader';
import { useConsole } from '../schema/context';
import { paths, type Crumb, type NavLink } from '../schema/nav';
import { forbiddenWords } from './errorWords';

/** "Go to the overview." with its link, as one sentence of the language. */
function ToOverview() {
  return (
    <Trans ns="app" i18nKey="placeholders.toOverviewSentence" components={{ home: <Link to={paths.home()} /> }} />
  );
}

export function NotFound({ crumbs }: { crumbs: Crumb[] }) {
  const { t } = useTranslation('app');
  return (
    <>
      <PageHeader crumbs={crumbs} title={t('placeholders.notFoundTitle')} />
      <p>
        {t('placeholders.notFound')} <ToOverview />
      </p>
    </>
  );
}

/** A layout link to a view (or hand-made page) this console does not implement; its address still explains itself. */
export function Unavailable({ link, crumbs }: { link: NavLink; crumbs: Crumb[] }) {
  const { t } = useTranslation('app');
  return (
    <>
      <PageHeader crumbs={crumbs} title={link.name} />
      <p className="banner banner-info">{t('placeholders.unavailable')}</p>
    </>
  );
}

/** A page whose records the caller may not read: which permission it takes, by its label. */
export function Forbidden({ crumbs, permission }: { crumbs: Crumb[]; permission: string | undefined }) {
  const { t } = useTranslation('app');
  const { doc } = useConsole();
  const title = crumbs.at(-1)?.label ?? t('placeholders.thisPage');
  const { message, next } = forbiddenWords(doc, title, permission);
  return (
    <>
      <PageHeader crumbs={crumbs} title={title} />
      <div className="banner banner-error" role="alert">
        <div>
          {message} {next} <ToOverview />
        </div>
      </div>
    </>
  );
}
