// Small pieces of a service's panel: its status badge, a live uptime, its facts.

import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatInstant } from '../../i18n/format';
import type { JmapRecord } from '../../jmap/types';
import { formatPorts, formatUptime } from './format';

export function StatusBadge({ status, label }: { status: string; label: string }) {
  return <span className={`service-status service-status-${status}`}>{label}</span>;
}

export function Uptime({ since }: { since: string }) {
  const { t } = useTranslation('services');
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return <span title={t('facts.since', { date: formatInstant(since) })}>{formatUptime(now - Date.parse(since))}</span>;
}

export function ServiceFacts({ service }: { service: JmapRecord }) {
  const { t } = useTranslation('services');
  return (
    <dl className="service-facts">
      <div>
        <dt>{t('facts.ports')}</dt>
        <dd>{formatPorts(service.ports) || '—'}</dd>
      </div>
      <div>
        <dt>{t('facts.listen')}</dt>
        <dd>{String(service.bindAddress ?? '')}</dd>
      </div>
      <div>
        <dt>{t('facts.uptime')}</dt>
        <dd>{service.startedAt ? <Uptime since={String(service.startedAt)} /> : '—'}</dd>
      </div>
      <div>
        <dt>{t('facts.process')}</dt>
        <dd>{service.pid ? t('facts.pid', { pid: String(service.pid) }) : '—'}</dd>
      </div>
      <div>
        <dt>{t('facts.startOnBoot')}</dt>
        <dd>{service.startOnBoot ? t('facts.yes') : t('facts.no')}</dd>
      </div>
    </dl>
  );
}
