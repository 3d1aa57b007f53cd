// What the About page reads from x:ServerInfo (a Postern extension; a server without it,
// such as Stalwart, gets the page without these parts), and the plain-text summary it
// copies for a bug report.

import type { JmapRecord } from '../../jmap/types';

export const SERVER_INFO = 'x:ServerInfo';

export interface Daemon {
  key: string;
  name: string;
  role: string | null;
  installed: boolean;
  version: string | null;
  package: string | null;
  installHint: string | null;
  problem: string | null;
}

export interface ServerInfo {
  serverName: string | null;
  serverVersion: string | null;
  edition: string | null;
  nodeVersion: string | null;
  sqliteVersion: string | null;
  startedAt: string | null;
  /** Null while the server still reads them. */
  daemons: Daemon[] | null;
  daemonsCheckedAt: string | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

function daemon(v: unknown): Daemon | null {
  if (!v || typeof v !== 'object') return null;
  const d = v as Record<string, unknown>;
  const name = str(d.name);
  if (!name) return null;
  return {
    key: str(d.key) ?? name, name, role: str(d.role), installed: d.installed === true,
    version: str(d.version), package: str(d.package), installHint: str(d.installHint), problem: str(d.problem),
  };
}

/** The record as the page shows it; objectList values arrive keyed "0", "1", … */
export function readServerInfo(r: JmapRecord): ServerInfo {
  const checkedAt = str(r.daemonsCheckedAt);
  const raw = r.daemons && typeof r.daemons === 'object' ? Object.entries(r.daemons as Record<string, unknown>) : [];
  const daemons = raw.sort(([a], [b]) => Number(a) - Number(b)).map(([, v]) => daemon(v)).filter((d): d is Daemon => d !== null);
  return {
    serverName: str(r.serverName), serverVersion: str(r.serverVersion), edition: str(r.edition), nodeVersion: str(r.nodeVersion),
    sqliteVersion: str(r.sqliteVersion), startedAt: str(r.startedAt), daemons: checkedAt ? daemons : null, daemonsCheckedAt: checkedAt,
  };
}

/** Lines of `label: value` for a bug report, in the words the page shows; empty values left out. */
export function reportText(rows: [string, string | null | undefined][]): string {
  return rows.filter(([, v]) => v).map(([k, v]) => `${k}: ${v}`).join('\n');
}
