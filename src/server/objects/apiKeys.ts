// x:ApiKey: bearer tokens for scripts. The secret is shown once, in the /set created
// response, and stored only as a SHA-256 hash (keys are 256 random bits, so a slow hash adds nothing).

import { createHash, randomBytes } from 'node:crypto';
import { DEFAULT_ITEM_ACTIONS, DEFAULT_MASS_ACTIONS, type ObjectDef } from './define';
import { utcDateTime } from '../../shared/schema/validate';

export const API_KEY_PREFIX = 'pst_';

export function hashApiSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

/** `pst_<id>_<secret>` → its parts, or null. */
export function parseApiKey(token: string): { id: string; secret: string } | null {
  const m = /^pst_([A-Za-z0-9]{1,64})_([A-Za-z0-9_-]{20,200})$/.exec(token);
  return m ? { id: m[1], secret: m[2] } : null;
}

export const apiKey: ObjectDef = {
  name: 'x:ApiKey',
  description: 'An API key: a bearer token with which scripts act as the account that created it.',
  permissionPrefix: 'sysApiKey',
  fields: {
    properties: {
      description: {
        description: 'What the key is for',
        type: { type: 'string', format: 'string', maxLength: 255 },
        update: 'mutable',
      },
      accountId: {
        description: 'The account the key acts as (whoever created it)',
        type: { type: 'objectId', objectName: 'x:Account' },
        update: 'serverSet',
      },
      secret: {
        description: 'The key itself. Shown once, when the key is created; only a hash is stored.',
        type: { type: 'string', format: 'secret' },
        update: 'serverSet',
      },
      createdAt: { description: 'When the key was created', type: { type: 'utcDateTime' }, update: 'serverSet' },
      expiresAt: {
        description: 'When the key stops working; never when empty',
        type: { type: 'utcDateTime', nullable: true },
        update: 'mutable',
      },
    },
  },
  indexed: ['accountId', 'description'],
  onCreate(value, ctx, id) {
    const secret = randomBytes(32).toString('base64url');
    value.accountId = ctx.caller.accountId;
    value.secret = hashApiSecret(secret);
    value.createdAt = utcDateTime();
    return { secret: `${API_KEY_PREFIX}${id}_${secret}` };
  },
  form: {
    title: 'API key',
    subtitle: 'Use it as "Authorization: Bearer <key>". The key is shown only once, right after you create it.',
    sections: [
      {
        fields: [
          { name: 'description', label: 'Description' },
          { name: 'expiresAt', label: 'Expires at' },
          { name: 'accountId', label: 'Acts as' },
          { name: 'createdAt', label: 'Created at' },
        ],
      },
    ],
  },
  list: {
    title: 'API keys',
    subtitle: 'Bearer tokens for scripts; delete a key to revoke it',
    singularName: 'API key',
    pluralName: 'API keys',
    labelProperty: 'description',
    columns: [
      { name: 'description', label: 'Description' },
      { name: 'accountId', label: 'Acts as' },
      { name: 'createdAt', label: 'Created' },
      { name: 'expiresAt', label: 'Expires' },
    ],
    filters: [{ type: 'text', field: 'description', label: 'Description' }],
    sort: [{ property: 'description', isAscending: true }],
    itemActions: DEFAULT_ITEM_ACTIONS,
    massActions: DEFAULT_MASS_ACTIONS,
  },
};
