// The schema's `dashboards` key, in the shape a Stalwart 0.16 server publishes it (its
// resources/schema/schema.json): a list of dashboards, each `{id, label, cards, charts}`.
// A card names server metrics (`metrics`: names such as `queue.count`), how they are
// combined (`aggregate`: sum, avg), where they come from (`source`: `live` for the value
// now, `history` for the period) and how to print them (`format`: number, bytes,
// duration); a chart names `series` of metrics. The schema says what to measure but not
// where the values are read from, so the console shows what each card measures.
// Anything not in this shape is left out.

import type { SchemaDocument } from '../../shared/schema/types';
import { i18n } from '../i18n/i18n';

export interface DashboardCard {
  title: string;
  description?: string;
  source?: string;
  metrics: string[];
  aggregate?: string;
  format?: string;
}

export interface DashboardChart {
  title: string;
  description?: string;
  kind?: string;
  series: { label: string; metrics: string[] }[];
}

export interface Dashboard {
  id: string;
  label: string;
  cards: DashboardCard[];
  charts: DashboardChart[];
}

type Raw = Record<string, unknown>;
const isObj = (v: unknown): v is Raw => !!v && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function card(v: unknown): DashboardCard | null {
  if (!isObj(v) || !str(v.title)) return null;
  return { title: str(v.title)!, description: str(v.description), source: str(v.source), metrics: strings(v.metrics), aggregate: str(v.aggregate), format: str(v.format) };
}

function chart(v: unknown): DashboardChart | null {
  if (!isObj(v) || !str(v.title)) return null;
  const series = (Array.isArray(v.series) ? v.series : []).flatMap((s) => (isObj(s) && str(s.label) ? [{ label: str(s.label)!, metrics: strings(s.metrics) }] : []));
  return { title: str(v.title)!, description: str(v.description), kind: str(v.kind), series };
}

export function dashboardsOf(doc: SchemaDocument): Dashboard[] {
  if (!Array.isArray(doc.dashboards)) return [];
  return doc.dashboards.flatMap((d, i) => {
    if (!isObj(d)) return [];
    const cards = (Array.isArray(d.cards) ? d.cards : []).map(card).filter((c): c is DashboardCard => !!c);
    const charts = (Array.isArray(d.charts) ? d.charts : []).map(chart).filter((c): c is DashboardChart => !!c);
    if (cards.length === 0 && charts.length === 0) return [];
    return [{ id: str(d.id) ?? `dashboard-${i}`, label: str(d.label) ?? str(d.id) ?? i18n.t('app:home.dashboard'), cards, charts }];
  });
}

/** A metric's words: the label of the enum value of that name (the schema lists its metrics as an enum), else the name. */
export function metricLabel(doc: SchemaDocument, metric: string): string {
  for (const values of Object.values(doc.enums)) {
    const hit = values.find((e) => e.name === metric);
    if (hit) return hit.label;
  }
  return metric;
}

const AGGREGATES = ['sum', 'avg', 'min', 'max'] as const;
const isAggregate = (a: string): a is (typeof AGGREGATES)[number] => (AGGREGATES as readonly string[]).includes(a);

/** How a card's metrics are combined and over when: "total over the period", "average now". */
export function measureWords(c: Pick<DashboardCard, 'aggregate' | 'source'>): string {
  const how = c.aggregate ? (isAggregate(c.aggregate) ? i18n.t(`app:measure.${c.aggregate}`) : c.aggregate) : undefined;
  const when = c.source === 'live' ? i18n.t('app:measure.now') : c.source === 'history' ? i18n.t('app:measure.period') : undefined;
  return how && when ? i18n.t('app:measure.both', { how, when }) : (how ?? when ?? '');
}
