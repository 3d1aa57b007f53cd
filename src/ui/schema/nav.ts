// The navigation tree from the schema's `layouts`, with a readable URL path per link.

import type { Layout, LayoutNode, SchemaDocument } from '../../shared/schema/types';

export interface NavLink {
  kind: 'link';
  name: string;
  path: string;
  viewName: string;
  /** Names from the layout down to this link, for breadcrumbs. */
  trail: string[];
  /** The schema's icon name (layouts and their first level have one), see app/icons.ts. */
  icon?: string;
}

export interface NavGroup {
  kind: 'group';
  name: string;
  path: string;
  children: NavNode[];
  icon?: string;
}

export type NavNode = NavLink | NavGroup;

export function slugify(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'page';
}

function fromNode(node: LayoutNode, base: string, trail: string[], icon?: string): NavNode {
  const path = `${base}/${slugify(node.name)}`;
  const marks = icon ? { icon } : {};
  if (node.type === 'link') return { kind: 'link', name: node.name, path, viewName: node.viewName, trail: [...trail, node.name], ...marks };
  return { kind: 'group', name: node.name, path, children: (node.items ?? []).map((c) => fromNode(c, path, [...trail, node.name])), ...marks };
}

/** Accepts both the typed item shape and Stalwart's `{type:'link'|'container', …}` inner shape. */
function normalize(item: Layout['items'][number]): LayoutNode {
  if ('link' in item) return { type: 'link', name: item.link.name, viewName: item.link.viewName };
  return { type: 'container', name: item.container.name, items: item.container.items };
}

function iconOf(item: Layout['items'][number]): string | undefined {
  return ('link' in item ? item.link.icon : item.container.icon) || undefined;
}

export function buildNav(doc: SchemaDocument): NavGroup[] {
  return doc.layouts.map((layout) => {
    const path = `/${slugify(layout.name)}`;
    return {
      kind: 'group',
      name: layout.name,
      path,
      children: layout.items.map((item) => fromNode(normalize(item), path, [layout.name], iconOf(item))),
      ...(layout.icon ? { icon: layout.icon } : {}),
    };
  });
}

export function flattenLinks(nodes: NavNode[]): NavLink[] {
  return nodes.flatMap((n) => (n.kind === 'link' ? [n] : flattenLinks(n.children)));
}

/** Removes links the filter rejects and groups left empty. */
export function pruneNav<T extends NavNode>(nodes: T[], keep: (link: NavLink) => boolean): T[] {
  const out: T[] = [];
  for (const n of nodes) {
    if (n.kind === 'link') {
      if (keep(n)) out.push(n);
    } else {
      const children = pruneNav(n.children, keep);
      if (children.length > 0) out.push({ ...n, children });
    }
  }
  return out;
}

export type PageTarget =
  | { page: 'list'; link: NavLink }
  | { page: 'record'; link: NavLink; id: string }
  | { page: 'new'; link: NavLink };

/**
 * Matches a URL path to a link (the longest link path that prefixes it); what follows
 * is `new` or a record id. Ids are URL-encoded segments.
 */
export function matchPath(links: NavLink[], pathname: string): PageTarget | undefined {
  const clean = pathname.replace(/\/+$/, '') || '/';
  let best: NavLink | undefined;
  for (const l of links) {
    if ((clean === l.path || clean.startsWith(l.path + '/')) && (!best || l.path.length > best.path.length)) best = l;
  }
  if (!best) return undefined;
  const rest = clean.slice(best.path.length).replace(/^\//, '');
  if (rest === '') return { page: 'list', link: best };
  if (rest.includes('/')) return undefined;
  if (rest === 'new') return { page: 'new', link: best };
  return { page: 'record', link: best, id: decodeURIComponent(rest) };
}

/** Typed link builders: the only place that knows how a link's pages are addressed. */
export const paths = {
  home: () => '/',
  list: (link: NavLink) => link.path,
  create: (link: NavLink) => `${link.path}/new`,
  record: (link: NavLink, id: string) => `${link.path}/${encodeURIComponent(id)}`,
  /** The list with one filter set (see lists/listState.ts for the `f.` keys). */
  filtered: (link: NavLink, field: string, value: string) => `${link.path}?f.${encodeURIComponent(field)}=${encodeURIComponent(value)}`,
};

export interface Crumb {
  label: string;
  to?: string;
}

/** The breadcrumbs of a link's pages: its trail, the last step leading to its list. */
export function trailCrumbs(link: NavLink): Crumb[] {
  return link.trail.map((label, i) => ({ label, to: i === link.trail.length - 1 ? paths.list(link) : undefined }));
}

/** What a hand-made page for a layout link (`CustomComponent/<Name>`) is handed. */
export interface CustomPageProps {
  link: NavLink;
  /** The path segment after the link's path, if any. */
  id: string | null;
  crumbs: Crumb[];
}

/** The first link showing `objectName` (directly or through a view), to link to its records. */
export function linkForObject(doc: SchemaDocument, links: NavLink[], objectName: string): NavLink | undefined {
  return (
    links.find((l) => l.viewName === objectName) ??
    links.find((l) => doc.objects[l.viewName]?.objectName === objectName)
  );
}
