// The signed-in frame: top bar, collapsible sidebar, and the page the URL points to.

import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { useAccount, useSchema } from '../jmap/queries';
import { useLiveUpdates } from '../jmap/live';
import { ErrorBanner, Loading } from '../lib/Status';
import { PageHeader } from '../lib/PageHeader';
import { ConsoleContext, type Console } from '../schema/context';
import { buildNav, flattenLinks, matchPath, pruneNav } from '../schema/nav';
import { can, resolveView } from '../schema/resolve';
import { useAuth } from './auth';
import { HomePage } from './HomePage';
import { customPageFor } from '../features/registry';
import { Sidebar } from './Sidebar';

const ListPage = lazy(() => import('../lists/ListPage'));
const RecordPage = lazy(() => import('../forms/RecordPage'));

const WIDE = '(min-width: 900px)';

export function Shell() {
  const { username, signOut } = useAuth();
  const schema = useSchema();
  const account = useAccount();
  const location = useLocation();
  const [navOpen, setNavOpen] = useState(() => window.matchMedia(WIDE).matches);
  useLiveUpdates();

  // On a phone the sidebar covers the page, so following a link closes it.
  useEffect(() => {
    if (!window.matchMedia(WIDE).matches) setNavOpen(false);
  }, [location.pathname]);

  // A new page takes the focus to its content, so keyboard and screen-reader users start
  // there rather than on <body> (not on the first page: the browser handles that).
  const firstPath = useRef(location.pathname);
  useEffect(() => {
    if (location.pathname === firstPath.current) return;
    firstPath.current = '';
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [location.pathname]);

  const value = useMemo((): (Console & { nav: ReturnType<typeof buildNav> }) | undefined => {
    if (!schema.data || !account.data) return undefined;
    const doc = schema.data;
    const permissions = account.data.permissionSet;
    // Hide pages the caller may not open, and hand-made pages (`CustomComponent/…`)
    // this console does not implement; their address still explains itself.
    const nav = pruneNav(buildNav(doc), (l) => {
      const custom = customPageFor(l.viewName);
      if (custom) return can(permissions, custom.permissionPrefix, 'Get');
      const v = resolveView(doc, l.viewName);
      return !!v && can(permissions, v.permissionPrefix, v.singleton ? 'Get' : 'Query');
    });
    return { doc, nav, links: flattenLinks(buildNav(doc)), permissions };
  }, [schema.data, account.data]);

  let page;
  if (schema.error || account.error) {
    page = <ErrorBanner error={schema.error ?? account.error} onRetry={() => void (schema.refetch(), account.refetch())} />;
  } else if (!value) {
    page = <Loading label="Loading the console…" />;
  } else if (location.pathname === '/') {
    page = <HomePage nav={value.nav} />;
  } else {
    const target = matchPath(value.links, location.pathname);
    const view = target && resolveView(value.doc, target.link.viewName);
    const Custom = target && customPageFor(target.link.viewName)?.component;
    if (!target) page = <NotFound />;
    else if (Custom) page = <Custom key={target.link.path} link={target.link} id={target.page === 'record' ? target.id : null} />;
    else if (!view) {
      page = (
        <>
          <PageHeader crumbs={target.link.trail.map((label) => ({ label }))} title={target.link.name} />
          <p className="banner banner-info">This page ({target.link.viewName}) is not available in this console yet.</p>
        </>
      );
    } else if (target.page === 'list' && !view.singleton) {
      page = <ListPage key={view.viewName} link={target.link} view={view} />;
    } else {
      const id = view.singleton ? 'singleton' : target.page === 'record' ? target.id : null;
      page = <RecordPage key={`${view.viewName}/${id ?? 'new'}`} link={target.link} view={view} id={id} />;
    }
  }

  return (
    <div className={navOpen ? 'app nav-open' : 'app'}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <button type="button" className="icon-btn" aria-expanded={navOpen} aria-controls="sidebar" onClick={() => setNavOpen(!navOpen)}>
          <span className="hamburger" aria-hidden="true" />
          <span className="sr-only">Navigation menu</span>
        </button>
        <Link to="/" className="brand">
          Postern
        </Link>
        <span className="spacer" />
        <span className="user" aria-label="Signed in as">
          {account.data?.name ?? username}
        </span>
        <button type="button" className="btn btn-ghost" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <div className="frame">
        <nav id="sidebar" className="sidebar" aria-label="Main" hidden={!navOpen}>
          {value && <Sidebar nav={value.nav} />}
        </nav>
        {navOpen && <div className="scrim" aria-hidden="true" onClick={() => setNavOpen(false)} />}
        <main id="main" className="content" tabIndex={-1}>
          <ConsoleContext.Provider value={value ?? null}>
            <Suspense fallback={<Loading />}>{page}</Suspense>
          </ConsoleContext.Provider>
        </main>
      </div>
    </div>
  );
}

function NotFound() {
  return (
    <>
      <PageHeader crumbs={[{ label: 'Overview', to: '/' }, { label: 'Not found' }]} title="Page not found" />
      <p>
        There is no page at this address. <Link to="/">Go to the overview</Link>.
      </p>
    </>
  );
}
