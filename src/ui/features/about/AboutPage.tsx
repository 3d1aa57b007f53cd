// The About page: the console's version, the server's (name, version, edition, Node.js,
// SQLite: x:ServerInfo, a Postern extension), the mail software it drives with versions
// or how to install what is missing, links to the documentation, and a summary to copy
// into a bug report. On a server without x:ServerInfo (Stalwart) it shows what it can:
// the console, the feature set the server names (GET /api/account), and the links.

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useClient } from '../../jmap/context';
import type { GetResponse } from '../../jmap/types';
import { keys } from '../../jmap/keys';
import { formatInstant } from '../../i18n/format';
import { currentLanguage } from '../../i18n/i18n';
import { LANGUAGES } from '../../i18n/namespaces';
import { PageHeader } from '../../lib/PageHeader';
import { ErrorBanner } from '../../lib/Status';
import { showToast } from '../../lib/toast';
import { useFailure } from '../../lib/useFailure';
import { useConsole } from '../../schema/context';
import { paths } from '../../schema/nav';
import { can, permissionName } from '../../schema/resolve';
import { DaemonTable } from './DaemonTable';
import { readServerInfo, reportText, SERVER_INFO, type ServerInfo } from './model';
import { CONSOLE_VERSION } from './version';
import './about.css';

const HELP = [
  { key: 'stalwart', href: 'https://stalw.art/docs' },
  { key: 'james', href: 'https://james.apache.org/server/manage-webadmin.html' },
  { key: 'dovecot', href: 'https://doc.dovecot.org/' },
  { key: 'postfix', href: 'https://www.postfix.org/documentation.html' },
] as const;

function useServerInfo() {
  const client = useClient();
  const { doc, permissions } = useConsole();
  const prefix = doc.objects[SERVER_INFO]?.permissionPrefix;
  const present = !!doc.objects[SERVER_INFO];
  const allowed = present && can(permissions, prefix, 'Get');
  const query = useQuery({
    queryKey: keys.record(SERVER_INFO, 'singleton'),
    queryFn: async () => {
      const r = await client.call<GetResponse>(`${SERVER_INFO}/get`, { ids: ['singleton'] });
      return r.list[0] ? readServerInfo(r.list[0]) : null;
    },
    enabled: allowed,
    // The daemons' versions are read once by the server; until then ask again each second.
    refetchInterval: (q) => (q.state.data && q.state.data.daemons === null ? 1000 : false),
  });
  return { present, allowed, permission: permissionName(prefix, 'Get'), query };
}

function Fact({ term, value }: { term: string; value: string | null | undefined }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{value}</dd>
    </div>
  );
}

export default function AboutPage() {
  const { t } = useTranslation('about');
  const { edition } = useConsole();
  const { present, allowed, permission, query } = useServerInfo();
  const failure = useFailure(query);
  const [copyFailed, setCopyFailed] = useState(false);
  const info: ServerInfo | null | undefined = query.data;
  const crumbs = [{ label: t('overview'), to: paths.home() }, { label: t('title') }];
  const language = LANGUAGES.find((l) => l.code === currentLanguage())?.label ?? currentLanguage();
  const editionWords = edition === 'oss' || edition === 'community' || edition === 'enterprise' ? t(`editions.${edition}`) : edition ?? t('editions.none');
  const consoleVersion = CONSOLE_VERSION ?? t('server.unknown');

  const report = reportText([
    [t('console.version'), consoleVersion],
    [t('server.name'), info?.serverName],
    [t('server.version'), info?.serverVersion],
    [t('server.edition'), info?.edition],
    [t('server.featureSet'), editionWords],
    [t('server.node'), info?.nodeVersion],
    [t('server.sqlite'), info?.sqliteVersion],
    ...(info?.daemons ?? []).map((d): [string, string] => [d.name, d.version ?? (d.installed ? t('daemons.versionUnknown') : t('daemons.notInstalled'))]),
    [t('console.language'), language],
    [t('console.browser'), navigator.userAgent],
  ]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(report);
      setCopyFailed(false);
      showToast(t('copy.done'));
    } catch {
      setCopyFailed(true);
      showToast(t('copy.failed'));
    }
  };

  return (
    <div className="about">
      <PageHeader
        crumbs={crumbs}
        title={t('title')}
        subtitle={t('subtitle')}
        actions={
          <button type="button" className="btn" onClick={() => void copy()}>
            {t('copy.button')}
          </button>
        }
      />
      <section className="card about-card" aria-labelledby="about-console">
        <h2 id="about-console">{t('console.title')}</h2>
        <dl className="about-facts">
          <Fact term={t('console.version')} value={consoleVersion} />
          <Fact term={t('console.language')} value={language} />
        </dl>
      </section>

      <section className="card about-card" aria-labelledby="about-server">
        <h2 id="about-server">{t('server.title')}</h2>
        {!present && <p className="muted">{t('server.unpublished')}</p>}
        {present && !allowed && <p className="muted">{t('server.forbidden', { permission })}</p>}
        {failure.error !== undefined && <ErrorBanner error={failure.error} retrying={failure.retrying} onRetry={() => void query.refetch()} />}
        <dl className="about-facts">
          {info && (
            <>
              <Fact term={t('server.name')} value={info.serverName} />
              <Fact term={t('server.version')} value={info.serverVersion ?? t('server.unknown')} />
              <Fact term={t('server.edition')} value={info.edition} />
            </>
          )}
          <Fact term={t('server.featureSet')} value={editionWords} />
          {info && (
            <>
              <Fact term={t('server.node')} value={info.nodeVersion} />
              <Fact term={t('server.sqlite')} value={info.sqliteVersion ?? t('server.unknown')} />
              {info.startedAt && <Fact term={t('server.started')} value={formatInstant(info.startedAt)} />}
            </>
          )}
        </dl>
      </section>

      {info && (
        <section className="card about-card" aria-labelledby="about-daemons">
          <h2 id="about-daemons">{t('daemons.title')}</h2>
          {info.daemons === null ? (
            <p className="muted" role="status">
              {t('daemons.checking')}
            </p>
          ) : (
            <DaemonTable daemons={info.daemons} checkedAt={info.daemonsCheckedAt} />
          )}
        </section>
      )}

      <section className="card about-card" aria-labelledby="about-help">
        <h2 id="about-help">{t('help.title')}</h2>
        <p>{t('help.intro')}</p>
        <ul className="about-links">
          {HELP.map((h) => (
            <li key={h.key}>
              <a href={h.href} rel="noreferrer">
                {t(`help.${h.key}`)}
              </a>
            </li>
          ))}
        </ul>
      </section>

      <details className="card about-card about-report" open={copyFailed}>
        <summary>{t('copy.heading')}</summary>
        <pre>{report}</pre>
      </details>
    </div>
  );
}
