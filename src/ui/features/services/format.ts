// Words for the service page: uptime, ports, and what an action is doing, in the
// current language (read at call time). Pure but for the language, tested.

import { formatNumber } from '../../i18n/format';
import { i18n } from '../../i18n/i18n';
import { setMembers } from '../../lib/set';

/** 59 s · 5 min 3 s · 2 h 5 min · 3 d 4 h */
export function formatUptime(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86_400), h = Math.floor((s % 86_400) / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  const n = { d: formatNumber(d), h: String(h), m: String(m), s: String(sec) };
  if (d > 0) return i18n.t('services:uptime.days', n);
  if (h > 0) return i18n.t('services:uptime.hours', n);
  if (m > 0) return i18n.t('services:uptime.minutes', n);
  return i18n.t('services:uptime.seconds', n);
}

/** A set of port numbers `{"993":true,"143":true}` → `143, 993`. */
export function formatPorts(ports: unknown): string {
  return setMembers(ports).map(Number).filter(Number.isFinite).sort((a, b) => a - b).join(', ');
}

export type ServiceActionType = 'start' | 'stop' | 'restart' | 'status';

/** "Stopping IMAP on every node…" while an action runs (`where`: "on every node", "on mx1", already in words). */
export function progressText(action: ServiceActionType, service: string, where: string): string {
  return i18n.t(`services:verb.${action}.progress`, { service, where });
}

/** "Restart of IMAP on mx1 done" once it finished. */
export function outcomeTitle(action: ServiceActionType, service: string, where: string, ok: boolean): string {
  return ok ? i18n.t(`services:verb.${action}.done`, { service, where }) : i18n.t(`services:verb.${action}.failed`, { service, where });
}

/** "on every node" / "on mx1": where an action runs, for the words above. */
export function whereWords(allNodes: boolean, node: string): string {
  return allNodes ? i18n.t('services:where.everyNode') : i18n.t('services:where.on', { node });
}
