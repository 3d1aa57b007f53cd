// The nested unions of x:Account (Stalwart 0.16's shapes): `credentials` (Password and
// AppPassword), a user's `roles` (x:UserRoles: User, Admin, Custom{roleIds}), a group's
// (x:Roles: Default, Custom{roleIds}) and `permissions` (Inherit, Merge, Replace); and how credential secrets are kept: hashed by the /set engine, never returned
// (define.ts withoutSecrets), kept when a write leaves them out.

import type { SetError } from '../../shared/jmap/errors';
import { validationFailed } from '../../shared/jmap/errors';
import type { FieldsEntry, Form, SchemaEntry } from '../../shared/schema/types';
import { utcDateTime, type ValidationError } from '../../shared/schema/validate';
import { labelled } from './builders';

type Obj = Record<string, unknown>;

/** Passwords and app passwords one account may hold. */
export const MAX_CREDENTIALS = 20;

const secret = (what: string) => ({
  description: `${what}. Stored hashed and never returned: leave it empty to keep the current one.`,
  type: { type: 'string' as const, format: 'secret' as const, nullable: true, maxLength: 1024 },
  update: 'mutable' as const,
});
const expiresAt = {
  description: 'When it stops working; never when empty',
  type: { type: 'utcDateTime' as const, nullable: true },
  update: 'mutable' as const,
};
const credentialId = {
  description: 'Identifier of the credential, set by the server',
  type: { type: 'string' as const },
  update: 'serverSet' as const,
};

const permissionSet = (description: string) => ({
  description,
  type: { type: 'set' as const, class: { type: 'enum' as const, enumName: 'Permission' } },
  update: 'mutable' as const,
});

export const ACCOUNT_SCHEMAS: Record<string, SchemaEntry> = {
  'x:Credential': {
    type: 'multiple',
    variants: [
      { name: 'Password', label: 'Password', schemaName: 'x:PasswordCredential' },
      { name: 'AppPassword', label: 'App password (for one mail client)', schemaName: 'x:SecondaryCredential' },
    ],
  },
  'x:UserRoles': {
    type: 'multiple',
    variants: [
      { name: 'User', label: 'User' },
      { name: 'Admin', label: 'Administrator' },
      { name: 'Custom', label: 'Chosen roles', schemaName: 'x:CustomRoles' },
    ],
  },
  'x:Roles': {
    type: 'multiple',
    variants: [
      { name: 'Default', label: 'None of its own' },
      { name: 'Custom', label: 'Chosen roles', schemaName: 'x:CustomRoles' },
    ],
  },
  'x:Permissions': {
    type: 'multiple',
    variants: [
      { name: 'Inherit', label: 'Inherit from roles' },
      { name: 'Merge', label: 'Merge with roles', schemaName: 'x:PermissionsList' },
      { name: 'Replace', label: 'Replace roles', schemaName: 'x:PermissionsList' },
    ],
  },
};

export const ACCOUNT_FIELDS: Record<string, FieldsEntry> = {
  'x:PasswordCredential': {
    properties: { secret: secret('The password'), expiresAt, credentialId },
  },
  'x:SecondaryCredential': {
    properties: {
      description: { description: 'What the app password is for (a mail client, a phone)', type: { type: 'string', maxLength: 255 }, update: 'mutable' },
      secret: secret('The app password'),
      expiresAt,
      credentialId,
      createdAt: { description: 'When the app password was created', type: { type: 'utcDateTime' }, update: 'serverSet' },
    },
  },
  'x:CustomRoles': {
    properties: {
      roleIds: { description: 'Roles whose permissions the account has', type: { type: 'set', class: { type: 'objectId', objectName: 'x:Role' } }, update: 'mutable' },
    },
  },
  'x:PermissionsList': {
    properties: {
      enabledPermissions: permissionSet('Permissions granted on top of (Merge) or instead of (Replace) those of the roles'),
      disabledPermissions: permissionSet('Permissions taken away, whatever grants them'),
    },
  },
};

/** Forms of the nested schemas, by schema name. */
export const ACCOUNT_NESTED_FORMS: Record<string, Form> = {
  'x:PasswordCredential': { sections: [{ fields: labelled({ secret: 'Password', expiresAt: 'Expires' }) }] },
  'x:SecondaryCredential': { sections: [{ fields: labelled({ description: 'Application', secret: 'Password', expiresAt: 'Expires', createdAt: 'Created' }) }] },
  'x:CustomRoles': { sections: [{ fields: labelled({ roleIds: 'Custom roles' }) }] },
  'x:PermissionsList': { sections: [{ fields: labelled({ enabledPermissions: 'Enabled permissions', disabledPermissions: 'Disabled permissions' }) }] },
};

/**
 * Completes `next.credentials` in place before it is stored: a credential that names a
 * stored one (`credentialId`) and gives no secret keeps the stored hash (so a record read
 * back is a valid write); every credential gets its id, an app password its creation time.
 * A credential with no secret to keep is refused. New secrets are hashed by the /set engine
 * (jmap/set.ts hashSecrets), which bounds how many one request may set.
 */
export function completeCredentials(next: Obj, prev: Obj | null): SetError | null {
  if (next['@type'] !== 'User') return null;
  const before = new Map<string, Obj>();
  for (const c of Object.values((prev?.credentials as Obj | undefined) ?? {})) {
    const cred = c as Obj;
    if (typeof cred.credentialId === 'string') before.set(cred.credentialId, cred);
  }
  const items = Object.entries((next.credentials as Obj | undefined) ?? {}) as [string, Obj][];
  // Every login checks each secret: a bounded list keeps that cost (and its timing) small.
  if (items.length > MAX_CREDENTIALS) {
    return validationFailed([{ type: 'Invalid', property: 'credentials', description: `At most ${MAX_CREDENTIALS} passwords and app passwords per account` }]);
  }
  const used = [...before.keys(), ...items.map(([, c]) => c.credentialId)].map(Number).filter(Number.isSafeInteger);
  let nextId = used.length ? Math.max(...used) + 1 : 0;
  const errors: ValidationError[] = [];
  const out: Obj = {};
  for (const [k, c] of items) {
    const old = typeof c.credentialId === 'string' ? before.get(c.credentialId) : undefined;
    const same = old && old['@type'] === c['@type'] ? old : undefined;
    const item: Obj = { ...c };
    if (typeof item.secret !== 'string' || item.secret === '') {
      if (typeof same?.secret === 'string') item.secret = same.secret;
      else {
        const kind = c['@type'] === 'AppPassword' ? 'An app password' : 'A password credential';
        errors.push({ type: 'Required', property: `credentials/${k}/secret`, description: `${kind} needs a secret` });
        continue;
      }
    }
    item.credentialId = same ? same.credentialId : String(nextId++);
    if (c['@type'] === 'AppPassword') item.createdAt = same?.createdAt ?? utcDateTime();
    out[k] = item;
  }
  if (errors.length) return validationFailed(errors);
  next.credentials = out;
  return null;
}

/** Every stored secret hash of an account, in order: a change of any ends its sessions. */
export function secretHashes(account: Obj | null): string[] {
  return Object.values((account?.credentials as Obj | undefined) ?? {})
    .map((c) => (c as Obj).secret)
    .filter((s): s is string => typeof s === 'string')
    .sort();
}
