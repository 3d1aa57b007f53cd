// The overview: every section of the console with its pages, to find things fast.

import { Link } from 'react-router';
import { PageHeader } from '../lib/PageHeader';
import { useConsole } from '../schema/context';
import { flattenLinks, type Crumb } from '../schema/nav';

export function HomePage({ crumbs }: { crumbs: Crumb[] }) {
  const { nav } = useConsole();
  return (
    <>
      <PageHeader crumbs={crumbs} title="Overview" subtitle="Every area of the server you can manage." />
      <div className="cards">
        {nav.map((layout) => (
          <section key={layout.path} className="card" aria-labelledby={`home-${layout.path.slice(1)}`}>
            <h2 id={`home-${layout.path.slice(1)}`}>{layout.name}</h2>
            <ul className="card-links">
              {flattenLinks(layout.children).map((l) => (
                <li key={l.path}>
                  <Link to={l.path}>{l.trail.slice(1).join(' › ')}</Link>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </>
  );
}
