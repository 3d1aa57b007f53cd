// Instants as the console shows them everywhere: minutes, in UTC, saying so.

/** `2030-01-01T00:00:00Z` → `2030-01-01 00:00 UTC`; anything unreadable as it came. */
export function formatUtc(value: string): string {
  const t = Date.parse(value);
  if (Number.isNaN(t)) return value;
  return new Date(t).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}
