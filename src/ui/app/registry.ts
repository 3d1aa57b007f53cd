// What the app shell registers with the generic console: the hand-made panels beside
// particular objects' forms (and any widget it swaps in), and the hand-made pages of
// layout links. The one place that names object types and features.

import { createElement, lazy, Suspense, type ComponentType, type LazyExoticComponent } from 'react';
import type { PanelProps, Registration } from '../forms/registry';
import type { CustomPageProps } from '../schema/nav';
import { ABOUT_PATH } from '../features/about/version';

/** Loaded with the form that shows it, so the shell (the first page) stays small. */
function lazyPanel(load: () => Promise<ComponentType<PanelProps>>): ComponentType<PanelProps> {
  const Panel = lazy(async () => ({ default: await load() }));
  return (props: PanelProps) => createElement(Suspense, { fallback: null }, createElement(Panel, props));
}

/** The same for the panel below every record's form. */
function lazyRecordPanel(load: () => Promise<ComponentType<RecordPanelProps>>): ComponentType<RecordPanelProps> {
  const Panel = lazy(async () => ({ default: await load() }));
  return (props: RecordPanelProps) => createElement(Suspense, { fallback: null }, createElement(Panel, props));
}
type RecordPanelProps = { objectName: string; recordId: string };

/** Widgets are not named here: each form adds the defaults, so they load with the first form. */
export const formRegistration: Registration = {
  panels: {
    'x:Role': lazyPanel(async () => (await import('../features/roles/EffectivePermissions')).EffectivePermissions),
    'x:Account': lazyPanel(async () => (await import('../features/tasks/ReindexAccount')).ReindexAccount),
    'x:MailRepository': lazyPanel(async () => (await import('../features/mail/RepositoryActions')).MailRepositoryActions),
    'x:RepositoryMail': lazyPanel(async () => (await import('../features/mail/RepositoryActions')).RepositoryMailActions),
    'x:Activity': lazyPanel(async () => (await import('../features/activity/ActivityPanel')).ActivityPanel),
  },
  // Every saved record's History (features/activity): it shows only where the server has x:Activity and the caller may read it.
  recordPanel: lazyRecordPanel(async () => (await import('../features/activity/RecordHistory')).RecordHistory),
};

/** Hand-made parts of the overview (health, tasks at work, queue); each shows only what the schema has. */
export const OverviewStatus = lazy(() => import('../features/health/Overview'));

/** The About page (features/about): at a fixed address outside the layouts, so every server has it; it makes its own breadcrumbs. */
export const aboutPage = { path: ABOUT_PATH, component: lazy(() => import('../features/about/AboutPage')) };

export interface CustomPage {
  /** The layout link's `viewName`. */
  viewName: string;
  component: LazyExoticComponent<ComponentType<CustomPageProps>>;
  /** The page is listed when the caller may read this object (its `permissionPrefix` + `Get`). */
  objectName: string;
}

export const customPages: CustomPage[] = [
  { viewName: 'CustomComponent/Services', component: lazy(() => import('../features/services/ServicesPage')), objectName: 'x:Service' },
  { viewName: 'CustomComponent/Tasks', component: lazy(() => import('../features/tasks/TasksPage')), objectName: 'x:Task' },
];
