// The pages of addresses that show no data: nothing there, a page this console lacks, or
// one the caller may not open.

import { Link } from 'react-router';
import { PageHeader } from '../lib/PageHeader';
import { useConsole } from '../schema/context';
import { paths, type Crumb, type NavLink } from '../schema/nav';
import { forbiddenWords } from './errorWords';

export function NotFound({ crumbs }: { crumbs: Crumb[] }) {
  return (
    <>
      <PageHeader crumbs={crumbs} title="Page not found" />
      <p>
        There is no page at this address. <Link to={paths.home()}>Go to the overview</Link>.
      </p>
    </>
  );
}

/** A layout link to a view (or hand-made page) this console does not implement; its address still explains itself. */
export function Unavailable({ link, crumbs }: { link: NavLink; crumbs: Crumb[] }) {
  return (
    <>
      <PageHeader crumbs={crumbs} title={link.name} />
      <p className="banner banner-info">This page is not available in this console yet.</p>
    </>
  );
}

/** A page whose records the caller may not read: which permission it takes, by its label. */
export function Forbidden({ crumbs, permission }: { crumbs: Crumb[]; permission: string | undefined }) {
  const { doc } = useConsole();
  const title = crumbs.at(-1)?.label ?? 'This page';
  const { message, next } = forbiddenWords(doc, title, permission);
  return (
    <>
      <PageHeader crumbs={crumbs} title={title} />
      <div className="banner banner-error" role="alert">
        <div>
          {message} {next} <Link to={paths.home()}>Go to the overview</Link>.
        </div>
      </div>
    </>
  );
}
