// A list's CSV export: every record the current filter matches, in the list's sort, read
// page by page (/query and /get, position-based) and appended as CSV text chunks, with
// progress after each page and a way to stop. No page is one giant request.

import type { FieldType } from '../../../shared/schema/types';
import type { JmapClient } from '../../jmap/client';
import { fetchList } from '../../jmap/queries';
import type { Filter, Sort } from '../listState';
import { CSV_BOM, csvRow, csvRows } from './csv';
import { exportValue } from './values';

/** At most this many records per page, below the server's maxObjectsInGet when that is lower. */
export const EXPORT_PAGE = 500;

export interface ExportColumn { name: string; label: string; type?: FieldType }

export interface ExportRequest {
  objectName: string;
  filter?: Filter;
  sort?: Sort;
  /** Header and cells in this order; secrets already left out (values.ts). */
  columns: ExportColumn[];
}

export interface ExportOptions {
  pageSize: number;
  signal?: AbortSignal;
  onProgress?: (written: number, total: number | undefined) => void;
}

/** The file's name: `<type>-<YYYY-MM-DD>.csv`, the type without its `x:` and anything a file name cannot hold. */
export function exportFileName(typeName: string, now: Date): string {
  const type = typeName.replace(/^x:/, '').replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-|-$/g, '') || 'export';
  return `${type}-${now.toISOString().slice(0, 10)}.csv`;
}

/** The CSV text chunks of an export, the byte order mark and the header first; resolves with them and the row count. */
export async function exportCsv(client: JmapClient, request: ExportRequest, options: ExportOptions): Promise<{ chunks: string[]; rows: number }> {
  const { columns } = request;
  const chunks = [CSV_BOM, csvRow(columns.map((c) => c.label))];
  const properties = [...new Set(['id', ...columns.map((c) => c.name)])];
  let rows = 0;
  for (let position = 0; ; position += options.pageSize) {
    options.signal?.throwIfAborted();
    const page = await fetchList(client, request.objectName, {
      filter: request.filter, sort: request.sort ? [request.sort] : undefined, position, limit: options.pageSize, properties,
    });
    options.signal?.throwIfAborted();
    chunks.push(csvRows(page.records.map((r) => columns.map((c) => exportValue(c.type, r[c.name])))));
    rows += page.records.length;
    options.onProgress?.(rows, page.total);
    if (page.ids.length < options.pageSize || (page.total !== undefined && position + page.ids.length >= page.total)) return { chunks, rows };
  }
}
