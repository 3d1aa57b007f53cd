// The registry a form hands down (as react-jsonschema-form does): the widget for each
// field type, and the hand-made panels the app shell registers beside particular
// objects' forms. Generic form code looks things up here and never imports a feature.
// The shell registers only what it adds (a Registration); each DynamicForm completes it
// with the default widgets, so the widgets load with the first form, not the first page.

import { createContext, useContext, type ComponentType } from 'react';
import type { Control } from 'react-hook-form';
import type { FieldType } from '../../shared/schema/types';

export interface WidgetProps<T extends FieldType = FieldType> {
  id: string;
  /** The property's name where there is one: a set of permissions named disabled… takes them away. */
  name?: string;
  label: string;
  type: T;
  value: unknown;
  onChange: (value: unknown) => void;
  onBlur?: () => void;
  readOnly?: boolean;
  required?: boolean;
  invalid?: boolean;
  describedBy?: string;
  placeholder?: string;
  keyLabel?: string;
  valueLabel?: string;
}

/** One widget per field type; the mapped type makes a missing one a compile error. */
export type WidgetRegistry = { [K in FieldType['type']]: ComponentType<WidgetProps<Extract<FieldType, { type: K }>>> };

/** The widget for `type`. Indexing the mapped registry by a union loses the pairing of name and props, so this one cast restores it. */
export function widgetFor(widgets: WidgetRegistry, type: FieldType): ComponentType<WidgetProps> {
  return widgets[type.type] as ComponentType<WidgetProps>;
}

/** A hand-made panel beside the generated form of one object type (a role's effective permissions). */
export interface PanelProps {
  control: Control<Record<string, unknown>>;
  recordId: string | null;
}

/** What a form hands down to its fields. */
export interface Registry {
  widgets: WidgetRegistry;
}

/** What the app shell registers: its hand-made panels, and any widgets it swaps in. */
export interface Registration {
  widgets?: Partial<WidgetRegistry>;
  /** By object name. */
  panels?: Readonly<Record<string, ComponentType<PanelProps>>>;
  /** Below every saved record's form, whatever its type (the activity log's History); it decides itself whether it shows. */
  recordPanel?: ComponentType<{ objectName: string; recordId: string }>;
}

export const RegistrationContext = createContext<Registration>({});

export function useRegistration(): Registration {
  return useContext(RegistrationContext);
}

/** The complete registry: the shell's registration over the given default widgets. */
export function completeRegistry(registration: Registration, defaults: WidgetRegistry): Registry {
  return { widgets: { ...defaults, ...registration.widgets } };
}

export const RegistryContext = createContext<Registry | null>(null);

export function useRegistry(): Registry {
  const r = useContext(RegistryContext);
  if (!r) throw new Error('useRegistry outside a form (DynamicForm provides the registry)');
  return r;
}
