// The CSV writer of list exports (RFC 4180): one cell and one row at a time, so an export
// of many pages appends text chunks as they arrive instead of building one giant string.

/** A byte order mark first: spreadsheet tools (Excel) then read the file as UTF-8. */
export const CSV_BOM = '\uFEFF';

/** A plain number ("-12", "3.5") cannot run as a formula, and stays importable as a number. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * Formula injection (OWASP "CSV Injection"): a cell starting with = + - @, a tab or a
 * carriage return may be run as a formula by a spreadsheet, so it gets a leading `'`.
 */
export function neutralize(text: string): string {
  if (PLAIN_NUMBER.test(text)) return text;
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** One field: neutralized, then quoted when it holds a comma, a quote or a line break (quotes doubled). */
export function csvCell(text: string): string {
  const safe = neutralize(text);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One record, ended by CRLF as RFC 4180 asks. */
export function csvRow(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** Several records as one chunk of text. */
export function csvRows(rows: readonly (readonly string[])[]): string {
  return rows.map(csvRow).join('');
}
