// The pages of addresses that show no data: nothing there, or a page this console lacks.

import { Link } from 'react-router';
import { PageHeader } from '../lib/PageHeader';
import { paths, type Crumb, type NavLink } from '../schema/nav';

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
      <p className="banner banner-info">This page ({link.viewName}) is not available in this console yet.</p>
    </>
  );
}
