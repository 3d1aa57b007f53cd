// Hand-made panels shown beside the generated form of particular objects. Everything
// else in the console comes from the schema; this is the one place that names types.

import { createElement, lazy, Suspense, type ComponentType, type LazyExoticComponent } from 'react';
import type { Control } from 'react-hook-form';
import type { NavLink } from '../schema/nav';

export interface ExtraPanelProps {
  control: Control<Record<string, unknown>>;
  recordId: string | null;
}

/** Loaded with the form that shows it, so the shell (the first page) stays small. */
function lazyPanel(load: () => Promise<ComponentType<ExtraPanelProps>>): ComponentType<ExtraPanelProps> {
  const Panel = lazy(async () => ({ default: await load() }));
  return (props: ExtraPanelProps) => createElement(Suspense, { fallback: null }, createElement(Panel, props));
}

const panels: Record<string, ComponentType<ExtraPanelProps>> = {
  'x:Role': lazyPanel(async () => (await import('./roles/EffectivePermissions')).EffectivePermissions),
};

export function extraPanelFor(objectName: string): ComponentType<ExtraPanelProps> | undefined {
  return panels[objectName];
}

/** A whole page for a layout link `CustomComponent/<Name>`; `id` is the path segment after it. */
export interface CustomPageProps {
  link: NavLink;
  id: string | null;
}

interface CustomPage {
  component: LazyExoticComponent<ComponentType<CustomPageProps>>;
  /** The page is listed when the caller may read this object (`<prefix>Get`). */
  permissionPrefix: string;
}

const customPages: Record<string, CustomPage> = {
  'CustomComponent/Services': { component: lazy(() => import('./services/ServicesPage')), permissionPrefix: 'sysService' },
};

export function customPageFor(viewName: string): CustomPage | undefined {
  return customPages[viewName];
}
