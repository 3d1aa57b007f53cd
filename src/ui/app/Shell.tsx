// The signed-in frame: top bar, collapsible sidebar, notices and progress, the guard for
// unsaved changes, and the providers every page reads (console, form registry, the
// schema's words for errors) around the page the URL points to.

import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { RegistrationContext } from '../forms/registry';
import { useAccount, useSchema } from '../jmap/queries';
import { useLiveUpdates } from '../jmap/live';
import { ErrorWordsContext } from '../lib/errors';
import { ProgressBar } from '../lib/progress';
import { ErrorBanner, Loading } from '../lib/Status';
import { useFailure } from '../lib/useFailure';
import { Toaster } from '../lib/toast';
import { confirmDiscard, SIGN_OUT_MESSAGE, useLeaveGuard } from '../lib/unsavedGuard';
import { ConsoleContext } from '../schema/context';
import { paths } from '../schema/nav';
import { useAuth } from './auth';
import { consoleFor } from './console';
import { CurrentPage } from './CurrentPage';
import { errorWords } from './errorWords';
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
  useLeaveGuard();

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
    () => (schema.data && account.data ? consoleFor(schema.data, account.data.permissionSet, account.data.edition) : undefined),
    [schema.data, account.data],
  );
  const schemaFailure = useFailure(schema);
  const accountFailure = useFailure(account);
  const words = useMemo(() => (schema.data ? errorWords(schema.data) : null), [schema.data]);

  let page;
  const failure = schemaFailure.error !== undefined ? schemaFailure : accountFailure;
  if (failure.error !== undefined) {
    page = <ErrorBanner error={failure.error} retrying={failure.retrying} onRetry={() => void (schema.refetch(), account.refetch())} />;
  } else if (!value) {
    page = <Loading label="Loading the console…" />;
  } else {
    page = <CurrentPage />;
  }

  return (
    <div className={navOpen ? 'app nav-open' : 'app'}>
      <ProgressBar />
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
        <button type="button" className="btn btn-ghost" onClick={() => confirmDiscard(SIGN_OUT_MESSAGE) && void signOut()}>
          Sign out
        </button>
      </header>
      <div className="frame">
        <nav id="sidebar" className="sidebar" aria-label="Main" hidden={!navOpen}>
          {value && <Sidebar nav={value.nav} doc={value.doc} edition={value.edition} />}
        </nav>
        {navOpen && <div className="scrim" aria-hidden="true" onClick={() => setNavOpen(false)} />}
        <main id="main" className="content" tabIndex={-1}>
          <ConsoleContext.Provider value={value ?? null}>
            <ErrorWordsContext.Provider value={words}>
              <RegistrationContext.Provider value={formRegistration}>{page}</RegistrationContext.Provider>
            </ErrorWordsContext.Provider>
          </ConsoleContext.Provider>
        </main>
      </div>
      <Toaster />
    </div>
  );
}
