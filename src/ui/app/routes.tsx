// The console's pages as small objects, as Keycloak's admin UI declares its routes: the
// addresses each serves, its (lazy) component, its breadcrumbs and the access that lists
// it in the navigation. Addresses come from the schema's layouts; `paths` builds them.

import { lazy, type ComponentType, type ReactElement } from 'react';
import type { SchemaDocument } from '../../shared/schema/types';
import { i18n } from '../i18n/i18n';
import { matchPath, paths, trailCrumbs, type Crumb, type NavLink, type PageTarget } from '../schema/nav';
import { can, isActionObject, permissionName, resolveView, type ResolvedView, type Verb } from '../schema/resolve';
import { HomePage } from './HomePage';
import { Forbidden, NotFound, Unavailable } from './Placeholders';
import { aboutPage, customPages } from './registry';

const ListPage = lazy(() => import('../lists/ListPage'));
const RecordPage = lazy(() => import('../forms/RecordPage'));
const ActionPage = lazy(() => import('../forms/ActionPage'));

/** Where the person is: the path, and the layout link (and page of it) it names. */
export interface Address {
  pathname: string;
  target: PageTarget | undefined;
}

/** What the caller must hold to see a page in the navigation. */
export interface Access {
  prefix: string | undefined;
  verb: Verb;
}

interface ConsoleRoute<P extends { crumbs: Crumb[] }> {
  name: string;
  /** The page's props at this address, or undefined when the route does not serve it. */
  match: (at: Address, doc: SchemaDocument) => Omit<P, 'crumbs'> | undefined;
  component: ComponentType<P>;
  breadcrumb: (params: Omit<P, 'crumbs'>) => Crumb[];
  /** Null: never listed in the navigation (a record, a page this console lacks). */
  access: (params: Omit<P, 'crumbs'>, doc: SchemaDocument) => Access | null;
  /** A page remounts when its key changes, so a new record starts from a clean form. */
  key: (params: Omit<P, 'crumbs'>) => string;
}

/** A route with its props type closed over, so routes of different pages share one list. */
interface Route {
  name: string;
  resolve: (at: Address, doc: SchemaDocument) => { element: ReactElement; access: Access | null; crumbs: Crumb[]; key: string } | undefined;
}

function route<P extends { crumbs: Crumb[] }>(r: ConsoleRoute<P>): Route {
  return {
    name: r.name,
    resolve: (at, doc) => {
      const params = r.match(at, doc);
      if (!params) return undefined;
      const crumbs = r.breadcrumb(params);
      const props = { ...params, crumbs } as P;
      return { element: <r.component key={r.key(params)} {...props} />, access: r.access(params, doc), crumbs, key: r.key(params) };
    },
  };
}

/** The schema view a link shows, when this console has generated pages for it. */
function viewAt(at: Address, doc: SchemaDocument): { target: PageTarget; view: ResolvedView } | undefined {
  const view = at.target && resolveView(doc, at.target.link.viewName);
  return view && at.target && { target: at.target, view };
}

const linkKey = (p: { view: ResolvedView; id: string | null }) => `${p.view.viewName}/${p.id ?? 'new'}`;

/** In order: the first route that serves an address shows it. */
export const routes: Route[] = [
  route<{ crumbs: Crumb[] }>({
    name: 'home',
    match: (at) => (at.pathname === paths.home() ? {} : undefined),
    component: HomePage,
    breadcrumb: () => [{ label: i18n.t('app:home.title') }],
    access: () => null,
    key: () => 'home',
  }),
  route<{ crumbs: Crumb[] }>({
    name: 'about',
    match: (at) => (at.pathname === aboutPage.path ? {} : undefined),
    component: aboutPage.component,
    breadcrumb: () => [],
    access: () => null,
    key: () => 'about',
  }),
  ...customPages.map((page) =>
    route<{ link: NavLink; id: string | null; crumbs: Crumb[] }>({
      name: page.viewName,
      match: ({ target }) => (target?.link.viewName === page.viewName ? { link: target.link, id: target.page === 'record' ? target.id : null } : undefined),
      component: page.component,
      breadcrumb: ({ link }) => trailCrumbs(link),
      // A server without the page's object has nothing for it to show.
      access: (_, doc) => (doc.objects[page.objectName] ? { prefix: doc.objects[page.objectName].permissionPrefix, verb: 'Get' } : null),
      key: ({ link }) => link.path,
    }),
  ),
  route<{ link: NavLink; crumbs: Crumb[] }>({
    name: 'unavailable',
    match: (at, doc) => (at.target && !viewAt(at, doc) ? { link: at.target.link } : undefined),
    component: Unavailable,
    breadcrumb: ({ link }) => trailCrumbs(link),
    access: () => null,
    key: ({ link }) => link.path,
  }),
  // An object that is a command (no list: schema/resolve isActionObject): one page runs
  // each of its variants; `…/<variant>` opens on that one.
  route<{ link: NavLink; view: ResolvedView; id: string | null; crumbs: Crumb[] }>({
    name: 'action',
    match: (at, doc) => {
      const v = viewAt(at, doc);
      if (!v || !isActionObject(doc, v.view.objectName)) return undefined;
      return { link: v.target.link, view: v.view, id: v.target.page === 'record' ? v.target.id : null };
    },
    component: ActionPage,
    breadcrumb: ({ link }) => trailCrumbs(link),
    access: ({ view }) => ({ prefix: view.permissionPrefix, verb: 'Create' }),
    key: ({ link }) => link.path,
  }),
  route<{ link: NavLink; view: ResolvedView; id: string | null; crumbs: Crumb[] }>({
    name: 'singleton',
    match: (at, doc) => {
      const v = viewAt(at, doc);
      return v?.view.singleton ? { link: v.target.link, view: v.view, id: 'singleton' } : undefined;
    },
    component: RecordPage,
    breadcrumb: ({ link }) => trailCrumbs(link),
    access: ({ view }) => ({ prefix: view.permissionPrefix, verb: 'Get' }),
    key: linkKey,
  }),
  route<{ link: NavLink; view: ResolvedView; crumbs: Crumb[] }>({
    name: 'list',
    match: (at, doc) => {
      const v = viewAt(at, doc);
      return v?.target.page === 'list' ? { link: v.target.link, view: v.view } : undefined;
    },
    component: ListPage,
    breadcrumb: ({ link }) => trailCrumbs(link),
    access: ({ view }) => ({ prefix: view.permissionPrefix, verb: 'Query' }),
    key: ({ view }) => view.viewName,
  }),
  route<{ link: NavLink; view: ResolvedView; id: string | null; crumbs: Crumb[] }>({
    name: 'record',
    match: (at, doc) => {
      const v = viewAt(at, doc);
      if (v?.target.page === 'record') return { link: v.target.link, view: v.view, id: v.target.id };
      return v?.target.page === 'new' ? { link: v.target.link, view: v.view, id: null } : undefined;
    },
    component: RecordPage,
    breadcrumb: ({ link }) => trailCrumbs(link),
    access: () => null,
    key: linkKey,
  }),
  route<{ crumbs: Crumb[] }>({
    name: 'notFound',
    match: () => ({}),
    component: NotFound,
    breadcrumb: () => [{ label: i18n.t('app:home.title'), to: paths.home() }, { label: i18n.t('app:routes.notFound') }],
    access: () => null,
    key: () => 'notFound',
  }),
];

function resolveAddress(at: Address, doc: SchemaDocument) {
  for (const r of routes) {
    const hit = r.resolve(at, doc);
    if (hit) return hit;
  }
  throw new Error('unreachable: the last route serves every address');
}

/**
 * The page element for a path. Given the caller's permissions, a page they may not open
 * says so in words instead of asking the server and showing its refusal.
 */
export function pageAt(pathname: string, doc: SchemaDocument, links: NavLink[], permissions?: ReadonlySet<string>): ReactElement {
  const hit = resolveAddress({ pathname, target: matchPath(links, pathname) }, doc);
  const { access } = hit;
  if (permissions && access && !can(permissions, access.prefix, access.verb)) {
    return <Forbidden key={`forbidden:${hit.key}`} crumbs={hit.crumbs} permission={permissionName(access.prefix, access.verb)} />;
  }
  return hit.element;
}

/** What the caller needs to see a layout link in the navigation; null: never shown. */
export function accessOf(link: NavLink, doc: SchemaDocument): Access | null {
  return resolveAddress({ pathname: paths.list(link), target: { page: 'list', link } }, doc).access;
}
