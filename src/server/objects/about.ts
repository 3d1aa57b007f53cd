// x:ServerInfo, a Postern extension (Stalwart 0.16 publishes no object with its version;
// its GET /api/account names only the edition): one read-only record, id "singleton",
// saying what runs here: the server's name, version and edition, Node.js and SQLite, and
// the mail software Postern drives (Dovecot, Postfix, the Sieve and full-text search
// plugins) with its version or how to install what is missing. Nothing is stored: every
// value is read when the record is, the daemons' versions from the probe in about/probe.ts
// (run once, kept; a read waits for it at most a second, and before its first answer the
// record says the check is still running: daemonsCheckedAt null).

import type { FieldsEntry } from '../../shared/schema/types';
import { utcDateTime } from '../../shared/schema/validate';
import { daemonVersions, type DaemonInfo } from '../about/probe';
import { SERVER_EDITION, SERVER_NAME, SERVER_VERSION } from '../about/version';
import { labelled } from './builders';
import type { ObjectDef } from './define';

export const SERVER_INFO = 'x:ServerInfo';
const COMPONENT = 'x:ServerComponent';
/** Longest a read waits for the daemons' versions. */
const MAX_WAIT_MS = 1000;

const serverSet = (description: string, type: FieldsEntry['properties'][string]['type']) => ({ description, type, update: 'serverSet' }) as const;
const text = (nullable = false) => ({ type: 'string', format: 'string', ...(nullable ? { nullable: true } : {}) }) as const;

const COMPONENT_FIELDS: FieldsEntry = {
  properties: {
    key: serverSet('The software, by a fixed key: dovecot, postfix, pigeonhole, ftsXapian', text()),
    name: serverSet('The software\u2019s name', text()),
    role: serverSet('What Postern uses it for', text()),
    installed: serverSet('Whether this machine has it', { type: 'boolean' }),
    version: serverSet('Its version as the machine reports it (dovecot --version, postconf -d mail_version; a plugin\u2019s Debian package version); null when unknown', text(true)),
    package: serverSet('For a plugin without a version of its own: the Debian package whose version this is', text(true)),
    installHint: serverSet('How to install it, when it is missing', text(true)),
    problem: serverSet('Why the version is unknown although it is installed', text(true)),
  },
};

let sqliteVersion: string | null = null;
const startedAt = utcDateTime();

/** The daemons as an objectList value ({"0": …, "1": …}), or null while the first check runs. */
function daemonsValue(list: DaemonInfo[] | null): Record<string, DaemonInfo> | null {
  return list && Object.fromEntries(list.map((d, i) => [String(i), d]));
}

export const serverInfo: ObjectDef = {
  name: SERVER_INFO,
  description:
    'Postern extension: what runs here, read-only: the server\u2019s name, version and edition, Node.js and SQLite, ' +
    'and the mail software it drives with its version, or how to install it when it is missing.',
  permissionPrefix: 'sysServerInfo',
  singleton: { defaults: {} },
  clientVerbs: ['Get'],
  fields: {
    properties: {
      serverName: serverSet('The server software', text()),
      serverVersion: serverSet('Its version', text()),
      edition: serverSet('Its edition', text()),
      nodeVersion: serverSet('The Node.js version the server runs on', text()),
      sqliteVersion: serverSet('The SQLite version of its store', text(true)),
      startedAt: serverSet('When the server process started', { type: 'utcDateTime' }),
      daemons: serverSet('The mail software Postern drives, each with its version or how to install it', { type: 'objectList', objectName: COMPONENT }),
      daemonsCheckedAt: serverSet('When the daemons\u2019 versions were read; null while the first check still runs', { type: 'utcDateTime', nullable: true }),
    },
  },
  extraFields: { [COMPONENT]: COMPONENT_FIELDS },
  computed: {
    serverName: () => SERVER_NAME,
    serverVersion: () => SERVER_VERSION,
    edition: () => SERVER_EDITION,
    nodeVersion: () => process.versions.node,
    sqliteVersion: () => sqliteVersion,
    startedAt: () => startedAt,
    daemons: () => daemonsValue(daemonVersions.current().daemons) ?? {},
    daemonsCheckedAt: () => {
      const at = daemonVersions.current().checkedAt;
      return at === null ? null : utcDateTime(new Date(at));
    },
  },
  async refresh(ctx) {
    sqliteVersion ??= String(ctx.store.db.prepare('select sqlite_version()').pluck().get());
    await daemonVersions.refresh(MAX_WAIT_MS);
  },
  form: {
    title: 'About this server',
    sections: [
      { title: 'Server', fields: labelled({ serverName: 'Server', serverVersion: 'Version', edition: 'Edition', nodeVersion: 'Node.js', sqliteVersion: 'SQLite', startedAt: 'Started' }) },
      { title: 'Mail software', fields: labelled({ daemons: 'Daemons', daemonsCheckedAt: 'Checked' }) },
    ],
  },
  extraForms: {
    [COMPONENT]: { sections: [{ fields: labelled({ name: 'Name', role: 'Role', installed: 'Installed', version: 'Version', package: 'Package', installHint: 'Install with', problem: 'Problem' }) }] },
  },
  list: {
    title: 'About',
    subtitle: 'Versions of the server and its mail software',
    singularName: 'server information',
    pluralName: 'server information',
    columns: labelled({ serverName: 'Server', serverVersion: 'Version', edition: 'Edition' }),
  },
};
