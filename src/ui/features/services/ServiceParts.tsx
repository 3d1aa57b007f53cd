// Small pieces of a service's panel: its status badge, a live uptime, its facts.

import { useEffect, useState } from 'react';
import type { JmapRecord } from '../../jmap/types';
import { formatDateTime } from '../../schema/format';
import { formatPorts, formatUptime } from './format';

export function StatusBadge({ status, label }: { status: string; label: string }) {
  return <span className={`service-status service-status-${status}`}>{label}</span>;
}

export function Uptime({ since }: { since: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return <span title={`Since ${formatDateTime(since)}`}>{formatUptime(now - Date.parse(since))}</span>;
}

export function ServiceFacts({ service }: { service: JmapRecord }) {
  return (
    <dl className="service-facts">
      <div>
        <dt>Ports</dt>
        <dd>{formatPorts(service.ports) || '—'}</dd>
      </div>
      <div>
        <dt>Listen address</dt>
        <dd>{String(service.bindAddress ?? '')}</dd>
      </div>
      <div>
        <dt>Uptime</dt>
        <dd>{service.startedAt ? <Uptime since={String(service.startedAt)} /> : '—'}</dd>
      </div>
      <div>
        <dt>Process</dt>
        <dd>{service.pid ? `pid ${String(service.pid)}` : '—'}</dd>
      </div>
      <div>
        <dt>Start on boot</dt>
        <dd>{service.startOnBoot ? 'Yes' : 'No'}</dd>
      </div>
    </dl>
  );
}
