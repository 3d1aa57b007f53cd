// The loaded schema, its navigation links and the caller's permissions, for any page.

import { createContext, useContext } from 'react';
import type { SchemaDocument } from '../../shared/schema/types';
import type { NavLink } from './nav';

export interface Console {
  doc: SchemaDocument;
  links: NavLink[];
  permissions: ReadonlySet<string>;
}

export const ConsoleContext = createContext<Console | null>(null);

export function useConsole(): Console {
  const c = useContext(ConsoleContext);
  if (!c) throw new Error('useConsole outside the shell');
  return c;
}
