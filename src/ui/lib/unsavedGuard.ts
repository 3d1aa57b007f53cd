// Asks before unsaved changes are lost: a form with edits says so here, and one guard in
// the shell asks before any in-app navigation (links, Back and Forward: the router's
// blocker), sign-out asks through hasUnsavedChanges, and closing or reloading the tab gets
// the browser's own question (beforeunload).

import { useCallback, useEffect, useRef } from 'react';
import { useBlocker, type BlockerFunction } from 'react-router';
import { i18n } from '../i18n/i18n';

/** Which question to ask (its words are in the console's language): leaving the page, or signing out. */
export type DiscardQuestion = 'leave' | 'signOut';
export const LEAVE_MESSAGE: DiscardQuestion = 'leave';
export const SIGN_OUT_MESSAGE: DiscardQuestion = 'signOut';

/** The words of a question, as window.confirm shows them. */
export function discardQuestion(question: DiscardQuestion): string {
  return i18n.t(`app:unsaved.${question}`);
}

/** The forms on screen that have edits, each with what to do once the person lets them go. */
const dirty = new Map<symbol, () => void>();

export function hasUnsavedChanges(): boolean {
  return dirty.size > 0;
}

/** The person chose to lose the edits: each form forgets them (its draft, say). */
function discardAll(): void {
  for (const discard of [...dirty.values()]) discard();
}

/** Asks the person (window.confirm) when there are unsaved changes; true: go ahead. */
export function confirmDiscard(question: DiscardQuestion = LEAVE_MESSAGE): boolean {
  if (!hasUnsavedChanges()) return true;
  if (!window.confirm(discardQuestion(question))) return false;
  discardAll();
  return true;
}

function onBeforeUnload(e: BeforeUnloadEvent): void {
  e.preventDefault();
  // Older browsers ask only when returnValue is set.
  e.returnValue = '';
}

/**
 * A form calls this with whether it has unsaved edits; `onDiscard` runs when the person
 * answers that they may be lost (to drop a kept draft, so "lose them" holds).
 */
export function useUnsavedChangesGuard(when: boolean, onDiscard?: () => void): void {
  const discard = useRef(onDiscard);
  useEffect(() => {
    discard.current = onDiscard;
  });
  useEffect(() => {
    if (!when) return;
    const me = Symbol('unsaved form');
    dirty.set(me, () => discard.current?.());
    if (dirty.size === 1) window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      dirty.delete(me);
      if (dirty.size === 0) window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }, [when]);
}

/**
 * The one blocker of the shell's router (a router supports one). It stops moves to another
 * page, new entries and Back/Forward alike; a replace is the app's own redirect (after a
 * record was created or deleted) and passes.
 */
export function useLeaveGuard(): void {
  const shouldBlock = useCallback<BlockerFunction>(
    ({ currentLocation, nextLocation, historyAction }) =>
      historyAction !== 'REPLACE' &&
      hasUnsavedChanges() &&
      (currentLocation.pathname !== nextLocation.pathname || currentLocation.search !== nextLocation.search),
    [],
  );
  const blocker = useBlocker(shouldBlock);
  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    if (window.confirm(discardQuestion(LEAVE_MESSAGE))) {
      discardAll();
      blocker.proceed();
    } else blocker.reset();
  }, [blocker]);
}
