// The mail software the server drives: one row each, with its version as the machine
// reports it, or "Not installed" and the command that installs it.

import { useTranslation } from 'react-i18next';
import { formatInstant } from '../../i18n/format';
import type { Daemon } from './model';

function Version({ d }: { d: Daemon }) {
  const { t } = useTranslation('about');
  if (!d.installed) {
    return (
      <>
        <strong>{t('daemons.notInstalled')}</strong>
        {d.installHint && <span className="about-hint">{t('daemons.installWith', { hint: d.installHint })}</span>}
      </>
    );
  }
  if (!d.version) {
    return (
      <>
        {t('daemons.versionUnknown')}
        {d.problem && <span className="about-hint">{d.problem}</span>}
      </>
    );
  }
  return (
    <>
      <code>{d.version}</code>
      {d.package && <span className="about-hint">{t('daemons.package', { name: d.package })}</span>}
    </>
  );
}

export function DaemonTable({ daemons, checkedAt }: { daemons: Daemon[]; checkedAt: string | null }) {
  const { t } = useTranslation('about');
  if (!daemons.length) return <p className="muted">{t('daemons.none')}</p>;
  return (
    <>
      <div className="table-wrap">
        <table className="table about-daemons">
          <caption className="sr-only">{t('daemons.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('daemons.name')}</th>
              <th scope="col">{t('daemons.version')}</th>
              <th scope="col">{t('daemons.role')}</th>
            </tr>
          </thead>
          <tbody>
            {daemons.map((d) => (
              <tr key={d.key} data-daemon={d.key}>
                <th scope="row">{d.name}</th>
                <td>
                  <Version d={d} />
                </td>
                <td>{d.role}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {checkedAt && <p className="muted about-checked">{t('daemons.checkedAt', { date: formatInstant(checkedAt) })}</p>}
    </>
  );
}
