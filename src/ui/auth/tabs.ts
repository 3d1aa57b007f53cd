// The tabs of one browser that have the console open, through Web Locks: each holds a
// shared lock while it lives, marks (in its own sessionStorage) the session it uses, and
// takes an exclusive lock to refresh tokens, so only one tab at a time rotates them.

const TABS_LOCK = 'postern.tabs';
const REFRESH_LOCK = 'postern.token-refresh';
const MARK = 'postern.tab-session';

export type Locks = Pick<LockManager, 'request' | 'query'>;

/** Web Locks exist in secure contexts (https, localhost) of current browsers. */
export function webLocks(): Locks | null {
  return typeof navigator !== 'undefined' && navigator.locks ? navigator.locks : null;
}

/**
 * Where the session is kept. Tabs share it only where they can take turns refreshing it
 * (a second refresh with a rotated token would end the session); elsewhere, as on a
 * console reached over plain http, each tab keeps its own.
 */
export function sessionStore(locks = webLocks()): Storage {
  return locks ? localStorage : sessionStorage;
}

let announced = false;

/** From now until the tab closes, other tabs can see that a console is open here. */
export function announceTab(locks = webLocks()): void {
  if (announced || !locks) return;
  announced = true;
  void locks.request(TABS_LOCK, { mode: 'shared' }, () => new Promise<never>(() => {}));
}

/** Whether another tab has the console open (call before announceTab, which counts this one). */
export async function otherTabOpen(locks = webLocks()): Promise<boolean> {
  if (!locks) return true;
  const { held = [] } = await locks.query();
  return held.some((l) => l.name === TABS_LOCK);
}

/** The session this tab signed in with or took over; a reload keeps it, a new tab has none. */
export function tabSession(storage: Storage = sessionStorage): string | null {
  return storage.getItem(MARK);
}

export function markTabSession(sessionId: string | null, storage: Storage = sessionStorage): void {
  if (sessionId) storage.setItem(MARK, sessionId);
  else storage.removeItem(MARK);
}

/** Runs `fn` while no other tab of this browser refreshes tokens. */
export function oneTabAtATime<T>(fn: () => Promise<T>, locks = webLocks()): Promise<T> {
  // request() resolves with what the callback's promise resolves to (its typing nests it).
  return locks ? (locks.request(REFRESH_LOCK, fn) as unknown as Promise<T>) : fn();
}
