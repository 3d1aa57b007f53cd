// The Sieve part of dovecot.conf (services/dovecotSieve.ts): the LMTP plugin, the
// ManageSieve listener on the configured port, nothing of it when Pigeonhole is missing,
// and the port setting's own errors. A real Dovecot reading it is in webadmin/sieve.test.ts.

import { describe, expect, it } from 'vitest';
import { servicePaths } from './driver';
import { dovecotPluginConfig, pluginContext } from './dovecotPlugins';
import { managesievePort, sieveConfig } from './dovecotSieve';

const ctx = pluginContext('imap', servicePaths('/srv/postern/services/imap'), { unprivilegedUser: null });
const both = { plugin: true, managesieve: true };

describe('sieveConfig', () => {
  it('runs scripts on delivery and listens for ManageSieve on POSTERN_MANAGESIEVE_PORT', () => {
    const s = sieveConfig(ctx, { POSTERN_MANAGESIEVE_PORT: '14190' }, both);
    expect(s.lmtpPlugins).toEqual(['sieve']);
    expect(s.protocols).toEqual(['sieve']);
    const text = s.lines.join('\n');
    expect(text).toMatch(/sieve = file:~\/sieve;active=~\/active\.sieve/);
    expect(text).toMatch(/service managesieve-login \{\s+inet_listener sieve \{\s+port = 14190/);
    expect(text).not.toMatch(/chroot/);
    const composed = dovecotPluginConfig(ctx, [(c) => sieveConfig(c, { POSTERN_MANAGESIEVE_PORT: '14190' }, both)]);
    expect(composed.protocols).toEqual(['sieve']);
    expect(composed.lines.join('\n')).toMatch(/protocol lmtp \{\s+mail_plugins = \$mail_plugins sieve/);
  });

  it('has no listener unless the port is set ("off" and 0 too); scripts still run on delivery', () => {
    for (const env of [{}, { POSTERN_MANAGESIEVE_PORT: 'off' }, { POSTERN_MANAGESIEVE_PORT: '0' }, { POSTERN_MANAGESIEVE_PORT: ' ' }]) {
      const off = sieveConfig(ctx, env, both);
      expect(off.protocols).toEqual([]);
      expect(off.lines.join('\n')).not.toMatch(/managesieve-login/);
      expect(off.lmtpPlugins).toEqual(['sieve']);
    }
    expect(sieveConfig(ctx, { POSTERN_MANAGESIEVE_PORT: '4190' }, both).lines.join('\n')).toMatch(/port = 4190/);
  });

  it('is not chrooted when the server is not root', () => {
    const rootless = pluginContext('imap', servicePaths('/srv/postern/services/imap'), { unprivilegedUser: 'dev' });
    expect(sieveConfig(rootless, { POSTERN_MANAGESIEVE_PORT: '4190' }, both).lines.join('\n')).toMatch(/service managesieve-login \{[^}]*\}\s+service_count = 1\s+process_limit = 100\s+chroot =\n/);
  });

  it('adds nothing Dovecot would fail on when Pigeonhole is not installed', () => {
    const none = sieveConfig(ctx, {}, { plugin: false, managesieve: false });
    expect(none).toMatchObject({ mailPlugins: [] });
    expect(none.lmtpPlugins ?? []).toEqual([]);
    expect(none.protocols ?? []).toEqual([]);
    expect(none.lines.join('\n')).toMatch(/not installed/);
    const noManagesieve = sieveConfig(ctx, { POSTERN_MANAGESIEVE_PORT: '4190' }, { plugin: true, managesieve: false });
    expect(noManagesieve.protocols).toEqual([]);
    expect(noManagesieve.lines.join('\n')).toMatch(/dovecot-managesieved is not installed/);
  });

  it('refuses a port that is not one', () => {
    for (const bad of ['0x10', '70000', '-1', 'abc', '1.5']) expect(() => managesievePort({ POSTERN_MANAGESIEVE_PORT: bad }), bad).toThrow(/POSTERN_MANAGESIEVE_PORT/);
    expect(managesievePort({ POSTERN_MANAGESIEVE_PORT: '0' })).toBeNull();
  });
});
