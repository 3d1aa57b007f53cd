// What went wrong, in a person's words, and what to do next: an unreachable server is
// said to be one (not "Failed to fetch"), a failing one too, and anything the server
// refused keeps its own words. The shell adds the schema's words (ErrorWordsContext).

import { createContext } from 'react';
import { i18n } from '../i18n/i18n';
import { AuthError, browserOffline, HttpError, MethodError, UnreachableError } from '../jmap/types';

export interface Explained {
  message: string;
  /** What the person can do about it, when there is something. */
  next?: string;
}

/** fetch() rejects with a TypeError when no answer came (offline, server down, refused). */
function unreachable(e: unknown): boolean {
  return e instanceof TypeError && /fetch|network|load failed/i.test(e.message);
}

export function explainError(error: unknown, offline = browserOffline()): Explained {
  if (error instanceof TypeError && /dynamically imported module|importing a module script/i.test(error.message)) {
    return { message: i18n.t('app:errors.codeNotLoaded'), next: i18n.t('app:errors.reload') };
  }
  if (error instanceof UnreachableError) return { message: error.reason, next: error.next };
  if (unreachable(error)) {
    const e = new UnreachableError(offline);
    return { message: e.reason, next: e.next };
  }
  if (error instanceof AuthError) return { message: i18n.t('app:errors.sessionRejected'), next: i18n.t('app:errors.signInAgain') };
  if (error instanceof HttpError) {
    if (error.status === 502 || error.status === 503 || error.status === 504) {
      return { message: error.problem?.detail ?? i18n.t('app:errors.notAnswering', { status: error.status }), next: i18n.t('app:errors.waitThenRetry') };
    }
    if (error.status >= 500) {
      const detail = error.problem?.detail;
      const message = detail ? i18n.t('app:errors.failedToAnswerDetail', { status: error.status, detail }) : i18n.t('app:errors.failedToAnswer', { status: error.status });
      return { message, next: i18n.t('app:errors.retryThenLog') };
    }
    return { message: error.message };
  }
  if (error instanceof MethodError && error.type === 'serverFail') {
    return { message: i18n.t('app:errors.serverFailed', { message: error.message }), next: i18n.t('app:errors.retryThenLog') };
  }
  if (error instanceof Error) return { message: error.message };
  return { message: String(error) };
}

/**
 * Turns an error into the schema's words (a forbidden object by its title, the missing
 * permission by its label), or returns null to leave it to explainError.
 */
export type ErrorWords = (error: unknown) => Explained | null;

export const ErrorWordsContext = createContext<ErrorWords | null>(null);
