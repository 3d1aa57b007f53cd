// Settings › Sieve › User interpreter: x:SieveUserInterpreter, Stalwart 0.16's singleton for
// the limits on users' own Sieve scripts, with the fields Pigeonhole (Dovecot's Sieve) can
// enforce: maxScriptSize and maxScripts as Stalwart means them, plus the Postern extension
// maxStorage (seed 002's global Sieve quota: bytes all of a user's scripts may take). A
// user's own byte quota is the Postern extension maxSieveStorage on x:UserAccount. Both
// reach Dovecot as userdb fields at each login (mail/sieveQuota.ts): no reload, no restart.
// Stalwart's other interpreter limits (nesting, variables, CPU cycles, vacation defaults…)
// are left out: Pigeonhole has no settings with their meaning, so they would do nothing.

import type { FieldsEntry, Property } from '../../shared/schema/types';
import { labelled, listPage } from './builders';
import type { ObjectDef } from './define';

export const SIEVE_INTERPRETER = 'x:SieveUserInterpreter';

/** Stalwart's default script size (100 kB). */
export const DEFAULT_MAX_SCRIPT_SIZE = 102_400;
export const DEFAULT_MAX_SCRIPTS = 100;

const bytes = (description: string, nullable: boolean): Property => ({
  description,
  type: { type: 'number', format: 'size', min: 1, ...(nullable ? { nullable: true } : {}) },
  update: 'mutable',
});

const fields: FieldsEntry = {
  properties: {
    maxScriptSize: bytes('Largest single Sieve script a user may upload', false),
    maxScripts: {
      description: 'Most Sieve scripts one account may keep; no limit when empty',
      type: { type: 'number', format: 'unsignedInteger', min: 1, nullable: true },
      update: 'mutable',
    },
    maxStorage: bytes(
      'Postern extension: bytes all of a user\u2019s Sieve scripts may take together (the default Sieve quota); no limit when empty. A user\u2019s own quota (maxSieveStorage) replaces it.',
      true,
    ),
  },
  defaults: { maxScriptSize: DEFAULT_MAX_SCRIPT_SIZE, maxScripts: DEFAULT_MAX_SCRIPTS, maxStorage: null },
};

/** Spread into x:UserAccount's properties (objects/accounts.ts). */
export const SIEVE_ACCOUNT_PROPERTIES = {
  maxSieveStorage: bytes(
    'Postern extension: bytes this user\u2019s Sieve scripts may take together; when empty the default of Settings \u203a Sieve applies (x:SieveUserInterpreter.maxStorage)',
    true,
  ),
} satisfies Record<string, Property>;

/** On the user form (objects/accounts.ts). */
export const SIEVE_FORM_SECTION = { title: 'Sieve', fields: labelled({ maxSieveStorage: 'Sieve quota' }) };

export const sieveUserInterpreter: ObjectDef = {
  name: SIEVE_INTERPRETER,
  description: 'Limits on the Sieve scripts users upload over ManageSieve, enforced by the mail store (Dovecot Pigeonhole).',
  permissionPrefix: 'sysSieveUserInterpreter',
  fields,
  singleton: { defaults: fields.defaults! },
  form: {
    title: 'Sieve user interpreter',
    subtitle: 'Limits on users\u2019 own Sieve scripts',
    sections: [{ title: 'Limits', fields: labelled({ maxScriptSize: 'Largest script', maxScripts: 'Scripts per account', maxStorage: 'Default Sieve quota' }) }],
  },
  list: listPage({
    title: 'Sieve user interpreter',
    subtitle: 'Limits on users\u2019 own Sieve scripts',
    singularName: 'setting', pluralName: 'Sieve settings',
    columns: labelled({ maxScriptSize: 'Largest script', maxScripts: 'Scripts per account', maxStorage: 'Default Sieve quota' }),
  }),
};
