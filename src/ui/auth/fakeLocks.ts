// Web Locks for unit tests: other tabs' locks can be added by hand, and exclusive
// requests of one name run one after another, as the browser's do.

import type { Locks } from './tabs';

export function fakeLocks(othersHolding: string[] = []) {
  const held: { name: string; mode: LockMode }[] = othersHolding.map((name) => ({ name, mode: 'shared' }));
  const queues = new Map<string, Promise<unknown>>();
  const request = (name: string, a: unknown, b?: unknown): Promise<unknown> => {
    const options = (typeof a === 'function' ? {} : a) as LockOptions;
    const fn = (typeof a === 'function' ? a : b) as (lock: Lock | null) => unknown;
    const mode = options.mode ?? 'exclusive';
    const entry = { name, mode };
    const run = async () => {
      held.push(entry);
      try {
        return await fn({ name, mode } as Lock);
      } finally {
        held.splice(held.indexOf(entry), 1);
      }
    };
    if (mode === 'shared') return run();
    const result = (queues.get(name) ?? Promise.resolve()).then(run);
    queues.set(name, result.catch(() => undefined));
    return result;
  };
  const locks = { request, query: async () => ({ held: held.map((h) => ({ ...h, clientId: 'x' })), pending: [] }) } as unknown as Locks;
  return { locks, held };
}
