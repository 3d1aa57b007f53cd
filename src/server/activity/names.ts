// Names of the activity log (a Postern extension): the x:Activity records, the x:ActivityLog
// settings singleton, and what one recorded change says. Shared by the recorder, the
// retention clean-up and the object definitions (objects/activity.ts).

export const ACTIVITY = 'x:Activity';
export const ACTIVITY_LOG = 'x:ActivityLog';

export const DAY_MS = 24 * 60 * 60 * 1000;
/** How long entries are kept unless x:ActivityLog.retention says otherwise. */
export const DEFAULT_ACTIVITY_RETENTION_MS = 90 * DAY_MS;
export const MIN_ACTIVITY_RETENTION_MS = 60 * 60 * 1000;
export const MAX_ACTIVITY_RETENTION_MS = 3650 * DAY_MS;

export const ACTIVITY_VIAS = ['jmap', 'webadmin', 'cli'] as const;
export type ActivityVia = (typeof ACTIVITY_VIAS)[number];

export const ACTIVITY_ACTIONS = ['created', 'updated', 'destroyed'] as const;
export type ActivityAction = (typeof ACTIVITY_ACTIONS)[number];

/** Longest JSON text of one old or new value kept in `changes`; longer values are cut. */
export const MAX_VALUE_CHARS = 1000;
/** At most this many properties of one write carry their values in `changes`. */
export const MAX_CHANGED_WITH_VALUES = 100;
