// Instants as the console shows them everywhere: minutes, in UTC, saying so, in the
// console's language (i18n/format.ts).

import { formatInstant } from '../i18n/format';

/** `2030-01-01T00:00:00Z` → `Jan 1, 2030, 00:00 UTC` (en-US), `01.01.2030, 00:00 UTC` (de); anything unreadable as it came. */
export function formatUtc(value: string): string {
  return formatInstant(value);
}
