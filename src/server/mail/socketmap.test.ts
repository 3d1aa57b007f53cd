// The socketmap server: netstrings in and out, the three maps answering from the directory,
// and Postfix's own client (postmap -q, when Postfix is installed) reading them.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer, listenSocketmap, netstring, NetstringReader, type LookupDirectory, type SocketmapServer } from './socketmap';

const run = promisify(execFile);

const directory: LookupDirectory = {
  isLocalDomain: (d) => d === 'example.test' || d === 'alias.test',
  mailbox: (a) => (a === 'user1@example.test' ? a : null),
  aliasTargets: (k) => {
    if (k === 'team@example.test') return ['user1@example.test', 'user2@example.test'];
    if (k === 'user1@alias.test') return ['user1@example.test'];
    if (k === '@example.test') return ['catch@example.test'];
    if (k === 'boom@example.test') throw new Error('database is locked');
    return null;
  },
  login: (a) => (a === 'user1@example.test' || a === 'user1@alias.test' ? { address: 'user1@example.test' } : null),
};

describe('netstrings', () => {
  it('encodes the length in bytes', () => {
    expect(netstring('OK é').toString('utf8')).toBe('5:OK é,');
    expect(netstring('').toString()).toBe('0:,');
  });

  it('reads requests split anywhere and several in one chunk', () => {
    const r = new NetstringReader();
    expect(r.push(Buffer.from('18:mailboxes a@b.te'))).toEqual([]);
    expect(r.push(Buffer.from('st,12:domains x.io,'))).toEqual(['mailboxes a@b.test', 'domains x.io']);
    expect(r.push(Buffer.from('0:,'))).toEqual(['']);
  });

  it('refuses what is not a netstring', () => {
    expect(() => new NetstringReader().push(Buffer.from('abc:'))).toThrow(/not a number/);
    expect(() => new NetstringReader().push(Buffer.from('3:abc;'))).toThrow(/does not end with ","/);
    expect(() => new NetstringReader(10).push(Buffer.from('11:'))).toThrow(/longer than 10 bytes/);
    expect(() => new NetstringReader().push(Buffer.from('12345678901'))).toThrow(/too long/);
  });
});

describe('the maps', () => {
  it('domains: local domains and their aliases', () => {
    expect(answer(directory, 'domains example.test')).toBe('OK example.test');
    expect(answer(directory, 'domains Alias.Test')).toBe('OK alias.test');
    expect(answer(directory, 'domains remote.test')).toBe('NOTFOUND ');
    expect(answer(directory, 'domains .example.test')).toBe('NOTFOUND ');
  });

  it('mailboxes: addresses with a mailbox, never a bare domain', () => {
    expect(answer(directory, 'mailboxes USER1@example.test')).toBe('OK user1@example.test');
    expect(answer(directory, 'mailboxes team@example.test')).toBe('NOTFOUND ');
    expect(answer(directory, 'mailboxes @example.test')).toBe('NOTFOUND ');
  });

  it('aliases: comma-separated targets, catch-all by @domain', () => {
    expect(answer(directory, 'aliases team@example.test')).toBe('OK user1@example.test,user2@example.test');
    expect(answer(directory, 'aliases user1@alias.test')).toBe('OK user1@example.test');
    expect(answer(directory, 'aliases @example.test')).toBe('OK catch@example.test');
    expect(answer(directory, 'aliases nobody@remote.test')).toBe('NOTFOUND ');
  });

  it('senders: the account that may send as an address or its alias', () => {
    expect(answer(directory, 'senders user1@example.test')).toBe('OK user1@example.test');
    expect(answer(directory, 'senders user1@alias.test')).toBe('OK user1@example.test');
    expect(answer(directory, 'senders someone@elsewhere.org')).toBe('NOTFOUND ');
    expect(answer(directory, 'senders @example.test')).toBe('NOTFOUND ');
  });

  it('a failing lookup is a temporary error; unknown maps and bad requests are permanent', () => {
    expect(answer(directory, 'aliases boom@example.test')).toBe('TEMP directory lookup failed: database is locked');
    expect(answer(directory, 'users x@example.test')).toMatch(/^PERM unknown map "users"/);
    expect(answer(directory, 'nospace')).toMatch(/^PERM request must be/);
  });
});

describe('the server', () => {
  let dir: string;
  let server: SocketmapServer;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-socketmap-'));
    server = await listenSocketmap(path.join(dir, 'lookup', 'socketmap.sock'), directory);
  });

  afterAll(async () => {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers several requests on one connection, and closes on garbage', async () => {
    expect((fs.statSync(server.path).mode & 0o777).toString(8)).toBe('600');
    const replies = await new Promise<string>((resolve, reject) => {
      const s = net.connect(server.path);
      let got = '';
      s.on('data', (d) => {
        got += d.toString('utf8');
        if (got.split(',').length > 3) s.write('x:');
      });
      s.on('close', () => resolve(got));
      s.on('error', reject);
      s.setTimeout(5000, () => s.destroy(new Error('timeout')));
      s.write(Buffer.concat([netstring('domains example.test'), netstring('mailboxes nobody@example.test'), netstring('aliases team@example.test')]));
    });
    expect(replies).toBe('15:OK example.test,9:NOTFOUND ,40:OK user1@example.test,user2@example.test,37:PERM netstring length is not a number,');
  });

  const postmap = '/usr/sbin/postmap';
  it.skipIf(!fs.existsSync(postmap))('is read by Postfix itself (postmap -q)', async () => {
    const conf = path.join(dir, 'etc');
    fs.mkdirSync(conf, { recursive: true });
    fs.writeFileSync(path.join(conf, 'main.cf'), 'compatibility_level = 3.6\n');
    const q = async (key: string, map: string) => {
      try {
        return (await run(postmap, ['-c', conf, '-q', key, `socketmap:unix:${server.path}:${map}`], { timeout: 10_000 })).stdout.trim();
      } catch (e) {
        return `exit ${(e as { code?: number }).code}`;
      }
    };
    expect(await q('team@example.test', 'aliases')).toBe('user1@example.test,user2@example.test');
    expect(await q('user1@example.test', 'mailboxes')).toBe('user1@example.test');
    expect(await q('example.test', 'domains')).toBe('example.test');
    expect(await q('remote.test', 'domains')).toBe('exit 1'); // not found
  });
});
