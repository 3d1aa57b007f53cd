// Shown instead of everything else while the server refuses requests from this address.

import { useEffect, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { blockedResponse, type Blocked } from '../auth/blocked';
import { formatInstant } from '../i18n/format';
import { useAuth } from './auth';
import { BRAND } from './brand';

/** Where the schema's navigation keeps the blocks (its labels, as the server names them). */
const BLOCKED_IPS_PLACE = 'Settings › Security › Blocked IPs';

export function BlockedPage({ blocked }: { blocked: Blocked }) {
  const { t } = useTranslation('app');
  const { reportBlocked, clearBlocked } = useAuth();
  const [checking, setChecking] = useState(false);
  const [still, setStill] = useState(false);
  const address = blocked.address ?? t('blocked.yourAddress');
  const documentTitle = t('pageTitle', { title: t('blocked.pageTitle') });
  const byFailures = blocked.reason === 'authFailure' || !blocked.reason;

  useEffect(() => {
    document.title = documentTitle;
  }, [documentTitle]);

  async function retry() {
    setChecking(true);
    setStill(false);
    try {
      const res = await fetch('/healthz', { headers: { Accept: 'application/json' }, cache: 'no-store' });
      const again = await blockedResponse(res);
      if (again) {
        reportBlocked(again);
        setStill(true);
      } else {
        // The console comes back and reads everything again.
        clearBlocked();
      }
    } catch {
      setStill(true);
    } finally {
      setChecking(false);
    }
  }

  return (
    <main className="signin">
      <div className="signin-card blocked-card">
        <p className="brand brand-large" aria-hidden="true">{BRAND}</p>
        <h1>{t('blocked.title')}</h1>
        <p>
          {byFailures ? (
            <Trans t={t} i18nKey="blocked.refusesFailures" values={{ address }} components={{ strong: <strong /> }} />
          ) : (
            <Trans t={t} i18nKey="blocked.refusesReason" values={{ address, reason: blocked.reason }} components={{ strong: <strong /> }} />
          )}{' '}
          {blocked.expiresAt ? t('blocked.endsAt', { at: formatInstant(blocked.expiresAt) }) : t('blocked.endsOnItsOwn')}
        </p>
        <p>{t('blocked.remedies')}</p>
        <ul>
          <li>
            <Trans t={t} i18nKey="blocked.unblockIn" values={{ place: BLOCKED_IPS_PLACE }} components={{ strong: <strong /> }} />
          </li>
          <li>
            <Trans
              t={t}
              i18nKey="blocked.runCommand"
              values={{ command: `npm run unblock -- ${blocked.address ?? t('blocked.addressPlaceholder')}` }}
              components={{ code: <code /> }}
            />
          </li>
        </ul>
        {still && (
          <p className="banner banner-error" role="alert">
            {t('blocked.still')}
          </p>
        )}
        <button type="button" className="btn btn-primary btn-block" onClick={() => void retry()} disabled={checking}>
          {checking ? t('checking', { ns: 'common' }) : t('retry', { ns: 'common' })}
        </button>
      </div>
    </main>
  );
}
