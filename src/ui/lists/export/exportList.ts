// A list's CSV export: every record the current filter matches, in the list's sort, read
// page by page (/query and /get, position-based) and appended as CSV text chunks, with
// progress after each page and a way to stop. No page is one giant request.
// Position-based paging of a list that changes meanwhile can skip or repeat records: a
// record seen twice is written once, and a change of the query's state between pages is
// reported (`changed`), so the file is not taken for a complete snapshot.

import type { FieldType } from '../../../shared/schema/types';
import type { JmapClient } from '../../jmap/client';
import { fetchList } from '../../jmap/queries';
import { lastPage } from '../batches';
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

/** The CSV text chunks of an export, the byte order mark and the header first; resolves with them, the row count and whether the list changed meanwhile. */
export async function exportCsv(client: JmapClient, request: ExportRequest, options: ExportOptions): Promise<{ chunks: string[]; rows: number; changed: boolean }> {
  const { columns } = request;
  const chunks = [CSV_BOM, csvRow(columns.map((c) => c.label))];
  const properties = [...new Set(['id', ...columns.map((c) => c.name)])];
  const written = new Set<string>();
  let queryState: string | undefined;
  let changed = false;
  for (let position = 0; ; ) {
    options.signal?.throwIfAborted();
    const page = await fetchList(client, request.objectName, {
      filter: request.filter, sort: request.sort ? [request.sort] : undefined, position, limit: options.pageSize, properties,
    });
    options.signal?.throwIfAborted();
    if (position > 0 && page.queryState !== queryState) changed = true;
    queryState = page.queryState;
    const fresh = page.records.filter((r) => !written.has(r.id));
    for (const r of fresh) written.add(r.id);
    chunks.push(csvRows(fresh.map((r) => columns.map((c) => exportValue(c.type, r[c.name])))));
    options.onProgress?.(written.size, page.total);
    if (lastPage(position, page.ids.length, options.pageSize, page.total, page.limit)) return { chunks, rows: written.size, changed };
    position += page.ids.length;
  }
}
