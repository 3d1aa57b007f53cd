// A user with real mail, for tests of the work done on mailboxes (re-indexing): a domain
// and an account made through JMAP, then mails sent over SMTP to the server's Postfix,
// delivered by Dovecot over LMTP, and counted over IMAP until they are all there.

import { expect, type APIRequestContext } from '@playwright/test';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { jmap } from './helpers';

export interface MailUser {
  accountId: string;
  name: string;
  address: string;
  password: string;
}

/** The domain (made if absent) and a new user in it with a password. */
export async function mailUser(request: APIRequestContext, domain: string, name: string): Promise<MailUser> {
  const password = 'Reindex-Passw0rd!';
  const [[, found]] = await jmap(request, [['x:Domain/query', { filter: { name: domain } }, 'q']]);
  let domainId = (found.ids as string[])[0];
  if (!domainId) {
    const [[, made]] = await jmap(request, [['x:Domain/set', { create: { d: { name: domain } } }, 'd']]);
    domainId = (made.created as Record<string, { id: string }> | null)?.d?.id ?? '';
    expect(domainId, JSON.stringify(made.notCreated)).toBeTruthy();
  }
  const [[, res]] = await jmap(request, [
    ['x:Account/set', { create: { u: { '@type': 'User', name, domainId, credentials: { 0: { '@type': 'Password', secret: password } } } } }, 'u'],
  ]);
  const created = (res.created as Record<string, { id: string }> | null)?.u;
  expect(created, JSON.stringify(res.notCreated)).toBeTruthy();
  return { accountId: created!.id, name, address: `${name}@${domain}`, password };
}

const WORDS = 'mail index search folder quota message sender receipt invoice meeting budget report draft archive project travel weekly summary notes review'.split(' ');

/** A body of `words` words, different for every mail (so the index has real work). */
function body(seed: number, words: number): string {
  let x = seed * 2654435761 + 1;
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out.push(`${WORDS[x % WORDS.length]}${x % 7 === 0 ? String(x % 9973) : ''}`);
  }
  return out.join(' ').replace(/(.{1,72})( |$)/g, '$1\r\n');
}

/** Sends `count` mails over one SMTP connection (pooled), each with a body of `words` words. */
export async function deliver(smtpPort: number, to: string, count: number, words = 400): Promise<void> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true, pool: true, maxConnections: 4, maxMessages: Infinity });
  try {
    const batch = 20;
    for (let i = 0; i < count; i += batch) {
      await Promise.all(
        Array.from({ length: Math.min(batch, count - i) }, (_, j) =>
          transport.sendMail({ from: 'sender@outside.test', to, subject: `Mail ${i + j + 1} of ${count}`, messageId: `<m${i + j}.${Date.now()}@outside.test>`, text: body(i + j, words) }),
        ),
      );
    }
  } finally {
    transport.close();
  }
}

/** The INBOX's message count over IMAP once it reaches `want` (bounded: `timeoutMs`). */
export async function inboxCount(imapPort: number, user: MailUser, want: number, timeoutMs = 120_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let n = -1;
  while (Date.now() < deadline) {
    const client = new ImapFlow({ host: '127.0.0.1', port: imapPort, secure: false, auth: { user: user.address, pass: user.password }, tls: { rejectUnauthorized: false }, logger: false, connectionTimeout: 10_000 });
    client.on('error', () => {});
    try {
      await client.connect();
      const status = await client.status('INBOX', { messages: true });
      n = status ? (status.messages ?? 0) : -1;
      await client.logout();
    } catch {
      n = -1;
    }
    if (n >= want) return n;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return n;
}
