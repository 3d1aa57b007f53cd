// What an import takes at most, and the rows of a file that are data: a browser holds the
// whole file, its preview and one request per batch, so a file is bounded in bytes and rows
// (split a bigger one). Blank lines and rows of empty cells (spreadsheets write them below
// the data) are not rows. A cell an export guarded against formula injection (a leading
// `'` before = + - @, a tab or a carriage return, see ../export/csv.ts) imports as it was.

import type { CsvRecord } from './csv';

/** 10 MiB: some tens of thousands of rows of accounts. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** Rows below the header line. */
export const MAX_ROWS = 10_000;

export function fileTooBig(bytes: number): boolean {
  return bytes > MAX_FILE_BYTES;
}

/** The records that hold something (the header among them), lines kept. */
export function dataRecords(records: CsvRecord[]): CsvRecord[] {
  return records.filter((r) => r.fields.some((f) => f.trim() !== ''));
}

/** A cell as written before an export's formula guard. */
export function unneutralize(text: string): string {
  return /^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}
