// What the command palette offers: every page of the navigation, matched here by name, and
// the list views whose records it searches on the server (those with a text filter).

import type { SchemaDocument } from '../../../shared/schema/types';
import { buildFilter, type Filter } from '../../lists/listState';
import { flattenLinks, paths, type NavGroup, type NavLink } from '../../schema/nav';
import { can, isActionObject, labelPropertyOf, resolveView } from '../../schema/resolve';

export interface PageEntry {
  link: NavLink;
  /** Where it sits: the trail above the link ("Management › Directory"). */
  where: string;
  to: string;
}

export interface SearchTarget {
  link: NavLink;
  /** The object whose /query and /get are called (the parent of a view). */
  objectName: string;
  /** The list's text filter the typed words go to. */
  field: string;
  labelProperty: string;
}

const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

/** Pages whose name or trail holds every typed word, names that start with the text first. */
export function matchPages(nav: NavGroup[], text: string, limit = 8): PageEntry[] {
  const words = fold(text).split(/\s+/).filter(Boolean);
  const entries = flattenLinks(nav).map((link) => ({ link, where: link.trail.slice(0, -1).join(' › '), to: paths.list(link) }));
  if (words.length === 0) return entries.slice(0, limit);
  const hits = entries.filter((e) => {
    const hay = fold(e.link.trail.join(' '));
    return words.every((w) => hay.includes(w));
  });
  const starts = (e: PageEntry) => (fold(e.link.name).startsWith(words[0]) ? 0 : 1);
  return hits.sort((a, b) => starts(a) - starts(b)).slice(0, limit);
}

/**
 * The list views of the navigation that can be searched by text: a list (not a singleton,
 * an action or a hand-made page) with a `text` filter, that the caller may read; the filter
 * on the label property is preferred, the records being found by name. Views
 * showing the same records (same object, same static filter) are searched once.
 */
export function searchTargets(doc: SchemaDocument, nav: NavGroup[], permissions: ReadonlySet<string>): SearchTarget[] {
  const seen = new Set<string>();
  const out: SearchTarget[] = [];
  for (const link of flattenLinks(nav)) {
    const view = resolveView(doc, link.viewName);
    if (!view?.list || view.singleton || isActionObject(doc, view.objectName)) continue;
    if (!can(permissions, view.permissionPrefix, 'Query') || !can(permissions, view.permissionPrefix, 'Get')) continue;
    const labelProperty = view.list.labelProperty ?? labelPropertyOf(doc, link.viewName);
    // By name: the text filter on the label when there is one (accounts: `name`, not `emailAddress`).
    const texts = (view.list.filters ?? []).filter((f) => f.type === 'text');
    const field = (texts.find((f) => f.field === labelProperty) ?? texts[0])?.field;
    if (!field || !labelProperty) continue;
    const same = `${view.objectName} ${JSON.stringify(view.list.filtersStatic ?? {})}`;
    if (seen.has(same)) continue;
    seen.add(same);
    out.push({ link, objectName: view.objectName, field, labelProperty });
  }
  return out;
}

/** The /query filter for the typed text: the list's own filter building, with its static part. */
export function searchFilter(doc: SchemaDocument, target: SearchTarget, text: string): Filter | undefined {
  return buildFilter(resolveView(doc, target.link.viewName)?.list, { [target.field]: text });
}
