// Mail as the quota and queue tests send and read it: SMTP into the server's Postfix, IMAP
// out of its Dovecot (loopback, STARTTLS with the server's own certificate), and whether
// the mail daemons have finished starting.

import type { APIRequestContext } from '@playwright/test';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { MAIL_PORTS } from './env';
import { jmap } from './helpers';

export async function imap(user: string, pass: string): Promise<ImapFlow> {
  const client = new ImapFlow({ host: '127.0.0.1', port: MAIL_PORTS.imap, secure: false, auth: { user, pass }, tls: { rejectUnauthorized: false }, logger: false, connectionTimeout: 10_000 });
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** The subjects in a user's INBOX, now. */
export async function inboxSubjects(user: string, pass: string): Promise<string[]> {
  const client = await imap(user, pass);
  const out: string[] = [];
  const lock = await client.getMailboxLock('INBOX');
  try {
    if (client.mailbox && client.mailbox.exists > 0) for await (const m of client.fetch('1:*', { envelope: true })) out.push(m.envelope?.subject ?? '');
  } finally {
    lock.release();
    await client.logout().catch(() => {});
  }
  return out;
}

export async function sendMail(mail: { from: string; to: string; subject: string; text: string }, port = MAIL_PORTS.smtp): Promise<void> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  try {
    await transport.sendMail(mail);
  } finally {
    transport.close();
  }
}

/** SMTP and IMAP that are not running once they have settled (bounded: 30 s); empty when both run. */
export async function mailDaemonsDown(request: APIRequestContext): Promise<string[]> {
  for (let i = 0; i < 60; i++) {
    const [[, res]] = await jmap(request, [['x:Service/get', { ids: ['smtp', 'imap'], properties: ['status'] }, 's']]);
    const list = res.list as { id: string; status: string }[];
    if (list.every((s) => s.status !== 'starting' && s.status !== 'stopping')) return list.filter((s) => s.status !== 'running').map((s) => `${s.id} ${s.status}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  return ['mail daemons still starting after 30 s'];
}
