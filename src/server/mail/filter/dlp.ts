// DLP rules (x:DlpRule) as the content filter applies them: read from the store per sender
// domain, and run on each mail in a worker thread (dlpPool.ts, dlpMatch.ts) with a time
// limit. Expressions are RE2 (RE2JS, linear time, no backtracking), checked when written.

import { RE2JS } from 're2js';
import type { Store } from '../../store/records';
import type { RuleSpec } from './dlpMatch';
import { sharedDlpPool, type DlpPool, type DlpResult } from './dlpPool';

export { firstMatch, type CompiledRule, type DlpMatch, type DlpSubject, type RuleSpec } from './dlpMatch';

export const DLP_RULE = 'x:DlpRule';

/** Longest ruleId, expression and explanation (x:DlpRule's maxLength; WebAdmin checks a whole list against them before writing any). */
export const DLP_LIMITS = { ruleId: 255, expression: 4096, explanation: 1024 } as const;

/** Why an expression is not one RE2 accepts, or null when it compiles. */
export function expressionProblem(expression: string): string | null {
  try {
    RE2JS.compile(expression);
    return null;
  } catch (e) {
    return `not a valid regular expression (RE2 syntax): ${(e as Error).message}`;
  }
}

/**
 * The rules by sender domain id, read from the store again only when x:DlpRule changed (its
 * modseq, which is also the rule-set version the workers compile once). A rule whose
 * expression no longer compiles (written by an older version) is left out and logged once.
 */
export class DlpRules {
  private modseq = -1;
  private byDomain = new Map<string, RuleSpec[]>();
  private readonly reported = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly log: (msg: string) => void = () => {},
    private readonly pool: DlpPool = sharedDlpPool(),
  ) {}

  forDomain(domainId: string): readonly RuleSpec[] {
    this.current();
    return this.byDomain.get(domainId) ?? [];
  }

  /** Whether any domain has a rule (mail skips the sender's domain lookup when none has). */
  any(): boolean {
    this.current();
    return this.byDomain.size > 0;
  }

  /** The time limit of one mail's DLP, in ms. */
  get timeLimitMs(): number {
    return this.pool.timeLimitMs;
  }

  /** Parses the mail and runs the domain's rules on it in a worker; rejects with DlpTimeout past the limit. */
  async check(domainId: string, env: { sender: string | null; recipients: string[] }, raw: Buffer): Promise<DlpResult> {
    const rules = [...this.forDomain(domainId)];
    const result = await this.pool.run({ domainId, version: this.modseq, rules, env, raw });
    for (const s of result.skipped) {
      const key = `${this.modseq}:${domainId}:${s.ruleId}`;
      if (this.reported.has(key)) continue;
      this.reported.add(key);
      this.log(`DLP rule ${s.ruleId} is left out: ${s.message}`);
    }
    return result;
  }

  private current() {
    const now = this.store.modseq(DLP_RULE);
    if (now !== this.modseq) this.reload(now);
  }

  private reload(modseq: number) {
    const next = new Map<string, RuleSpec[]>();
    for (const [, d] of this.store.all(DLP_RULE)) {
      const rule: RuleSpec = {
        ruleId: String(d.ruleId),
        expression: String(d.expression),
        explanation: typeof d.explanation === 'string' ? d.explanation : null,
        targetsSender: d.targetsSender === true,
        targetsRecipients: d.targetsRecipients === true,
        targetsContent: d.targetsContent === true,
      };
      const list = next.get(String(d.domainId)) ?? [];
      list.push(rule);
      next.set(String(d.domainId), list);
    }
    for (const list of next.values()) list.sort((a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
    this.byDomain = next;
    this.modseq = modseq;
  }
}
