// The loaded schema, its navigation and the caller's permissions, for any page.

import { createContext, useContext } from 'react';
import type { SchemaDocument } from '../../shared/schema/types';
import type { NavGroup, NavLink } from './nav';

export interface Console {
  doc: SchemaDocument;
  /** Every link of the layouts, to resolve addresses. */
  links: NavLink[];
  /** The navigation the caller sees: links they may open. */
  nav: NavGroup[];
  permissions: ReadonlySet<string>;
  /** The server's edition (GET /api/account): enterprise-only features are marked and disabled without it. */
  edition?: string;
}

export const ConsoleContext = createContext<Console | null>(null);

export function useConsole(): Console {
  const c = useContext(ConsoleContext);
  if (!c) throw new Error('useConsole outside the shell');
  return c;
}
