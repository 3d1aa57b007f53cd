// What the content filter changes in the generated Postfix files: nothing without it; with
// it, content_filter to the filter's socket, the filter transport (XFORWARD, cached
// connections) and the reinjection smtpd that clears content_filter so mail never loops.

import { describe, expect, it } from 'vitest';
import type { ServiceSettings } from '../../services/driver';
import { mailSockets } from '../../services/postfix';
import { MAX_CONCURRENT } from './server';
import { contentFilterSocket, postfixPaths, reinjectSocket, renderMainCf, renderMasterCf, type PostfixContext } from '../../services/postfixConfig';

const settings: ServiceSettings = {
  startOnBoot: false, bindAddress: '127.0.0.1', port: 2525, securePort: 2587,
  maxConnections: 7, memoryLimit: 1 << 26, secureMaxConnections: 3, secureMemoryLimit: 1 << 26,
};
const dir = '/srv/postern/services/smtp';
const base: PostfixContext = { hostname: 'mail.example.test', mailOwner: 'postfix', ...mailSockets(dir), relay: null };
const filtered: PostfixContext = { ...base, contentFilter: contentFilterSocket('/srv/postern') };

describe('Postfix files and the content filter', () => {
  it('without the filter, no content_filter and no filter services', () => {
    expect(renderMainCf(settings, postfixPaths(dir), base)).not.toMatch(/content_filter/);
    expect(renderMasterCf(settings, base)).not.toMatch(/^postern-(filter|reinject)/m);
  });

  it('with it, received mail goes to the filter socket and comes back through an smtpd that filters nothing', () => {
    expect(renderMainCf(settings, postfixPaths(dir), filtered)).toMatch(/^content_filter = postern-filter:unix:\/srv\/postern\/services\/mail-lookup\/filter\.sock$/m);
    const master = renderMasterCf(settings, filtered);
    // As many filter processes as mails the filter processes at once.
    expect(master).toMatch(new RegExp(`^postern-filter +unix +- +- +n +- +${MAX_CONCURRENT} +lmtp\\n {2}-o lmtp_send_xforward_command=yes`, 'm'));
    expect(master).toMatch(/-o lmtp_connection_cache_destinations=static:all/);
    const reinject = master.slice(master.indexOf('postern-reinject'));
    expect(reinject).toMatch(/^postern-reinject +unix +- +- +n +- +10 +smtpd/);
    expect(reinject).toMatch(/^ {2}-o content_filter=$/m);
    expect(reinject).toMatch(/no_address_mappings/);
    expect(reinject).toMatch(/-o smtpd_recipient_restrictions=permit_mynetworks,reject/);
    expect(reinjectSocket('/srv/postern')).toBe('/srv/postern/services/smtp/queue/private/postern-reinject');
  });
});
