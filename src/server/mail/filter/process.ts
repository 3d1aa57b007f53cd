// What the content filter does with one message Postfix hands it (after the queue, after
// virtual alias expansion), and what it answers per recipient. In order:
// 1. DLP: the rules of the envelope sender's domain (x:DlpRule); a match sets the whole
//    mail aside in `quarantine` (state dlp) and every recipient gets 250. The rules run in
//    a worker thread (dlpPool.ts) with a time limit: a mail they take longer on is set
//    aside in `error` with that reason, and the worker is replaced.
// 2. Local recipients: a recipient in a local domain with no mailbox (deleted since RCPT,
//    a forward or list pointing at a missing address) is set aside in `address-error`
//    (state address-error) and gets 250; Postfix never bounces it.
// 3. The others go back to Postfix through the reinjection smtpd. A recipient it refuses
//    permanently (5xx) goes to `address-error`; a temporary refusal (4xx) or a
//    reinjection that fails is answered 451 for those recipients: Postfix keeps the mail
//    in its queue and retries them later.
// Any other failure (a message that cannot be parsed, a rule that throws, a store error)
// sets the mail aside in `error` (state error) with the reason and answers 250, so the
// mail is neither lost nor bounced twice; only when even that write fails does Postfix
// get 451 and keep the mail.

import type { Store } from '../../store/records';
import type { MailDirectory } from '../directory';
import { splitAddress } from '../directory';
import type { DlpRules } from './dlp';
import type { MessageDescription } from './dlpMatch';
import { DlpTimeout } from './dlpPool';
import { reinject, ReinjectError, type Reply } from './reinject';
import { parkMail, repositoryFor, type ParkedMail } from './repositoryStore';
import { statement } from '../../store/statements';

export interface Envelope {
  sender: string | null;
  recipients: string[];
  remoteAddr: string | null;
  remoteHost: string | null;
}

export interface FilterDeps {
  store: Store;
  directory: MailDirectory;
  rules: DlpRules;
  /** The reinjection smtpd's socket. */
  reinjectSocket: string;
  log(msg: string): void;
}

/** One answer per recipient: 250 text, or a code and text. */
export type Answer = { code: number; text: string };

/** The x:Domain of the sender's domain, when it is one of ours (by name or domain alias: the directory's mail_domains table). */
function senderDomainId(store: Store, sender: string | null): { id: string; name: string } | null {
  const parts = sender ? splitAddress(sender) : null;
  if (!parts) return null;
  const row = statement(store, 'SELECT domain_id FROM mail_domains WHERE name = ?').get(parts[1]) as { domain_id: string } | undefined;
  const domain = row ? store.get('x:Domain', row.domain_id) : null;
  return row && domain ? { id: row.domain_id, name: String(domain.name) } : null;
}

const ok = (text: string): Answer => ({ code: 250, text });

export async function processMail(deps: FilterDeps, env: Envelope, raw: Buffer): Promise<Answer[]> {
  // The message parsed once: by the DLP worker when the sender's domain has rules.
  let described: MessageDescription | undefined;
  const park = (repo: Parameters<typeof repositoryFor>[1], recipients: string[], state: string, error: string) => {
    const mail: ParkedMail = { sender: env.sender, recipients, state, error, remoteHost: env.remoteHost, remoteAddr: env.remoteAddr };
    return parkMail(deps.store, repositoryFor(deps.store, repo), mail, raw, described);
  };
  const setAside = async (why: string) => {
    const id = await park('error', env.recipients, 'error', why);
    deps.log(`content filter: mail from ${env.sender} set aside in error (${id}): ${why}`);
    return env.recipients.map(() => ok(`2.0.0 set aside in error as ${id}`));
  };
  try {
    const domain = deps.rules.any() ? senderDomainId(deps.store, env.sender) : null;
    const rules = domain ? deps.rules.forDomain(domain.id) : [];
    if (domain && rules.length) {
      let verdict;
      try {
        verdict = await deps.rules.check(domain.id, env, raw);
      } catch (e) {
        if (!(e instanceof DlpTimeout)) throw e;
        return await setAside(`DLP rules of ${domain.name} took longer than ${e.limitMs / 1000} s on this mail`);
      }
      described = verdict.description;
      const match = verdict.match;
      if (match) {
        const why = `DLP rule "${match.ruleId}" of ${domain.name} matched the ${match.target}${match.explanation ? `: ${match.explanation}` : ''}`;
        const id = await park('quarantine', env.recipients, 'dlp', why);
        deps.log(`content filter: mail from ${env.sender} set aside in quarantine (${id}): ${why}`);
        return env.recipients.map(() => ok(`2.0.0 set aside in quarantine as ${id}`));
      }
    }
    const answers = new Map<number, Answer>();
    const unknown: number[] = [];
    const onward: number[] = [];
    env.recipients.forEach((r, i) => {
      const parts = splitAddress(r);
      if (parts && deps.directory.isLocalDomain(parts[1]) && !deps.directory.mailbox(`${parts[0]}@${parts[1]}`)) unknown.push(i);
      else onward.push(i);
    });
    if (unknown.length) {
      const list = unknown.map((i) => env.recipients[i]);
      const id = await park('addressError', list, 'address-error', `No mailbox has the address ${list.join(', ')}`);
      for (const i of unknown) answers.set(i, ok(`2.0.0 no such mailbox: set aside in address-error as ${id}`));
    }
    if (onward.length) {
      for (const [i, a] of (await sendOn(deps, env, raw, onward, park))) answers.set(i, a);
    }
    return env.recipients.map((_, i) => answers.get(i)!);
  } catch (e) {
    const why = `processing failed: ${(e as Error).message}`;
    try {
      return await setAside(why);
    } catch (e2) {
      deps.log(`content filter: ${why}; it could not be set aside either (${(e2 as Error).message}): Postfix keeps it`);
      return env.recipients.map(() => ({ code: 451, text: '4.3.0 content filter failure, try again later' }));
    }
  }
}

/** Reinjects to the recipients at `indexes`; their answers. */
async function sendOn(
  deps: FilterDeps,
  env: Envelope,
  raw: Buffer,
  indexes: number[],
  park: (repo: 'error' | 'addressError', rcpts: string[], state: string, error: string) => Promise<string>,
): Promise<Map<number, Answer>> {
  const out = new Map<number, Answer>();
  const later = (text: string) => ({ code: 451, text: `4.4.0 ${text}` });
  let res;
  try {
    res = await reinject(deps.reinjectSocket, env.sender, indexes.map((i) => env.recipients[i]), raw);
  } catch (e) {
    if (!(e instanceof ReinjectError)) throw e;
    if (e.code >= 500) {
      const id = await park('error', indexes.map((i) => env.recipients[i]), 'error', e.message);
      for (const i of indexes) out.set(i, ok(`2.0.0 set aside in error as ${id}`));
    } else for (const i of indexes) out.set(i, later(e.message));
    return out;
  }
  const refused: number[] = [];
  const accepted: number[] = [];
  indexes.forEach((i, k) => {
    const r: Reply = res.recipients[k];
    if (r.code >= 200 && r.code < 300) accepted.push(i);
    else if (r.code >= 500) refused.push(i);
    else out.set(i, later(`Postfix deferred the recipient: ${r.code} ${r.text}`));
  });
  if (refused.length) {
    const list = refused.map((i) => env.recipients[i]);
    const why = refused.map((i) => {
      const r = res.recipients[indexes.indexOf(i)];
      return `${env.recipients[i]}: ${r.code} ${r.text}`;
    }).join('; ');
    const id = await park('addressError', list, 'address-error', `Postfix refused the recipient permanently: ${why}`);
    for (const i of refused) out.set(i, ok(`2.0.0 refused recipient set aside in address-error as ${id}`));
  }
  if (accepted.length) {
    const d = res.data!;
    if (d.code >= 200 && d.code < 300) for (const i of accepted) out.set(i, ok(`2.0.0 passed the content filter: ${d.text}`));
    else if (d.code >= 500) {
      const id = await park('error', accepted.map((i) => env.recipients[i]), 'error', `Postfix refused the message: ${d.code} ${d.text}`);
      for (const i of accepted) out.set(i, ok(`2.0.0 set aside in error as ${id}`));
    } else for (const i of accepted) out.set(i, later(`Postfix deferred the message: ${d.code} ${d.text}`));
  }
  return out;
}
