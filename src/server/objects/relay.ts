// Settings › MTA › Relay: x:MtaRoute in Stalwart 0.16's shape (a union; its `Relay`
// variant: name, description, address, port, protocol, implicitTls, allowInvalidCerts,
// authUsername, authSecret). The embedded server has no DNS delivery (Stalwart's `Mx`) and
// delivers local mail itself (`Local`), so only `Relay` exists here, and at most one route:
// remote mail goes to it, and waits in Postfix's queue while there is none. A change is
// applied to the running Postfix at once (services/postfix.ts: reload, then queue flush).
//
// The relay's password must reach Postfix as it is, so it cannot be hashed. It is kept out
// of the record (never returned by /get): check() moves it to the store's meta table (in the
// /set transaction, before secrets are hashed), and the record keeps
// `{"@type":"Value","secret":null}` in its place.

import { isIPv6 } from 'node:net';
import { validationFailed, type SetError } from '../../shared/jmap/errors';
import type { ValidationError } from '../../shared/schema/validate';
import { RELAY_TYPE, relaySecretKey } from '../services/postfixConfig';
import { ascending, descriptionProperty, labelled, listPage, nameProperty, textProperty } from './builders';
import { BUILT_IN_ROLE_META, effectivePermissions } from '../auth/permissions';
import type { ObjectDef } from './define';
import { outranks } from './directory';

type Obj = Record<string, unknown>;

const HOST = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

function addressProblem(address: unknown): string | null {
  if (typeof address !== 'string' || address === '') return 'Give the relay\'s host name or IP address';
  if (IPV4.test(address) || HOST.test(address) || isIPv6(address)) return null;
  return 'Not a host name or an IP address';
}

export const mtaRoute: ObjectDef = {
  name: RELAY_TYPE,
  description: 'Where mail for other domains is handed on. The embedded server takes one route, of the Relay kind: ' +
    'with it, remote mail goes to that host; without it, remote mail waits in the queue.',
  permissionPrefix: 'sysMtaRoute',
  variants: [
    {
      name: 'Relay',
      label: 'Relay host',
      fields: {
        properties: {
          name: nameProperty('Name of the route, such as provider'),
          description: descriptionProperty('What this route is, in a few words'),
          address: textProperty('Host name or IP address of the relay that takes remote mail', 'mutable', { maxLength: 253 }),
          port: {
            description: 'Port the relay listens on (25, 587, or 465 with implicit TLS)',
            type: { type: 'number', format: 'unsignedInteger', min: 1, max: 65535 },
            update: 'mutable',
          },
          protocol: {
            description: 'How mail is handed to the relay (the embedded server speaks SMTP only)',
            type: { type: 'enum', enumName: 'MtaProtocol' },
            update: 'mutable',
          },
          implicitTls: { description: 'Start the connection in TLS (usually port 465) instead of upgrading it with STARTTLS', type: { type: 'boolean' }, update: 'mutable' },
          allowInvalidCerts: {
            description: 'Go on even when the relay\u2019s certificate does not check out (only for a relay you trust on your own network)',
            type: { type: 'boolean' },
            update: 'mutable',
          },
          authUsername: textProperty('Account name at the relay, when it asks you to sign in', 'mutable', { nullable: true, maxLength: 255 }),
          authSecret: {
            description: 'Password for that account: typed here, or read from the server\u2019s environment or a file. Kept for Postfix and never shown',
            type: { type: 'object', objectName: 'x:SecretKeyOptional' },
            update: 'mutable',
          },
        },
        defaults: { port: 25, protocol: 'smtp', implicitTls: false, allowInvalidCerts: false, authUsername: null, authSecret: { '@type': 'None' } },
      },
    },
  ],
  schemas: {
    'x:SecretKeyOptional': {
      type: 'multiple',
      variants: [
        { name: 'None', label: 'None' },
        { name: 'Value', label: 'Secret value', schemaName: 'x:SecretKeyValue' },
        { name: 'EnvironmentVariable', label: 'Environment variable', schemaName: 'x:SecretKeyEnvironmentVariable' },
        { name: 'File', label: 'File', schemaName: 'x:SecretKeyFile' },
      ],
    },
  },
  extraFields: {
    'x:SecretKeyValue': {
      properties: {
        secret: { description: 'The password itself', type: { type: 'string', format: 'secret', nullable: true }, update: 'mutable' },
      },
    },
    'x:SecretKeyEnvironmentVariable': {
      properties: {
        variableName: textProperty('Environment variable of the server process that holds the secret', 'mutable', { maxLength: 255 }),
      },
    },
    'x:SecretKeyFile': {
      properties: {
        filePath: textProperty('Absolute path of a file that holds the secret (read when Postfix is configured)', 'mutable', { maxLength: 4096 }),
      },
    },
  },
  enums: {
    MtaProtocol: [
      { name: 'smtp', label: 'SMTP' },
      { name: 'lmtp', label: 'LMTP' },
    ],
  },
  unique: ['name'],
  indexed: ['name'],
  check(ctx, id, next, prev): SetError | null {
    const errors: ValidationError[] = [];
    if (!prev) {
      for (const [other, data] of ctx.store.all(RELAY_TYPE)) {
        if (other === id) continue;
        errors.push({
          type: 'Invalid', property: 'name', value: next.name,
          description: `The embedded server sends all remote mail through one relay route, and "${String(data.name)}" is it: change that route instead`,
        });
        break;
      }
    }
    const address = addressProblem(next.address);
    if (address) errors.push({ type: 'Invalid', property: 'address', description: address, value: next.address });
    if (next.protocol === 'lmtp') {
      errors.push({ type: 'Invalid', property: 'protocol', description: 'The embedded server relays over SMTP only', value: next.protocol });
    }
    const secret = next.authSecret as Obj | null;
    const kind = secret?.['@type'];
    if (kind === 'EnvironmentVariable' && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(String(secret?.variableName ?? ''))) {
      errors.push({ type: 'Invalid', property: 'authSecret/variableName', description: 'Not an environment variable name', value: secret?.variableName ?? null });
    }
    if (kind === 'File' && !String(secret?.filePath ?? '').startsWith('/')) {
      errors.push({ type: 'Invalid', property: 'authSecret/filePath', description: 'Give an absolute path', value: secret?.filePath ?? null });
    }
    // Postfix runs as root and would send what it reads to the relay: reading the server's
    // environment or files is for a caller who holds everything the Administrator role does.
    if (kind === 'EnvironmentVariable' || kind === 'File') {
      const adminRole = ctx.store.getMeta(BUILT_IN_ROLE_META.Admin);
      const refused = outranks(ctx, `A relay password read from the server's ${kind === 'File' ? 'files' : 'environment'}`, effectivePermissions(ctx.store, adminRole ? [adminRole] : []));
      if (refused) return { ...refused, properties: ['authSecret'] };
    }
    const hasSecret = kind === 'EnvironmentVariable' || kind === 'File' || (kind === 'Value' &&
      (typeof secret?.secret === 'string' ? secret.secret !== '' : !!prev && !!ctx.store.getMeta(relaySecretKey(id))));
    if (kind === 'Value' && !hasSecret) {
      errors.push({ type: 'Invalid', property: 'authSecret/secret', description: 'Give the password to authenticate with', value: null });
    }
    if (kind === 'Value' && typeof secret?.secret === 'string' && /[\r\n]/.test(secret.secret)) {
      errors.push({ type: 'Invalid', property: 'authSecret/secret', description: 'The password cannot contain a line break', value: null });
    }
    const user = next.authUsername;
    if (hasSecret && (typeof user !== 'string' || user === '')) {
      errors.push({ type: 'Invalid', property: 'authUsername', description: 'A password needs a username to go with it', value: user ?? null });
    }
    if (typeof user === 'string' && /[\s:]/.test(user)) {
      errors.push({ type: 'Invalid', property: 'authUsername', description: 'The username cannot contain spaces or ":"', value: user });
    }
    if (errors.length) return validationFailed(errors);
    // The secret leaves the record: Postfix reads it from meta (services/postfixConfig.ts).
    // Null (as /get shows it) keeps the one stored; no Value clears it.
    if (kind !== 'Value') ctx.store.setMeta(relaySecretKey(id), '');
    else if (typeof secret?.secret === 'string') {
      if (ctx.store.getMeta(relaySecretKey(id)) !== secret.secret) ctx.secretChanged?.('authSecret'); // for the activity log
      ctx.store.setMeta(relaySecretKey(id), secret.secret);
      next.authSecret = { '@type': 'Value', secret: null };
    }
    return null;
  },
  checkDestroy(ctx, id) {
    ctx.store.setMeta(relaySecretKey(id), ''); // the password goes with its route (rolled back if the destroy is)
    return null;
  },
  form: {
    title: 'Relay route',
    subtitle: 'Remote mail is sent through this host. Without a route, it waits in the queue.',
    sections: [
      { title: 'Route', fields: labelled({ name: 'Name', description: 'Description' }) },
      { title: 'Relay host', fields: labelled({ address: 'Host', port: 'Port', protocol: 'Protocol', implicitTls: 'Implicit TLS', allowInvalidCerts: 'Allow invalid certificates' }) },
      { title: 'Authentication', fields: labelled({ authUsername: 'Username', authSecret: 'Password' }) },
    ],
  },
  list: listPage({
    title: 'Relay',
    subtitle: 'Where remote mail goes; without a route it stays queued',
    singularName: 'relay route',
    pluralName: 'relay routes',
    labelProperty: 'name',
    columns: labelled({ name: 'Name', address: 'Host', port: 'Port', description: 'Description' }),
    sort: ascending('name'),
  }),
};
