// Seed 002 › Administrating DLP configuration, over x:DlpRule:
//   GET /dlp/rules/{senderDomain}                  {"rules": [{id, expression, explanation, targets…}]}
//   PUT /dlp/rules/{senderDomain}                  {"rules": […]} replaces the whole list (204)
//   DELETE /dlp/rules/{senderDomain}               removes every rule (204)
//   GET /dlp/rules/{senderDomain}/rules/{ruleId}   one rule
// An unknown domain is 404; a malformed domain name or body 400. PUT checks the whole list
// first (each id once, each expression RE2, each field's type) and changes nothing when
// any item is refused; then one /set updates the rules whose id stays, creates the new
// ones and destroys the rest.

import { DLP_LIMITS, expressionProblem } from '../mail/filter/dlp';
import type { Calls, Rec } from './calls';
import { findDomain, domainName } from './domains';
import { invalid, notFound } from './errors';
import { noContent, ok, type Route } from './router';

const RULE = 'x:DlpRule';
type Obj = Record<string, unknown>;

const FIELDS = ['id', 'expression', 'explanation', 'targetsSender', 'targetsRecipients', 'targetsContent'];

/** The sender domain, or 400 (not a domain name) / 404 (not one of ours). */
function senderDomain(calls: Calls, raw: string): Rec {
  const name = domainName(raw);
  if (name.length > 253 || !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(name)) {
    throw invalid('Invalid senderDomain', `${JSON.stringify(raw)} is not a domain name`);
  }
  const domain = findDomain(calls, name);
  if (!domain) throw notFound('The domain does not exist', `There is no domain ${name} (PUT /domains/${name} creates it)`);
  return domain;
}

function rulesOf(calls: Calls, domainId: string): Rec[] {
  return calls.find(RULE, { domainId }).filter((r) => r.domainId === domainId).sort((a, b) => (String(a.ruleId) < String(b.ruleId) ? -1 : 1));
}

const asJames = (r: Rec) => ({
  id: r.ruleId,
  expression: r.expression,
  explanation: r.explanation ?? null,
  targetsSender: r.targetsSender === true,
  targetsRecipients: r.targetsRecipients === true,
  targetsContent: r.targetsContent === true,
});

/** The body's rules as x:DlpRule values, or 400 naming the item and field. */
function parseRules(text: string): Obj[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw invalid('Invalid payload', 'The body is not JSON: give {"rules": [{"id": …, "expression": …}]}');
  }
  const list = (body as Obj | null)?.rules;
  if (body === null || typeof body !== 'object' || Array.isArray(body) || !Array.isArray(list)) {
    throw invalid('Invalid payload', 'The body must be an object with a "rules" list');
  }
  const extra = Object.keys(body).filter((k) => k !== 'rules');
  if (extra.length) throw invalid('Invalid payload', `Unknown field ${extra.map((e) => JSON.stringify(e)).join(', ')}: the body has only "rules"`);
  const seen = new Set<string>();
  return list.map((item: unknown, i) => {
    const at = `rules[${i}]`;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw invalid('Invalid payload', `${at} must be an object`);
    const r = item as Obj;
    const unknown = Object.keys(r).filter((k) => !FIELDS.includes(k));
    if (unknown.length) throw invalid('Invalid payload', `${at}: unknown field ${unknown.map((u) => JSON.stringify(u)).join(', ')} (fields are ${FIELDS.join(', ')})`);
    if (typeof r.id !== 'string' || r.id.trim() === '') throw invalid('Invalid payload', `${at}.id is mandatory: a non-empty string`);
    const tooLong = (field: 'id' | 'expression' | 'explanation', max: number) => {
      const v = r[field];
      if (typeof v === 'string' && v.length > max) throw invalid('Invalid payload', `${at}.${field}: at most ${max} characters`);
    };
    tooLong('id', DLP_LIMITS.ruleId);
    if (seen.has(r.id)) throw invalid('Invalid payload', `${at}.id: the rule id ${JSON.stringify(r.id)} is used twice; each rule of a domain has its own id`);
    seen.add(r.id);
    if (typeof r.expression !== 'string' || r.expression.trim() === '') throw invalid('Invalid payload', `${at}.expression is mandatory: a non-empty string`);
    tooLong('expression', DLP_LIMITS.expression);
    const problem = expressionProblem(r.expression);
    if (problem) throw invalid('Invalid payload', `${at}.expression: ${problem}`);
    if (r.explanation !== undefined && r.explanation !== null && typeof r.explanation !== 'string') throw invalid('Invalid payload', `${at}.explanation must be a string`);
    tooLong('explanation', DLP_LIMITS.explanation);
    for (const t of ['targetsSender', 'targetsRecipients', 'targetsContent']) {
      if (r[t] !== undefined && typeof r[t] !== 'boolean') throw invalid('Invalid payload', `${at}.${t} must be true or false`);
    }
    return {
      ruleId: r.id,
      expression: r.expression,
      explanation: typeof r.explanation === 'string' ? r.explanation : null,
      targetsSender: r.targetsSender === true,
      targetsRecipients: r.targetsRecipients === true,
      targetsContent: r.targetsContent === true,
    };
  });
}

/** The first per-record refusal of a /set, as a 400 with its reason. */
function refusal(res: Obj): Error | null {
  for (const key of ['notCreated', 'notUpdated', 'notDestroyed']) {
    const errs = res[key] as Record<string, { description?: string; type: string }> | null;
    const first = errs && Object.values(errs)[0];
    if (first) return invalid('Invalid payload', first.description ?? first.type);
  }
  return null;
}

export function dlpRoutes(): Route[] {
  return [
    {
      method: 'GET',
      path: '/dlp/rules/:senderDomain',
      handler: ({ params, calls }) => ok({ rules: rulesOf(calls, senderDomain(calls, params.senderDomain).id).map(asJames) }),
    },
    {
      method: 'PUT',
      path: '/dlp/rules/:senderDomain',
      handler: async ({ params, calls, body }) => {
        const domain = senderDomain(calls, params.senderDomain);
        const wanted = parseRules(await body());
        const existing = new Map(rulesOf(calls, domain.id).map((r) => [String(r.ruleId), r]));
        const create: Obj = {};
        const update: Obj = {};
        wanted.forEach((w, i) => {
          const old = existing.get(String(w.ruleId));
          if (old) {
            const { ruleId: _fixed, ...patch } = w;
            update[old.id] = patch;
          } else create[`r${i}`] = { ...w, domainId: domain.id };
        });
        const kept = new Set(wanted.map((w) => String(w.ruleId)));
        const destroy = [...existing.values()].filter((r) => !kept.has(String(r.ruleId))).map((r) => r.id);
        const err = refusal(calls.set(RULE, { create, update, destroy }));
        if (err) throw err;
        return noContent();
      },
    },
    {
      method: 'DELETE',
      path: '/dlp/rules/:senderDomain',
      handler: ({ params, calls }) => {
        const ids = rulesOf(calls, senderDomain(calls, params.senderDomain).id).map((r) => r.id);
        if (ids.length) {
          const err = refusal(calls.set(RULE, { destroy: ids }));
          if (err) throw err;
        }
        return noContent();
      },
    },
    {
      method: 'GET',
      path: '/dlp/rules/:senderDomain/rules/:ruleId',
      handler: ({ params, calls }) => {
        const domain = senderDomain(calls, params.senderDomain);
        const rule = rulesOf(calls, domain.id).find((r) => r.ruleId === params.ruleId);
        if (!rule) throw notFound('The rule does not exist', `The domain ${String(domain.name)} has no DLP rule with the id ${JSON.stringify(params.ruleId)}`);
        return ok(asJames(rule));
      },
    },
  ];
}
