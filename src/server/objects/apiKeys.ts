// x:ApiKey: bearer tokens for scripts. The secret is shown once, in the /set created
// response, and stored only as a hash (the token's format and hash: auth/apiKeys.ts).

import { randomBytes } from 'node:crypto';
import { API_KEY_PREFIX, hashApiSecret } from '../auth/apiKeys';
import { ascending, labelled, listPage, textProperty } from './builders';
import type { ObjectDef } from './define';
import { utcDateTime } from '../../shared/schema/validate';

export const apiKey: ObjectDef = {
  name: 'x:ApiKey',
  description: 'An API key: a bearer token with which scripts act as the account that created it.',
  permissionPrefix: 'sysApiKey',
  fields: {
    properties: {
      description: textProperty('What the key is for', 'mutable', { maxLength: 255 }),
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
  // Another account's keys act with that account's rights: only those who hold them all see them.
  ownerProperty: 'accountId',
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
    sections: [{ fields: labelled({ description: 'Description', expiresAt: 'Expires at', accountId: 'Acts as', createdAt: 'Created at' }) }],
  },
  list: listPage({
    title: 'API keys',
    subtitle: 'Bearer tokens for scripts; delete a key to revoke it',
    singularName: 'API key', pluralName: 'API keys',
    labelProperty: 'description',
    columns: labelled({ description: 'Description', accountId: 'Acts as', createdAt: 'Created', expiresAt: 'Expires' }),
    filters: [{ type: 'text', field: 'description', label: 'Description' }],
    sort: ascending('description'),
  }),
};
