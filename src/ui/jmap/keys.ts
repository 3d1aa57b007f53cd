// Every TanStack Query key of the console, from one factory, so a mutation can
// invalidate everything about an object type by prefix.

export type QueryKey = readonly unknown[];

export const keys = {
  schema: ['schema'] as const,
  account: ['account'] as const,
  object: (objectName: string) => ['jmap', objectName] as const,
  list: (objectName: string, args: Record<string, unknown>) => ['jmap', objectName, 'list', args] as const,
  record: (objectName: string, id: string) => ['jmap', objectName, 'record', id] as const,
  records: (objectName: string, ids: string[], properties?: string[]) => ['jmap', objectName, 'records', ids, properties] as const,
  /** Every record of a type (`/get` with `ids: null`). */
  all: (objectName: string, properties?: string[]) => ['jmap', objectName, 'all', properties] as const,
  search: (objectName: string, args: Record<string, unknown>) => ['jmap', objectName, 'search', args] as const,
  /**
   * What a hand-made page reads about a type in its own way (a role's ancestors): still
   * under the type's prefix, so saves and push refresh it like the rest.
   */
  derived: (objectName: string, name: string, args: unknown) => ['jmap', objectName, name, args] as const,
};

/**
 * Whether a key is about one of these data types or their views (`x:Account/User` is
 * about `x:Account`): push names base types only.
 */
export function isAbout(key: QueryKey, types: Iterable<string>): boolean {
  const [root, objectName] = key;
  if (root !== 'jmap' || typeof objectName !== 'string') return false;
  for (const t of types) if (objectName === t || objectName.startsWith(`${t}/`)) return true;
  return false;
}
