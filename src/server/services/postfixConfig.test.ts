// The generated main.cf / master.cf (what the x:Service settings and the relay route turn
// into), and what the driver says when Postfix cannot run here.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ServiceSettings } from './driver';
import { INSTALL_HINT, mailSockets, postfixDriver, ROOT_HINT } from './postfix';
import { openDatabase } from '../store/db';
import { Store } from '../store/records';
import { postfixPaths, readRelay, RELAY_TYPE, relaySecretKey, renderMainCf, renderMasterCf, renderRelayAuth, type PostfixContext } from './postfixConfig';

const settings: ServiceSettings = {
  startOnBoot: false, bindAddress: '127.0.0.1', port: 2525, securePort: 2587,
  maxConnections: 7, memoryLimit: 1 << 26, secureMaxConnections: 3, secureMemoryLimit: 1 << 26, maxMessageSize: 5_000_000,
};
const dir = '/srv/postern/services/smtp';
const p = postfixPaths(dir);
const ctx: PostfixContext = { hostname: 'mail.example.test', mailOwner: 'postfix', ...mailSockets(dir), relay: null };
const param = (conf: string, name: string) => conf.match(new RegExp(`^${name} =(.*)$`, 'm'))?.[1].trim();

describe('main.cf', () => {
  const main = renderMainCf(settings, p, ctx);

  it('keeps the instance in its directory, with no chroot and its own log', () => {
    expect(param(main, 'config_directory')).toBe(`${dir}/etc`);
    expect(param(main, 'queue_directory')).toBe(`${dir}/queue`);
    expect(param(main, 'data_directory')).toBe(`${dir}/data`);
    expect(param(main, 'maillog_file')).toBe(`${dir}/maillog`);
    expect(param(main, 'maillog_file_prefixes')).toBe(dir);
    expect(main).not.toMatch(/\/etc\/postfix/);
  });

  it('never looks anything up in DNS, and names itself', () => {
    expect(param(main, 'smtp_dns_support_level')).toBe('disabled');
    expect(param(main, 'smtpd_peername_lookup')).toBe('no');
    expect(param(main, 'myhostname')).toBe('mail.example.test');
    expect(param(main, 'mydestination')).toBe('');
    expect(param(main, 'mynetworks')).toBe('127.0.0.0/8');
    expect(param(main, 'inet_interfaces')).toBe('127.0.0.1');
    expect(param(main, 'inet_protocols')).toBe('ipv4');
  });

  it('looks recipients up over the socketmap and delivers over LMTP', () => {
    const sock = '/srv/postern/services/mail-lookup/socketmap.sock';
    expect(param(main, 'virtual_mailbox_domains')).toBe(`socketmap:unix:${sock}:domains`);
    expect(param(main, 'virtual_mailbox_maps')).toBe(`socketmap:unix:${sock}:mailboxes`);
    expect(param(main, 'virtual_alias_maps')).toBe(`socketmap:unix:${sock}:aliases`);
    expect(param(main, 'virtual_transport')).toBe('lmtp:unix:/srv/postern/services/imap/lmtp.sock');
    expect(param(main, 'smtpd_relay_restrictions')).toBe('permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination');
    expect(param(main, 'message_size_limit')).toBe('5000000');
  });

  it('holds remote mail while there is no relay', () => {
    expect(param(main, 'defer_transports')).toBe('smtp');
    expect(param(main, 'relayhost')).toBe('');
  });

  it('sends remote mail to the relay, authenticated, when one is set', () => {
    const relay = { address: 'smtp.provider.test', port: 587, implicitTls: false, allowInvalidCerts: false, auth: { username: 'me', secret: 'p w:x' } };
    const withRelay = renderMainCf(settings, p, { ...ctx, relay });
    expect(param(withRelay, 'relayhost')).toBe('[smtp.provider.test]:587');
    expect(param(withRelay, 'defer_transports')).toBe('');
    expect(param(withRelay, 'smtp_sasl_auth_enable')).toBe('yes');
    expect(param(withRelay, 'smtp_sasl_password_maps')).toBe(`texthash:${dir}/etc/relay-auth`);
    // With a password, TLS is required and plaintext authentication without it refused.
    expect(param(withRelay, 'smtp_tls_security_level')).toBe('encrypt');
    expect(param(withRelay, 'smtp_sasl_security_options')).toBe('noanonymous, noplaintext');
    expect(withRelay).not.toContain('p w:x');
    const open = renderMainCf(settings, p, { ...ctx, relay: { ...relay, auth: null } });
    expect(param(open, 'smtp_tls_security_level')).toBe('may');
    expect(renderRelayAuth(relay)).toBe('[smtp.provider.test]:587 me:p w:x\n');
    const tls = renderMainCf(settings, p, { ...ctx, relay: { ...relay, port: 465, implicitTls: true, auth: null } });
    expect(param(tls, 'smtp_tls_wrappermode')).toBe('yes');
    expect(param(tls, 'smtp_tls_security_level')).toBe('verify');
    expect(param(tls, 'smtp_sasl_auth_enable')).toBe('no');
  });

  it('refuses values that would inject configuration', () => {
    expect(() => renderMainCf({ ...settings, bindAddress: '127.0.0.1\nrelayhost = evil' }, p, ctx)).toThrow(/Refusing/);
  });
});

describe('master.cf', () => {
  const master = renderMasterCf(settings, ctx);
  const service = (name: string) => master.split('\n').find((l) => l.startsWith(`${name} `))!.split(/\s+/);

  it('listens on both ports with their connection limits, nothing chrooted', () => {
    expect(service('2525')).toEqual(['2525', 'inet', 'n', '-', 'n', '-', '7', 'smtpd']);
    expect(service('2587')).toEqual(['2587', 'inet', 'n', '-', 'n', '-', '3', 'smtpd']);
    for (const line of master.split('\n').filter((l) => /^\S/.test(l) && !l.startsWith('#'))) expect(line.split(/\s+/)[4]).toBe('n');
  });

  it('requires authentication through Dovecot on submission', () => {
    const sub = master.slice(master.indexOf('2587 '), master.indexOf('pickup'));
    expect(sub).toContain('-o smtpd_sasl_auth_enable=yes');
    expect(sub).toContain('-o smtpd_sasl_type=dovecot');
    expect(sub).toContain('-o smtpd_sasl_path=/srv/postern/services/imap/auth-client.sock');
    expect(sub).toContain('-o smtpd_recipient_restrictions=permit_sasl_authenticated,reject');
  });
});

describe('when Postfix cannot run here', () => {
  const directory = { isLocalDomain: () => false, mailbox: () => null, aliasTargets: () => null, login: () => null };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-postfix-detect-'));
  const fakeSbin = path.join(tmp, 'sbin');
  fs.mkdirSync(fakeSbin);
  for (const f of ['postfix', 'postconf']) fs.writeFileSync(path.join(fakeSbin, f), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  fs.writeFileSync(path.join(tmp, 'passwd'), 'root:x:0:0::/root:/bin/sh\npostfix:x:104:107::/var/spool/postfix:/usr/sbin/nologin\n');
  fs.writeFileSync(path.join(tmp, 'group'), 'root:x:0:\npostdrop:x:108:\n');
  const files = { binary: path.join(fakeSbin, 'postfix'), passwdFile: path.join(tmp, 'passwd'), groupFile: path.join(tmp, 'group') };

  it('without the package: not installed, with the apt-get line', async () => {
    const d = postfixDriver({ store: null, directory, binary: path.join(tmp, 'none', 'postfix') });
    expect(await d.detect()).toEqual({ installed: false, version: null, binary: null });
    expect(d.installHint).toBe(INSTALL_HINT);
    expect(INSTALL_HINT).toMatch(/apt-get install postfix .*No configuration/);
  });

  it('without root: says Postfix needs root', async () => {
    const d = postfixDriver({ store: null, directory, ...files, isRoot: () => false });
    expect(await d.detect()).toMatchObject({ installed: false, problem: ROOT_HINT });
  });

  it('without the postfix user or postdrop group: says which and how to fix it', async () => {
    fs.writeFileSync(path.join(tmp, 'group2'), 'root:x:0:\n');
    const d = postfixDriver({ store: null, directory, ...files, groupFile: path.join(tmp, 'group2'), passwdFile: path.join(tmp, 'group2'), isRoot: () => true });
    const r = await d.detect();
    expect(r.installed).toBe(false);
    expect(r.problem).toMatch(/user postfix and group postdrop is missing: reinstall it with apt-get install postfix/);
  });
});

describe('the relay route as Postfix gets it', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-relay-'));
  const store = new Store(openDatabase(tmp));
  const put = (id: string, authSecret: Record<string, unknown>) => {
    store.transaction(() => {
      if (store.get(RELAY_TYPE, id)) store.delete(RELAY_TYPE, id);
      store.insert(RELAY_TYPE, id, { '@type': 'Relay', name: id, address: '10.1.2.3', port: 2525, authUsername: 'me', authSecret }, []);
    });
  };

  it('is null without a route', () => expect(readRelay(store)).toBeNull());

  it('reads the password from meta, the environment or a file', () => {
    put('r1', { '@type': 'Value', secret: null });
    store.setMeta(relaySecretKey('r1'), 'from-meta');
    expect(readRelay(store)).toEqual({ address: '10.1.2.3', port: 2525, implicitTls: false, allowInvalidCerts: false, auth: { username: 'me', secret: 'from-meta' } });
    process.env.POSTERN_TEST_RELAY_SECRET = 'from-env';
    put('r1', { '@type': 'EnvironmentVariable', variableName: 'POSTERN_TEST_RELAY_SECRET' });
    expect(readRelay(store)?.auth?.secret).toBe('from-env');
    delete process.env.POSTERN_TEST_RELAY_SECRET;
    expect(readRelay(store)?.auth).toBeNull();
    fs.writeFileSync(path.join(tmp, 'pw'), 'from-file\n');
    put('r1', { '@type': 'File', filePath: path.join(tmp, 'pw') });
    expect(readRelay(store)?.auth?.secret).toBe('from-file');
    put('r1', { '@type': 'None' });
    expect(readRelay(store)?.auth).toBeNull();
  });
});
