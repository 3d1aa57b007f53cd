// The private Postfix instance's main.cf and master.cf, generated from the x:Service
// settings "smtp" and the relay route (x:MtaRoute). Pure functions, unit-tested.
//
// What the instance does, and why:
// - Everything lives under DATA_DIR/services/smtp: etc/ (main.cf, master.cf), queue/, data/, maillog. No
//   chroot (the daemons reach sockets under DATA_DIR by absolute path).
// - It accepts mail only for what Postern's directory answers over the socketmap
//   (virtual domains, mailboxes, aliases) and relays only for loopback clients and
//   authenticated submission. Local mail goes to Dovecot over LMTP.
// - No DNS, ever: the SMTP client never looks up MX or A records through DNS, the server
//   never looks up client names, and remote mail stays deferred in the queue until a relay
//   is configured (`defer_transports = smtp`). With a relay, it all goes to that one host.
// - Limits: the plain port's maxConnections is the process limit of its smtpd (one process
//   per connection); secureMaxConnections the same for submission. Postfix has no
//   per-process memory limit: the memory limits are not used by this service.

import fs from 'node:fs';
import path from 'node:path';
import type { Data, Store } from '../store/records';
import type { ServiceSettings } from './driver';

export interface PostfixPaths {
  dir: string;
  /** config_directory: main.cf, master.cf. Apart from the queue, which Postfix wants owned by its own user. */
  config: string;
  mainCf: string;
  masterCf: string;
  queue: string;
  data: string;
  log: string;
  tls: string;
  /** The relay's credentials (texthash map, mode 0600), written only when a relay authenticates. */
  relayAuth: string;
}

export function postfixPaths(dir: string): PostfixPaths {
  return {
    dir,
    config: path.join(dir, 'etc'),
    mainCf: path.join(dir, 'etc', 'main.cf'),
    masterCf: path.join(dir, 'etc', 'master.cf'),
    queue: path.join(dir, 'queue'),
    data: path.join(dir, 'data'),
    log: path.join(dir, 'maillog'),
    tls: path.join(dir, 'tls'),
    relayAuth: path.join(dir, 'etc', 'relay-auth'),
  };
}

/** Where remote mail goes once an administrator configured a relay (x:MtaRoute, variant Relay). */
export interface RelaySettings {
  address: string;
  port: number;
  implicitTls: boolean;
  allowInvalidCerts: boolean;
  /** Username and password to authenticate with; null for none. */
  auth: { username: string; secret: string } | null;
}

export interface PostfixContext {
  /** The name the server greets with; fixed, never looked up. */
  hostname: string;
  /** Unprivileged account the daemons run as (Debian's package creates `postfix`). */
  mailOwner: string;
  /** The socketmap server answering the maps domains, mailboxes, aliases. */
  lookupSocket: string;
  /** Dovecot's LMTP socket. */
  lmtpSocket: string;
  /** Dovecot's auth client socket, for SASL on submission. */
  authSocket: string;
  relay: RelaySettings | null;
  /** Default message size limit when the settings give none. */
  maxMessageSize?: number;
  /** The LMTP socket of Postern's content filter (mail/filter/); none: mail is not filtered. */
  contentFilter?: string | null;
}

/** Postern's content filter: where Postfix hands it received mail, and the smtpd it hands mail back to. */
export const contentFilterSocket = (dataDir: string) => path.join(dataDir, 'services', 'mail-lookup', 'filter.sock');
export const reinjectSocket = (dataDir: string) => path.join(postfixPaths(path.join(dataDir, 'services', 'smtp')).queue, 'private', 'postern-reinject');

/** Postfix's own default (10 240 000 bytes). */
export const DEFAULT_MAX_MESSAGE_SIZE = 10_240_000;

/** Values are written as Postfix reads them: no newlines, no comment characters. */
function clean(value: string | number): string {
  const s = String(value);
  if (/[\r\n#{}\s]/.test(s) && typeof value === 'string') {
    throw new Error(`Refusing to write ${JSON.stringify(s)} into a Postfix configuration`);
  }
  return s;
}

/** The relay host as relayhost / the credentials map name it: `[host]:port`, no MX lookup. */
export function relayNexthop(r: RelaySettings): string {
  const host = r.address.startsWith('[') ? r.address : `[${clean(r.address)}]`;
  return `${host}:${r.port}`;
}

function isIpv6(address: string): boolean {
  return address.includes(':');
}

/** inet_interfaces for the bind address: every address, or that one. */
function interfaces(bind: string): { interfaces: string; protocols: string } {
  if (bind === '0.0.0.0' || bind === '*') return { interfaces: 'all', protocols: 'ipv4' };
  if (bind === '::' || bind === '[::]') return { interfaces: 'all', protocols: 'all' };
  return { interfaces: clean(bind), protocols: isIpv6(bind) ? 'ipv6' : 'ipv4' };
}

export function renderMainCf(s: ServiceSettings, p: PostfixPaths, ctx: PostfixContext): string {
  const lookup = (map: string) => `socketmap:unix:${clean(ctx.lookupSocket)}:${map}`;
  const net = interfaces(s.bindAddress);
  const size = s.maxMessageSize ?? ctx.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
  const lines = [
    `# Generated by Postern from the x:Service record "smtp" and the relay route. Do not`,
    `# edit: it is rewritten from the stored settings every time the service starts.`,
    `compatibility_level = 3.6`,
    `config_directory = ${clean(p.config)}`,
    `queue_directory = ${clean(p.queue)}`,
    `data_directory = ${clean(p.data)}`,
    `mail_owner = ${clean(ctx.mailOwner)}`,
    `setgid_group = postdrop`,
    `multi_instance_directories =`,
    `maillog_file = ${clean(p.log)}`,
    `maillog_file_prefixes = ${clean(p.dir)}`,
    `syslog_name = postern-smtp`,
    '',
    `# Identity: fixed names, never looked up.`,
    `myhostname = ${clean(ctx.hostname)}`,
    `mydomain = ${clean(ctx.hostname.includes('.') ? ctx.hostname.replace(/^[^.]*\./, '') : 'localdomain')}`,
    `myorigin = $myhostname`,
    `smtpd_banner = $myhostname ESMTP`,
    `biff = no`,
    '',
    `# Network: the listeners are in master.cf; only loopback clients may relay.`,
    `inet_interfaces = ${net.interfaces}`,
    `inet_protocols = ${net.protocols}`,
    `mynetworks = 127.0.0.0/8${net.protocols === 'ipv4' ? '' : ' [::1]/128'}`,
    `smtpd_peername_lookup = no`,
    `smtp_dns_support_level = disabled`,
    `lmtp_dns_support_level = disabled`,
    `smtp_host_lookup = native`,
    '',
    `# No local (Unix account) delivery: every local address is a virtual mailbox.`,
    `mydestination =`,
    `local_recipient_maps =`,
    `local_transport = error:5.1.1 local delivery is disabled`,
    `alias_maps =`,
    `alias_database =`,
    `relay_domains =`,
    `virtual_mailbox_domains = ${lookup('domains')}`,
    `virtual_mailbox_maps = ${lookup('mailboxes')}`,
    `virtual_alias_maps = ${lookup('aliases')}`,
    `virtual_transport = lmtp:unix:${clean(ctx.lmtpSocket)}`,
    ...(ctx.contentFilter ? [`content_filter = postern-filter:unix:${clean(ctx.contentFilter)}`] : []),
    `smtpd_reject_unlisted_recipient = yes`,
    `unknown_virtual_mailbox_reject_code = 550`,
    `smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination`,
    '',
    `# Limits.`,
    `message_size_limit = ${size}`,
    `mailbox_size_limit = 0`,
    `virtual_mailbox_limit = 0`,
    '',
    `# STARTTLS offered on both ports with the instance's certificate.`,
    `smtpd_tls_cert_file = ${clean(path.join(p.tls, 'cert.pem'))}`,
    `smtpd_tls_key_file = ${clean(path.join(p.tls, 'key.pem'))}`,
    `smtpd_tls_security_level = may`,
    `smtpd_sasl_auth_enable = no`,
    '',
  ];
  lines.push(...remoteDelivery(p, ctx.relay));
  return lines.join('\n') + '\n';
}

function remoteDelivery(p: PostfixPaths, relay: RelaySettings | null): string[] {
  if (!relay) {
    return [
      `# Remote delivery is off: no relay is configured. Mail for other domains waits in`,
      `# the queue (deferred) and is sent once a relay route exists.`,
      `default_transport = smtp`,
      `relayhost =`,
      `defer_transports = smtp`,
      `smtp_sasl_auth_enable = no`,
    ];
  }
  const nexthop = relayNexthop(relay);
  // A password never crosses the network in clear: with authentication, TLS is required.
  const level = relay.implicitTls ? (relay.allowInvalidCerts ? 'encrypt' : 'verify') : relay.auth ? 'encrypt' : 'may';
  const lines = [
    `# Remote delivery: every message for another domain goes to the relay route.`,
    `default_transport = smtp`,
    `relayhost = ${nexthop}`,
    `defer_transports =`,
    `smtp_tls_security_level = ${level}`,
    `smtp_tls_wrappermode = ${relay.implicitTls ? 'yes' : 'no'}`,
  ];
  if (level === 'verify') lines.push(`smtp_tls_CApath = /etc/ssl/certs`, `smtp_tls_verify_cert_match = nexthop`);
  if (relay.auth) {
    lines.push(
      `smtp_sasl_auth_enable = yes`,
      `smtp_sasl_password_maps = texthash:${clean(p.relayAuth)}`,
      `smtp_sasl_security_options = noanonymous, noplaintext`,
      `smtp_sasl_tls_security_options = noanonymous`,
    );
  } else {
    lines.push(`smtp_sasl_auth_enable = no`);
  }
  return lines;
}

/** The relay credentials as a texthash table: `[host]:port username:password`. */
export function renderRelayAuth(relay: RelaySettings): string | null {
  if (!relay.auth) return null;
  const { username, secret } = relay.auth;
  if (/[\s:]/.test(username) || /[\r\n]/.test(secret)) throw new Error('The relay username may not contain spaces or ":", nor the secret a newline');
  return `${relayNexthop(relay)} ${username}:${secret}\n`;
}

/** master.cf: the two listeners and the internal services, none chrooted. */
export function renderMasterCf(s: ServiceSettings, ctx: PostfixContext): string {
  // `private` and `wakeup` ride on the name: 'pickup:n:60' is private n, wakeup 60.
  const row = (spec: string, type: string, maxproc: string, command: string, ...opts: string[]) => {
    const [name, priv = '-', wakeup = '-'] = spec.split(':');
    return [
      `${name.padEnd(10)} ${type.padEnd(10)} ${priv.padEnd(7)} -       n       ${wakeup.padEnd(7)} ${maxproc.padEnd(7)} ${command}`,
      ...opts.map((o) => `  -o ${o}`),
    ];
  };
  const lines = [
    `# Generated by Postern. service type private unpriv chroot wakeup maxproc command`,
    ...row(`${s.port}:n`, 'inet', String(s.maxConnections), 'smtpd',
      'syslog_name=postern-smtp/smtp'),
    ...row(`${s.securePort}:n`, 'inet', String(s.secureMaxConnections), 'smtpd',
      'syslog_name=postern-smtp/submission',
      'smtpd_sasl_auth_enable=yes',
      'smtpd_sasl_type=dovecot',
      `smtpd_sasl_path=${clean(ctx.authSocket)}`,
      'smtpd_tls_auth_only=yes',
      'smtpd_client_restrictions=permit_sasl_authenticated,reject',
      'smtpd_relay_restrictions=permit_sasl_authenticated,reject',
      'smtpd_recipient_restrictions=permit_sasl_authenticated,reject',
      // An account sends only as its own address or one of its aliases.
      `smtpd_sender_login_maps=socketmap:unix:${clean(ctx.lookupSocket)}:senders`,
      'smtpd_sender_restrictions=reject_sender_login_mismatch'),
    ...row('pickup:n:60', 'unix', '1', 'pickup'),
    ...row('cleanup:n', 'unix', '0', 'cleanup'),
    ...row('qmgr:n:300', 'unix', '1', 'qmgr'),
    ...row('tlsmgr:-:1000?', 'unix', '1', 'tlsmgr'),
    ...row('rewrite', 'unix', '-', 'trivial-rewrite'),
    ...row('bounce', 'unix', '0', 'bounce'),
    ...row('defer', 'unix', '0', 'bounce'),
    ...row('trace', 'unix', '0', 'bounce'),
    ...row('verify', 'unix', '1', 'verify'),
    ...row('flush:n:1000?', 'unix', '0', 'flush'),
    ...row('proxymap', 'unix', '-', 'proxymap'),
    ...row('proxywrite', 'unix', '1', 'proxymap'),
    ...row('smtp', 'unix', '-', 'smtp'),
    ...row('relay', 'unix', '-', 'smtp'),
    ...row('showq:n', 'unix', '-', 'showq'),
    ...row('error', 'unix', '-', 'error'),
    ...row('retry', 'unix', '-', 'error'),
    ...row('discard', 'unix', '-', 'discard'),
    ...row('lmtp', 'unix', '-', 'lmtp'),
    ...row('anvil', 'unix', '1', 'anvil'),
    ...row('scache', 'unix', '1', 'scache'),
    ...row('postlog:n', 'unix-dgram', '1', 'postlogd'),
    // Postern's content filter: out over LMTP with the client's XFORWARD attributes; back in
    // through an smtpd on a private socket, addresses already expanded, filtering nothing again.
    ...(ctx.contentFilter ? [
      // Connections to the filter are kept open between messages (its greeting comes after a fixed 100 ms).
      // maxproc 2: the filter processes 2 mails at once (MAX_CONCURRENT in mail/filter/server.ts).
      ...row('postern-filter', 'unix', '2', 'lmtp', 'lmtp_send_xforward_command=yes', 'disable_mime_output_conversion=yes',
        `lmtp_connection_cache_destinations=static:all`, 'lmtp_connection_cache_time_limit=60s'),
      ...row('postern-reinject', 'unix', '10', 'smtpd', 'syslog_name=postern-smtp/reinject', 'content_filter=',
        'receive_override_options=no_unknown_recipient_checks,no_header_body_checks,no_milters,no_address_mappings',
        'smtpd_client_restrictions=', 'smtpd_helo_restrictions=', 'smtpd_sender_restrictions=', 'smtpd_tls_security_level=none',
        'mynetworks=127.0.0.0/8', 'smtpd_relay_restrictions=permit_mynetworks,reject', 'smtpd_recipient_restrictions=permit_mynetworks,reject'),
    ] : []),
  ];
  return lines.join('\n') + '\n';
}

/** The relay route records (Stalwart's x:MtaRoute, variant Relay); the services know no object definitions. */
export const RELAY_TYPE = 'x:MtaRoute';

/**
 * A route's password (Stalwart's SecretKeyOptional): kept in meta for a Value, read from the
 * server's environment or a file when Postfix is configured; null for None or when missing.
 */
function relayPassword(store: Store, id: string, secret: Data | null | undefined): string | null {
  switch (secret?.['@type']) {
    case 'Value':
      return store.getMeta(relaySecretKey(id)) || (typeof secret.secret === 'string' ? secret.secret : null);
    case 'EnvironmentVariable':
      return process.env[String(secret.variableName)] || null;
    case 'File':
      try {
        return fs.readFileSync(String(secret.filePath), 'utf8').replace(/\r?\n$/, '') || null;
      } catch {
        return null;
      }
    default:
      return null;
  }
}

/** Where a route's password is kept (the store's meta table), out of the record: Postfix needs it as it is. */
export const relaySecretKey = (routeId: string) => `${RELAY_TYPE}/${routeId}/authSecret`;

/** The relay remote mail goes to: the Relay route with the lowest id, or null for none. */
export function readRelay(store: Store): RelaySettings | null {
  let best: [string, Data] | null = null;
  for (const [id, data] of store.all(RELAY_TYPE)) {
    if (data['@type'] === 'Relay' && (!best || id < best[0])) best = [id, data];
  }
  if (!best) return null;
  const d = best[1];
  const username = typeof d.authUsername === 'string' && d.authUsername ? d.authUsername : null;
  const password = relayPassword(store, best[0], d.authSecret as Data | null | undefined);
  return {
    address: String(d.address),
    port: typeof d.port === 'number' ? d.port : 25,
    implicitTls: d.implicitTls === true,
    allowInvalidCerts: d.allowInvalidCerts === true,
    auth: username && password ? { username, secret: password } : null,
  };
}
