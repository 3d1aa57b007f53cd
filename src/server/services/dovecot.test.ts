// The generated dovecot.conf: the seed's four limits land on the right services, and
// Dovecot itself accepts the file (checked with doveconf when it is installed).

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { servicePaths, type ServiceSettings } from './driver';
import { dovecotDriver, renderDovecotConfig } from './dovecot';
import { dovecotMailFiles } from './dovecotConfig';

const settings: ServiceSettings = {
  startOnBoot: false,
  bindAddress: '127.0.0.1',
  port: 10143,
  securePort: 10993,
  maxConnections: 7,
  memoryLimit: 64 * 1024 * 1024,
  secureMaxConnections: 9,
  secureMemoryLimit: 96 * 1024 * 1024,
};

/** The body of `service <name> { … }` (nested blocks included). */
function block(conf: string, name: string): string {
  const start = conf.indexOf(`service ${name} {`);
  expect(start, `service ${name}`).toBeGreaterThanOrEqual(0);
  let depth = 0;
  for (let i = conf.indexOf('{', start); i < conf.length; i++) {
    if (conf[i] === '{') depth++;
    if (conf[i] === '}' && --depth === 0) return conf.slice(start, i + 1);
  }
  throw new Error('unbalanced');
}

describe('renderDovecotConfig', () => {
  const p = servicePaths('/srv/postern/services/imap');
  const conf = renderDovecotConfig('imap', settings, p, { unprivilegedUser: null });

  it('keeps every file of the instance in the data directory', () => {
    expect(conf).toContain('base_dir = /srv/postern/services/imap/run');
    expect(conf).toContain('state_dir = /srv/postern/services/imap/state');
    expect(conf).toContain('log_path = /srv/postern/services/imap/dovecot.log');
    expect(conf).toContain('ssl_cert = </srv/postern/services/imap/tls/cert.pem');
    expect(conf).not.toMatch(/\/etc\/dovecot/);
    expect(conf).toContain('listen = 127.0.0.1');
  });

  it('gives the plain side its own limits', () => {
    const login = block(conf, 'imap-login');
    expect(login).toMatch(/inet_listener imap \{\s+port = 10143/);
    expect(login).toMatch(/inet_listener imaps \{\s+port = 0/); // TLS is served by imaps-login
    expect(login).toContain('process_limit = 7');
    expect(login).toContain('service_count = 1');
    expect(login).toContain(`vsz_limit = ${64 * 1024 * 1024} B`);
    expect(block(conf, 'imap')).toContain('process_limit = 7');
  });

  it('gives the TLS side a login and post-login service of its own', () => {
    const login = block(conf, 'imaps-login');
    expect(login).toContain('executable = imap-login -l imaps');
    expect(login).toMatch(/inet_listener imaps \{\s+port = 10993\s+ssl = yes/);
    expect(login).toContain('process_limit = 9');
    expect(login).toContain(`vsz_limit = ${96 * 1024 * 1024} B`);
    const post = block(conf, 'imaps');
    expect(post).toContain('unix_listener login/imaps');
    expect(post).toContain('process_limit = 9');
  });

  it('listens on every address for 0.0.0.0, and runs unprivileged when not root', () => {
    const c = renderDovecotConfig('imap', { ...settings, bindAddress: '0.0.0.0' }, p, { unprivilegedUser: 'mail-admin' });
    expect(c).toContain('listen = *');
    expect(c).toContain('default_internal_user = mail-admin');
    expect(block(c, 'imaps-login')).toMatch(/chroot = \n/);
  });

  it('POP3 is the same driver with other names', () => {
    const c = renderDovecotConfig('pop3', { ...settings, port: 110, securePort: 995 }, p, { unprivilegedUser: null });
    expect(c).toContain('protocols = pop3');
    expect(block(c, 'pop3s-login')).toContain('executable = pop3-login -l pop3s');
  });

  it('asks Postern for every login and lookup, with nothing cached', () => {
    const files = dovecotMailFiles(p);
    expect(files.checkpassword).toBe('/srv/postern/services/imap/checkpassword.cjs');
    expect(conf).toMatch(/passdb \{\s+driver = checkpassword\s+args = \/srv\/postern\/services\/imap\/checkpassword\.cjs\s+\}/);
    expect(conf).toMatch(/userdb \{\s+driver = prefetch\s+\}\s+userdb \{\s+driver = checkpassword\s+args = \/srv\/postern\/services\/imap\/checkpassword\.cjs/);
    expect(conf).toContain('auth_cache_size = 0');
    expect(conf).toContain('auth_username_format = %Lu');
    expect(conf).toContain('mail_location = maildir:~');
    expect(conf).toContain('protocols = imap lmtp');
  });

  it('gives Postfix its two sockets when root, and keeps them to the daemon\'s own user when not', () => {
    const c = renderDovecotConfig('imap', settings, p, { unprivilegedUser: null, socketUser: 'postfix', mailUid: 8 });
    expect(block(c, 'lmtp')).toMatch(/unix_listener \/srv\/postern\/services\/imap\/lmtp\.sock \{\s+mode = 0600\s+user = postfix\s+\}/);
    expect(block(c, 'auth')).toMatch(/unix_listener \/srv\/postern\/services\/imap\/auth-client\.sock \{\s+mode = 0660\s+user = postfix\s+group = postfix\s+\}/);
    expect(c).toMatch(/first_valid_uid = 8\s+last_valid_uid = 8/);
    const rootless = renderDovecotConfig('imap', settings, p, { unprivilegedUser: 'dev', socketUser: 'postfix', mailUid: 1000 });
    expect(block(rootless, 'lmtp')).toMatch(/lmtp\.sock \{\s+mode = 0600\s+\}/);
    expect(block(rootless, 'auth')).not.toContain('postfix');
  });

  it('POP3 authenticates the same way but leaves delivery to the IMAP instance; no LMTP without dovecot-lmtpd', () => {
    const pop = renderDovecotConfig('pop3', settings, servicePaths('/srv/postern/services/pop3'), { unprivilegedUser: null });
    expect(pop).toContain('args = /srv/postern/services/pop3/checkpassword.cjs');
    expect(pop).not.toContain('lmtp');
    expect(pop).not.toContain('auth-client.sock');
    const noLmtp = renderDovecotConfig('imap', settings, p, { unprivilegedUser: null, lmtp: false });
    expect(noLmtp).toContain('protocols = imap\n');
    expect(noLmtp).not.toContain('service lmtp');
  });

  it('refuses a data directory Dovecot could not run the checkpassword program from', () => {
    expect(() => renderDovecotConfig('imap', settings, servicePaths('/srv/my data/services/imap'), { unprivilegedUser: null })).toThrow(/spaces or %/);
    expect(() => renderDovecotConfig('imap', settings, servicePaths('/srv/100%/services/imap'), { unprivilegedUser: null })).toThrow(/spaces or %/);
  });

  it('refuses values that would inject configuration', () => {
    expect(() => renderDovecotConfig('imap', { ...settings, bindAddress: '127.0.0.1\nssl = no' }, p, { unprivilegedUser: null })).toThrow();
  });
});

const installed = (await dovecotDriver({ protocol: 'imap' }).detect()).installed;

describe.skipIf(!installed)('the generated file, read by doveconf', () => {
  it('is accepted and reports the limits', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-dovecot-'));
    try {
      const p = servicePaths(dir);
      fs.writeFileSync(p.config, renderDovecotConfig('imap', settings, p, { unprivilegedUser: null }));
      const get = (s: string) => execFileSync('doveconf', ['-c', p.config, '-h', s]).toString().trim();
      expect(get('service/imap-login/process_limit')).toBe('7');
      expect(get('service/imaps-login/process_limit')).toBe('9');
      expect(get('service/imap/vsz_limit')).toBe('64 M');
      expect(get('service/imaps/vsz_limit')).toBe('96 M');
      expect(get('protocols')).toBe('imap lmtp');
      expect(get('auth_cache_size')).toBe('0');
      expect(get('service/auth/vsz_limit')).toBe('2 G');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
