// What the report lists, as data: each problem of a row not imported (line, column header,
// words: the server's own for what it refused), and those rows again as a CSV file.

import { columnOf } from './columns';
import { toCsv } from './csv';
import type { ImportOutcome } from './requests';
import { keyOf as key, type Checked } from './useImport';

export interface ReportLine {
  line: number;
  /** The header of the column the problem is in; undefined for the whole row. */
  field?: string;
  message: string;
}

/** Rows left out after the check, then rows the server refused on import, in file order. */
export function notImported(checked: Checked, outcome: ImportOutcome): ReportLine[] {
  const out: ReportLine[] = [];
  const header = (column: number) => (column >= 0 ? checked.plan.columns[column]?.header : undefined);
  for (const r of checked.rows) {
    for (const e of r.errors) out.push({ line: r.line, field: header(e.column), message: e.message });
    const refused = outcome.failed.get(key(r.line));
    if (!refused) continue;
    const paths = refused.validationErrors?.length ? refused.validationErrors.map((v) => v.property) : refused.properties ?? [];
    const columns = [...new Set(paths.map((p) => columnOf(checked.plan, p)))];
    const message = refused.description ?? refused.type;
    if (columns.length === 0) out.push({ line: r.line, message });
    for (const c of columns) out.push({ line: r.line, field: header(c), message });
  }
  return out;
}

/** The header line and every row not known to be created, as the file had them. */
export function csvReport(checked: Checked, outcome: ImportOutcome): string {
  const left = checked.rows.filter((r) => !outcome.created.has(key(r.line)));
  return toCsv([checked.header, ...left.map((r) => r.cells)]);
}
