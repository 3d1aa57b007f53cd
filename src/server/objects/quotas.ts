// Mailbox quotas (issue 12): the limits an account, its domain and the server set, and the
// usage Dovecot reports, in Stalwart 0.16's shape where it has one.
//
// Encoding, the same at every level (x:Account.quotas, x:Domain.quotas, x:Email):
//   key absent / null  → not set: the next level decides (user → domain → global)
//   0                  → unlimited, whatever the levels below say
//   N > 0              → at most N messages (maxEmails) or N bytes (maxDiskQuota)
// Seed 002's `null` is "not set" and its `-1` is 0 here. With nothing set anywhere there
// is no limit. Dovecot enforces the resolved limits (mail/userdbExtras.ts); the usage
// comes back from Dovecot's quota_clone plugin (mail/quotaUsage.ts).
//
// The resolved limits and the occupation ratios are stored on each account (server-set,
// indexed), so lists filter and sort by how full mailboxes are without reading Dovecot.
// They are brought up to date with whatever changes them: in the same transaction for the
// account's own limits and its usage; in time-bounded slices right after the commit for a
// domain's or the global defaults (quotaRefresh.ts; thousands of accounts; Dovecot has the
// new limits at once anyway, since the userdb answer resolves them when asked). How limits
// resolve is quotaLevels.ts.

import type { Property } from '../../shared/schema/types';
import type { Store } from '../store/records';
import { labelled } from './builders';
import type { ObjectDef } from './define';
import { COUNT_KEY, domainLevels, EMAIL_SETTINGS, globalLevels, quotaValues, SIZE_KEY } from './quotaLevels';
import { globalQuotasWritten } from './quotaRefresh';

export { accountLevels, COUNT_KEY, domainLevels, globalLevels, quotaValues, resolve, SIZE_KEY, type Level, type Levels } from './quotaLevels';
export { accountQuotasWritten, domainQuotasWritten, onLimitsChanged, refreshSettled, resumeQuotaRefresh, rewriteAccount, scheduleRefresh, type LimitsChange } from './quotaRefresh';

type Obj = Record<string, unknown>;

export const STORAGE_QUOTA_ENUM = [
  { name: COUNT_KEY, label: 'Messages', explanation: 'How many messages the mailbox may hold', format: 'unsignedInteger' as const },
  { name: SIZE_KEY, label: 'Storage', explanation: 'How many bytes the mailbox may hold', format: 'size' as const },
];

const ENCODING = 'Not set (absent) means the next level decides; 0 means unlimited.';

const quotasProperty = (whose: string): Property => ({
  description: `${whose} ${ENCODING} Postern enforces maxEmails (messages) and maxDiskQuota (bytes) through Dovecot's quota plugin.`,
  type: { type: 'map', keyClass: { type: 'enum', enumName: 'StorageQuota' }, valueClass: { type: 'number', format: 'unsignedInteger', min: 0, unlimited: 0 } },
  update: 'mutable',
});

const serverSet = (description: string, format: 'size' | 'unsignedInteger' | 'float', nullable = false): Property => ({
  description,
  type: { type: 'number', format, ...(nullable ? { nullable: true } : {}), ...(format === 'float' ? { ratio: true } : {}) },
  update: 'serverSet',
});

/** Spread into x:UserAccount and x:GroupAccount. */
export const ACCOUNT_QUOTA_PROPERTIES = {
  quotas: quotasProperty('Limits of this account\u2019s mailbox, over its domain\u2019s defaults and the global ones.'),
  usedDiskQuota: serverSet('Bytes the mailbox holds, as Dovecot counts them (virtual sizes)', 'size'),
  usedEmails: serverSet('Postern extension: messages the mailbox holds, as Dovecot counts them', 'unsignedInteger'),
  computedMaxEmails: serverSet('Postern extension: the message limit that applies (the account\u2019s, else its domain\u2019s, else the global one); null when unlimited', 'unsignedInteger', true),
  computedMaxDiskQuota: serverSet('Postern extension: the storage limit in bytes that applies (the account\u2019s, else its domain\u2019s, else the global one); null when unlimited', 'size', true),
  occupationRatioCount: serverSet('Postern extension: messages used divided by the message limit (0 when unlimited; above 1 when over)', 'float'),
  occupationRatioSize: serverSet('Postern extension: bytes used divided by the storage limit (0 when unlimited; above 1 when over)', 'float'),
  occupationRatio: serverSet('Postern extension: the larger of the two occupation ratios; lists filter and sort on it', 'float'),
} satisfies Record<string, Property>;

export const DOMAIN_QUOTA_PROPERTIES = {
  quotas: quotasProperty('Postern extension: default limits for the mailboxes of this domain\u2019s accounts that set none of their own.'),
} satisfies Record<string, Property>;

/** Indexed on x:Account: the fullest mailboxes come first in one index walk. */
export const QUOTA_INDEXED = ['occupationRatio'];

export const QUOTA_FORM_SECTION = {
  title: 'Quotas',
  fields: labelled({
    quotas: 'Limits', usedDiskQuota: 'Storage used', usedEmails: 'Messages', computedMaxDiskQuota: 'Storage limit',
    computedMaxEmails: 'Message limit', occupationRatio: 'Occupation',
  }),
};

/** x:Email: global settings of mail storage, a singleton. Postern honours the two quota defaults. */
export const emailSettings: ObjectDef = {
  name: EMAIL_SETTINGS,
  description: 'Global mail storage settings: the default limits of every mailbox.',
  permissionPrefix: 'sysEmail',
  singleton: { defaults: {} },
  fields: {
    properties: {
      maxMessages: {
        description: `Default message limit of every mailbox. Postern: ${ENCODING}`,
        type: { type: 'number', format: 'unsignedInteger', min: 0, nullable: true, unlimited: 0 },
        update: 'mutable',
      },
      maxDiskQuota: {
        description: `Postern extension: default storage limit of every mailbox, in bytes. ${ENCODING}`,
        type: { type: 'number', format: 'size', min: 0, nullable: true, unlimited: 0 },
        update: 'mutable',
      },
    },
  },
  afterWrite(ctx, _id, next, prev) {
    if (!ctx.dryRun) globalQuotasWritten(ctx.store, next, prev); // a refresh of every account, after the commit
  },
  enums: { StorageQuota: STORAGE_QUOTA_ENUM },
  form: { title: 'Email', subtitle: 'Global mail storage settings', sections: [{ title: 'Default quotas', fields: labelled({ maxMessages: 'Messages', maxDiskQuota: 'Storage' }) }] },
  list: { title: 'Email', subtitle: 'Global mail storage settings', singularName: 'email setting', pluralName: 'email settings', columns: [] },
};

/**
 * Completes an account being written (its check hook): its resolved limits and ratios. The
 * sessions of a mailbox whose limits change end only once the write commits: see
 * quotaRefresh.ts accountQuotasWritten, called by the account's afterWrite.
 */
export function completeQuotaValues(store: Store, next: Obj): void {
  Object.assign(next, quotaValues(next, domainLevels(store, next.domainId), globalLevels(store)));
}
