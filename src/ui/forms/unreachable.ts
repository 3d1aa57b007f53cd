// Whether a save failed because the server could not be reached (offline, or the server
// down or restarting), and the words for it: the form and its draft are kept either way.

import { i18n } from '../i18n/i18n';
import { HttpError } from '../jmap/types';

/** fetch rejects with a TypeError when no answer came at all; a proxy answers 502–504 for a server that is down. */
export function isUnreachable(e: unknown): boolean {
  if (typeof navigator !== 'undefined' && navigator.onLine === false) return true;
  if (e instanceof TypeError) return true;
  return e instanceof HttpError && (e.status === 502 || e.status === 503 || e.status === 504);
}

export function unreachableMessage(): string {
  return typeof navigator !== 'undefined' && navigator.onLine === false
    ? i18n.t('forms:unreachable.offline')
    : i18n.t('forms:unreachable.noAnswer');
}
