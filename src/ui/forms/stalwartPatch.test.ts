// Saving Stalwart-shaped records: secrets are never echoed back and sent only when typed,
// object lists of unions are patched item by item, and a record switched to another
// variant (a union-typed singleton's backend) sends its new type whole.

import { describe, expect, it } from 'vitest';
import { stalwartTestSchema as doc } from '../schema/stalwartTestSchema';
import { withoutSecrets } from './drafts';
import { buildPatch } from './patch';
import { validateValue } from './validate';
import { carryOver, hideSecrets, isSecretPath } from './values';

const user = doc.fields['x:UserAccount'].properties;
const credentials = user.credentials.type;
const stored = {
  '@type': 'User', name: 'alice', description: 'Alice',
  credentials: { '0': { '@type': 'Password', secret: '$argon2id$hash', otpAuth: 'otpauth://totp/x?secret=AB', expiresAt: null, credentialId: 'c1' } },
  roles: { '@type': 'User' }, quotas: { maxEmails: 10 },
};

describe('secrets', () => {
  it('never go into a draft, however deep they sit', () => {
    const typed = { ...stored, credentials: { '0': { ...stored.credentials['0'], secret: 'Hunter2!' }, '1': { '@type': 'AppPassword', description: 'new', secret: 'typed-too' } } };
    const kept = withoutSecrets(doc, user, typed, hideSecrets(doc, user, stored));
    expect(JSON.stringify(kept)).not.toMatch(/Hunter2!|typed-too/);
    expect((kept.credentials as Record<string, Record<string, unknown>>)['1'].description).toBe('new');
  });

  it('are blanked wherever they sit, whatever the server sent', () => {
    const shown = hideSecrets(doc, user, stored);
    expect(shown.credentials).toEqual({ '0': { '@type': 'Password', secret: null, otpAuth: null, expiresAt: null, credentialId: 'c1' } });
    expect(shown.description).toBe('Alice');
    expect(stored.credentials['0'].secret).toBe('$argon2id$hash');
  });

  it('are sent only when typed', () => {
    const base = hideSecrets(doc, user, stored);
    const untouched = { ...base, description: 'Alice B.' };
    expect(buildPatch(doc, user, base, untouched)).toEqual({ description: 'Alice B.' });
    const typed = { ...base, credentials: { '0': { ...(base.credentials as Record<string, object>)['0'], secret: 'n3w-Passw0rd' } } };
    expect(buildPatch(doc, user, base, typed)).toEqual({ 'credentials/0/secret': 'n3w-Passw0rd' });
  });

  it('left empty in a kept list item are no problem when editing; a new item needs one', () => {
    const base = hideSecrets(doc, user, stored);
    const added = { ...(base.credentials as object), '1': { '@type': 'AppPassword', description: 'phone', secret: null } };
    expect(validateValue(doc, credentials, added, false, { secretsKept: true })).toBeUndefined();
    expect(validateValue(doc, credentials, added, false)).toBeDefined();
    expect(isSecretPath(doc, credentials, added, '1/secret')).toBe(true);
    expect(isSecretPath(doc, credentials, added, '1/description')).toBe(false);
  });
});

describe('object lists', () => {
  it('add a new item at its index and patch kept items in place', () => {
    const base = hideSecrets(doc, user, stored);
    const added = { ...base, credentials: { ...(base.credentials as object), '1': { '@type': 'ApiKey', description: 'ci', secret: 'k' } } };
    expect(buildPatch(doc, user, base, added)).toEqual({ 'credentials/1': { '@type': 'ApiKey', description: 'ci', secret: 'k' } });
  });
  it('remove an item by its key, so the kept ones (and their secrets) are not sent again', () => {
    const three = hideSecrets(doc, user, {
      ...stored,
      credentials: { ...stored.credentials, '1': { '@type': 'ApiKey', description: 'ci', secret: 'x' }, '2': { '@type': 'AppPassword', description: 'phone', secret: 'y' } },
    });
    const items = three.credentials as Record<string, unknown>;
    // The editor keeps the keys of what is left.
    const removed = { ...three, credentials: { '0': items['0'], '2': items['2'] } };
    expect(buildPatch(doc, user, three, removed)).toEqual({ 'credentials/1': null });
  });
  it('remove one item, change another and add a third in one save: each goes as itself', () => {
    const three = hideSecrets(doc, user, {
      ...stored,
      credentials: { ...stored.credentials, '1': { '@type': 'AppPassword', description: 'old phone', secret: 'x' }, '2': { '@type': 'AppPassword', description: 'laptop', secret: 'y' } },
    });
    const items = three.credentials as Record<string, Record<string, unknown>>;
    const next = {
      ...three,
      credentials: { '0': items['0'], '2': { ...items['2'], description: 'work laptop' }, '3': { '@type': 'AppPassword', description: 'new', secret: 'NEW' } },
    };
    const patch = buildPatch(doc, user, three, next);
    expect(patch).toEqual({ 'credentials/1': null, 'credentials/2/description': 'work laptop', 'credentials/3': { '@type': 'AppPassword', description: 'new', secret: 'NEW' } });
    // Removals go highest key first.
    const four = { ...three, credentials: { '0': items['0'] } };
    expect(Object.keys(buildPatch(doc, user, three, four))).toEqual(['credentials/2', 'credentials/1']);
  });
  it('send an item whose variant changed whole, and a map of enum keys member by member', () => {
    const base = hideSecrets(doc, user, stored);
    const next = { ...base, roles: { '@type': 'Custom', roleIds: { r1: true, r2: true } }, quotas: { maxEmails: 20, maxDiskQuota: 1024 } };
    expect(buildPatch(doc, user, base, next)).toEqual({ roles: { '@type': 'Custom', roleIds: { r1: true, r2: true } }, 'quotas/maxEmails': 20, 'quotas/maxDiskQuota': 1024 });
  });
});

describe('a record switched to another variant', () => {
  it('sends its new type and every value it holds, but no untyped secret', () => {
    const pg = doc.fields['x:PostgreSqlStore'].properties;
    const before = { '@type': 'RocksDb', path: '/var/lib/data' };
    const after = { '@type': 'PostgreSql', path: '/var/lib/data', host: 'db.internal', port: 5432, password: null, poolSize: 10 };
    expect(buildPatch(doc, pg, before, after)).toEqual({ '@type': 'PostgreSql', host: 'db.internal', port: 5432, poolSize: 10 });
  });
  it('starts with what it shares with the variant left', () => {
    expect(carryOver({ '@type': 'S3', bucket: null, path: null }, { '@type': 'FileSystem', path: '/srv' })).toEqual({ '@type': 'S3', bucket: null, path: '/srv' });
  });
});
