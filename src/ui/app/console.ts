// What every page reads about the signed-in console: the schema, its links, and the
// navigation pruned to what the caller may open (as the routes' access says).

import type { SchemaDocument } from '../../shared/schema/types';
import type { Console } from '../schema/context';
import { buildNav, flattenLinks, pruneNav } from '../schema/nav';
import { can } from '../schema/resolve';
import { accessOf } from './routes';

export function consoleFor(doc: SchemaDocument, permissions: ReadonlySet<string>, edition?: string): Console {
  const full = buildNav(doc);
  // Hide pages the caller may not open, and pages this console does not implement.
  const nav = pruneNav(full, (link) => {
    const access = accessOf(link, doc);
    return !!access && can(permissions, access.prefix, access.verb);
  });
  return { doc, links: flattenLinks(full), nav, permissions, edition };
}
