// DLP matching itself, as the DLP worker (dlpWorker.ts) runs it off the main thread: a
// domain's rules compiled with RE2JS, a linear-time engine (no backtracking), and matched
// against the targets each rule names:
// - sender: the envelope sender and the From and Sender headers;
// - recipients: the envelope recipients and the To, Cc and Bcc headers;
// - content: the Subject and every text body (text/plain, and text/html as its source).
// A rule matches when its expression is found anywhere in one of its targets (a search,
// not a whole-string match), as James's DLP matcher does. Linear time is still time (about
// 120 ms per rule on 10 MB of text): that is why this runs in a worker with a time limit.
// This module imports nothing of the store, so the worker's bundle stays small.

import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { RE2JS } from 're2js';

/** A stored x:DlpRule as the worker needs it. */
export interface RuleSpec {
  ruleId: string;
  expression: string;
  explanation: string | null;
  targetsSender: boolean;
  targetsRecipients: boolean;
  targetsContent: boolean;
}

export interface CompiledRule extends RuleSpec {
  pattern: RE2JS;
}

export interface DlpSubject {
  sender: string[];
  recipients: string[];
  content: string[];
}

export type DlpTarget = 'sender' | 'recipients' | 'content';

export interface DlpMatch {
  rule: CompiledRule;
  target: DlpTarget;
}

/** The rules that compile, and why the others do not (written by an older version). */
export function compileRules(specs: readonly RuleSpec[]): { rules: CompiledRule[]; skipped: { ruleId: string; message: string }[] } {
  const rules: CompiledRule[] = [];
  const skipped: { ruleId: string; message: string }[] = [];
  for (const spec of specs) {
    try {
      rules.push({ ...spec, pattern: RE2JS.compile(spec.expression) });
    } catch (e) {
      skipped.push({ ruleId: spec.ruleId, message: (e as Error).message });
    }
  }
  return { rules, skipped };
}

/** The first rule (in the order given: ruleId order) that matches, or null. */
export function firstMatch(rules: readonly CompiledRule[], subject: DlpSubject): DlpMatch | null {
  // test() runs RE2's DFA: no captures are needed, only whether the expression occurs.
  const found = (rule: CompiledRule, values: string[]) => values.some((v) => rule.pattern.test(v));
  for (const rule of rules) {
    if (rule.targetsSender && found(rule, subject.sender)) return { rule, target: 'sender' };
    if (rule.targetsRecipients && found(rule, subject.recipients)) return { rule, target: 'recipients' };
    if (rule.targetsContent && found(rule, subject.content)) return { rule, target: 'content' };
  }
  return null;
}

/** The message parsed once, for DLP and for the repository record alike. */
export const parseMessage = (raw: Buffer): Promise<ParsedMail> =>
  simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });

const addresses = (a: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value.flatMap((v) => [v.address ?? '', ...(v.group ?? []).map((g) => g.address ?? '')])).filter(Boolean);

/** The texts each DLP target looks in. */
export function subjectOf(env: { sender: string | null; recipients: string[] }, parsed: ParsedMail): DlpSubject {
  const header = (name: string) => {
    const v = parsed.headers.get(name);
    return typeof v === 'string' ? [v] : [];
  };
  return {
    sender: [env.sender ?? '', ...addresses(parsed.from), ...header('sender'), ...addresses(parsed.headers.get('sender') as AddressObject | undefined)].filter(Boolean),
    recipients: [...env.recipients, ...addresses(parsed.to), ...addresses(parsed.cc), ...addresses(parsed.bcc)],
    content: [parsed.subject ?? '', parsed.text ?? '', typeof parsed.html === 'string' ? parsed.html : ''].filter(Boolean),
  };
}

/** The largest text kept in a repository mail's record; the whole message stays in the blob. */
export const MAX_TEXT = 256 * 1024;

const cut = (s: string) => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}\n[\u2026 cut: the whole message is in the .eml]` : s);

/** What a repository mail's record keeps of the parsed message. */
export interface MessageDescription { subject: string | null; textBody: string }

export const describeParsed = (parsed: ParsedMail): MessageDescription => ({ subject: parsed.subject ?? null, textBody: cut(parsed.text ?? '') });
