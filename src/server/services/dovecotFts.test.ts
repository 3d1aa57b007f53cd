// Full-text search on the private Dovecot: the generated section, and a real instance
// where `doveadm fts rescan` empties the Xapian index, `doveadm index` rebuilds it, and
// IMAP SEARCH BODY finds the words (before, during nothing else, and after). Skipped
// only when Dovecot or dovecot-fts-xapian is missing.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../auth/passwords';
import { doveadm } from '../mail/doveadm';
import { liveDovecotMissing, startLiveDovecot, type LiveDovecot } from '../mail/dovecotTesting';
import { lmtpDeliver, TestDirectory } from '../mail/testing';
import { servicePaths } from './driver';
import { ftsConfig, xapianIndexDir, xapianModuleDir } from './dovecotFts';
import { dovecotPluginConfig, pluginContext } from './dovecotPlugins';

const ctx = pluginContext('imap', servicePaths('/srv/postern/services/imap'), { unprivilegedUser: null, lmtp: true });

describe('ftsConfig', () => {
  it('loads fts with the Xapian backend, indexing new mail as it arrives', () => {
    const s = ftsConfig(ctx, true);
    expect(s.mailPlugins).toEqual(['fts', 'fts_xapian']);
    const text = s.lines.join('\n');
    expect(text).toMatch(/plugin \{\n {2}fts = xapian\n {2}fts_xapian = partial=3 full=20 verbose=0\n {2}fts_autoindex = yes/);
    expect(text).toContain('/srv/postern');
    expect(text).toMatch(/service indexer-worker \{\n {2}vsz_limit = \d+ B\n\}/);
    const composed = dovecotPluginConfig(ctx, [(c) => ftsConfig(c, true)]);
    expect(composed.lines[0]).toBe('mail_plugins = $mail_plugins fts fts_xapian');
  });

  it('adds nothing for POP3, or when dovecot-fts-xapian is not installed', () => {
    expect(ftsConfig({ ...ctx, protocol: 'pop3' }, true)).toEqual({ mailPlugins: [], lines: [] });
    expect(ftsConfig(ctx, false)).toEqual({ mailPlugins: [], lines: [] });
    expect(xapianModuleDir(['/nonexistent'])).toBeNull();
  });
});

const missing = (await liveDovecotMissing()) ?? (xapianModuleDir() ? null : 'dovecot-fts-xapian is not installed (apt-get install dovecot-fts-xapian)');

describe.skipIf(missing !== null)(`full-text search on a real Dovecot${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let live: LiveDovecot;
  const directory = new TestDirectory();
  const user = 'searcher@example.test';
  const password = 'search secret';

  beforeAll(async () => {
    directory.put(user, [hashPassword(password)]);
    live = await startLiveDovecot(directory);
    const words = ['aardvark', 'bumblebee', 'chameleon', 'dromedary', 'aardvark'];
    for (const [i, w] of words.entries()) {
      const r = await lmtpDeliver(live.lmtpSocket, 'sender@remote.test', [user], `Message-ID: <f${i}@remote.test>\nSubject: note ${i}\n\nToday I saw a ${w} in the garden.\n`);
      expect(r.data[0]).toMatch(/^250 /);
    }
  }, 60_000);

  afterAll(async () => {
    await live?.close();
  });

  async function searchBody(word: string): Promise<number[]> {
    const c = new ImapFlow({ host: '127.0.0.1', port: live.port, secure: false, doSTARTTLS: false, auth: { user, pass: password }, logger: false });
    await c.connect();
    try {
      await c.mailboxOpen('INBOX');
      const uids = await c.search({ body: word }, { uid: true });
      return (uids || []).sort((a, b) => a - b);
    } finally {
      await c.logout().catch(() => c.close());
    }
  }

  it('the running configuration has the plugin loaded', () => {
    expect(execFileSync('doveconf', ['-c', live.config, '-h', 'mail_plugins'], { encoding: 'utf8' }).split(/\s+/)).toEqual(expect.arrayContaining(['fts', 'fts_xapian']));
  });

  it('SEARCH BODY finds each word in the right mails, and the index answers the same', async () => {
    // The search first: it brings the index up to date with every delivered mail (indexing
    // at delivery may still be writing the last one when a loaded machine gets here).
    expect(await searchBody('aardvark')).toEqual([1, 5]);
    expect((await doveadm(live.dataDir, ['fts', 'lookup', '-u', user, 'body', 'aardvark'])).stdout.trim()).toBe('INBOX: 1,5');
    expect(await searchBody('chameleon')).toEqual([3]);
    expect(await searchBody('platypus')).toEqual([]);
  });

  it('fts rescan empties the index, index rebuilds it, and search finds the same', async () => {
    const home = path.join(live.dataDir, 'mail', 'example.test', 'searcher');
    const dbs = () => fs.readdirSync(xapianIndexDir(home));
    expect(dbs().length).toBe(1);
    await doveadm(live.dataDir, ['fts', 'rescan', '-u', user]);
    expect(dbs()).toEqual([]);
    const lookup = async (word: string) => (await doveadm(live.dataDir, ['fts', 'lookup', '-u', user, 'body', word])).stdout.trim();
    expect(await lookup('bumblebee')).toBe('INBOX: no results');
    const out: string[] = [];
    await doveadm(live.dataDir, ['-v', 'index', '-u', user, 'INBOX'], { onOutput: (c) => out.push(c) });
    expect(out.join('')).toMatch(/\r5\/5/);
    expect(dbs().length).toBe(1);
    expect(await lookup('bumblebee')).toBe('INBOX: 2');
    expect(await searchBody('bumblebee')).toEqual([2]);
    expect(await searchBody('aardvark')).toEqual([1, 5]);
  });
});
