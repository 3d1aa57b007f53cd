// The signed-in frame: top bar (search, language, dark mode), collapsible sidebar, the
// command palette, notices and progress, the guard for unsaved changes, and the providers
// every page reads (console, form registry, the schema's words for errors) around the
// page the URL points to.

import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { LogOut } from 'lucide-react';
import { useTranslation } from 'react-i18next';
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
import { usePaletteShortcut } from './palette/shortcut';
import { Sidebar } from './Sidebar';
import { DarkModeToggle, LanguageSelect, SearchButton } from './TopBarControls';
import { AboutLink } from '../features/about/AboutLink';

// The palette's code (and its catalogue) is its own chunk, fetched once the console is up, so
// Ctrl+K opens it at once and the letters typed right after land in it.
const CommandPalette = lazy(() => import('./palette/CommandPalette').then((m) => ({ default: m.CommandPalette })));

const WIDE = '(min-width: 900px)';

export function Shell() {
  const { t } = useTranslation('shell');
  const { username, signOut } = useAuth();
  const schema = useSchema();
  const account = useAccount();
  const location = useLocation();
  const [navOpen, setNavOpen] = useState(() => window.matchMedia(WIDE).matches);
  useLiveUpdates();
  useLeaveGuard();
  const [paletteOpen, setPaletteOpen] = useState(false);
  const togglePalette = useCallback(() => setPaletteOpen((open) => !open), []);
  usePaletteShortcut(togglePalette);

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
    page = <Loading label={t('loading')} />;
  } else {
    page = <CurrentPage />;
  }

  return (
    <div className={navOpen ? 'app nav-open' : 'app'}>
      <ProgressBar />
      <a className="skip-link" href="#main">
        {t('skip')}
      </a>
      <header className="topbar">
        <button type="button" className="icon-btn" aria-expanded={navOpen} aria-controls="sidebar" onClick={() => setNavOpen(!navOpen)}>
          <span className="hamburger" aria-hidden="true" />
          <span className="sr-only">{t('menu')}</span>
        </button>
        <Link to={paths.home()} className="brand">
          {t('brand')}
        </Link>
        {value && <SearchButton onClick={togglePalette} />}
        <span className="spacer" />
        <LanguageSelect />
        <DarkModeToggle />
        <AboutLink />
        <span className="user" aria-label={t('signedInAs')}>
          {account.data?.name ?? username}
        </span>
        <button type="button" className="btn btn-ghost" onClick={() => confirmDiscard(SIGN_OUT_MESSAGE) && void signOut()}>
          <LogOut aria-hidden="true" size={16} />
          <span className="topbar-label">{t('signOut')}</span>
        </button>
      </header>
      <div className="frame">
        <nav id="sidebar" className="sidebar" aria-label={t('navigation')} hidden={!navOpen}>
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
      {value && (
        <ConsoleContext.Provider value={value}>
          <Suspense fallback={null}>
            <CommandPalette open={paletteOpen} onClose={() => setPaletteOpen(false)} />
          </Suspense>
        </ConsoleContext.Provider>
      )}
      <Toaster />
    </div>
  );
}
