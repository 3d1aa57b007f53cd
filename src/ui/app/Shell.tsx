// The signed-in frame: top bar, collapsible sidebar, and the providers every page reads
// (console, form registry) around the page the URL points to.

import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { RegistrationContext } from '../forms/registry';
import { useAccount, useSchema } from '../jmap/queries';
import { useLiveUpdates } from '../jmap/live';
import { ErrorBanner, Loading } from '../lib/Status';
import { ConsoleContext } from '../schema/context';
import { paths } from '../schema/nav';
import { useAuth } from './auth';
import { consoleFor } from './console';
import { CurrentPage } from './CurrentPage';
import { formRegistration } from './registry';
import { Sidebar } from './Sidebar';

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

  const value = useMemo(
    () => (schema.data && account.data ? consoleFor(schema.data, account.data.permissionSet) : undefined),
    [schema.data, account.data],
  );

  let page;
  if (schema.error || account.error) {
    page = <ErrorBanner error={schema.error ?? account.error} onRetry={() => void (schema.refetch(), account.refetch())} />;
  } else if (!value) {
    page = <Loading label="Loading the console…" />;
  } else {
    page = <CurrentPage />;
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
        <Link to={paths.home()} className="brand">
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
            <RegistrationContext.Provider value={formRegistration}>{page}</RegistrationContext.Provider>
          </ConsoleContext.Provider>
        </main>
      </div>
    </div>
  );
}
