// Every TanStack Query key of the console, from one factory, so a mutation can
// invalidate everything about an object type by prefix.

export const keys = {
  schema: ['schema'] as const,
  account: ['account'] as const,
  object: (objectName: string) => ['jmap', objectName] as const,
  list: (objectName: string, args: Record<string, unknown>) => ['jmap', objectName, 'list', args] as const,
  record: (objectName: string, id: string) => ['jmap', objectName, 'record', id] as const,
  records: (objectName: string, ids: string[], properties?: string[]) => ['jmap', objectName, 'records', ids, properties] as const,
  search: (objectName: string, args: Record<string, unknown>) => ['jmap', objectName, 'search', args] as const,
};
