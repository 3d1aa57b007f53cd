// Words of the overview's health checks: pages a server's advice names become links
// ("Start it in Settings › Services › IMAP"), and a one-line summary of all checks.

import { formatNumber } from '../../i18n/format';
import { i18n } from '../../i18n/i18n';
import type { NavLink } from '../../schema/nav';

export type Piece = { text: string; link?: NavLink };

const SEP = ' \u203a ';

/**
 * The text cut where it names a page of the navigation by its trail ("Settings ›
 * Services"), each such piece carrying its link. Only whole trails of two names or more
 * are taken, longest first, so ordinary words never turn into links.
 */
export function linkPages(text: string, links: NavLink[]): Piece[] {
  const trails = links
    .filter((l) => l.trail.length >= 2)
    .map((l) => ({ words: l.trail.join(SEP), link: l }))
    .sort((a, b) => b.words.length - a.words.length);
  const out: Piece[] = [];
  let rest = text;
  while (rest) {
    let best: { at: number; words: string; link: NavLink } | null = null;
    for (const t of trails) {
      const at = rest.indexOf(t.words);
      if (at >= 0 && (!best || at < best.at)) best = { at, ...t };
    }
    if (!best) {
      out.push({ text: rest });
      break;
    }
    if (best.at > 0) out.push({ text: rest.slice(0, best.at) });
    out.push({ text: best.words, link: best.link });
    rest = rest.slice(best.at + best.words.length);
  }
  return out;
}

export interface Tally {
  total: number;
  /** By status name, in the order statuses first appear. */
  counts: Map<string, number>;
}

export function tally(statuses: string[]): Tally {
  const counts = new Map<string, number>();
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  return { total: statuses.length, counts };
}

/** "All 6 components are healthy" / "2 of 6 components need attention", in the current language (status labels as the server has them). */
export function summary(t: Tally, healthy: string, labelOf: (status: string) => string): string {
  if (t.total === 0) return i18n.t('health:summary.none');
  const fine = t.counts.get(healthy) ?? 0;
  if (fine === t.total) return i18n.t('health:summary.allFine', { count: t.total, status: labelOf(healthy).toLowerCase() });
  const parts = [...t.counts]
    .filter(([s]) => s !== healthy)
    .map(([s, n]) => i18n.t('health:summary.part', { count: formatNumber(n), status: labelOf(s).toLowerCase() }));
  return i18n.t('health:summary.attention', { count: t.total - fine, total: formatNumber(t.total), parts: parts.join(', ') });
}
