// x:DlpRule, a Postern extension for James's DLP rules (seed 002; Stalwart 0.16 has none):
// a regular expression per sender domain that Postern's content filter runs on every mail
// from that domain, sending a match to the quarantine repository (mail/filter/dlp.ts).
// James's "PUT replaces the whole list" is one /set destroying the old rules and creating
// the new ones. Expressions are RE2 (linear time): one that RE2 refuses is refused here,
// naming the property.

import type { SetError } from '../../shared/jmap/errors';
import { validationFailed } from '../../shared/jmap/errors';
import { labelled, listPage, textProperty } from './builders';
import type { ObjectDef, WriteContext } from './define';
import { DLP_LIMITS, DLP_RULE, expressionProblem } from '../mail/filter/dlp';

type Obj = Record<string, unknown>;

const target = (description: string) => ({ description, type: { type: 'boolean' as const }, update: 'mutable' as const });

/** The rule id is unique within its domain; the expression compiles. */
function check(ctx: WriteContext, id: string, next: Obj, prev: Obj | null): SetError | null {
  const expression = String(next.expression ?? '');
  const problem = expression === '' ? 'must not be empty' : expressionProblem(expression);
  if (problem) return validationFailed([{ type: 'Invalid', property: 'expression', description: problem, value: expression }]);
  if (prev) return null; // domainId and ruleId are fixed once created
  const ruleId = String(next.ruleId);
  if (ruleId.trim() === '') return validationFailed([{ type: 'Invalid', property: 'ruleId', description: 'must not be empty', value: ruleId }]);
  for (const [other, d] of ctx.store.all(DLP_RULE)) {
    if (other !== id && d.domainId === next.domainId && d.ruleId === ruleId) {
      return {
        type: 'primaryKeyViolation',
        description: `The domain already has a DLP rule with the id "${ruleId}": a rule id is used once per domain`,
        properties: ['ruleId'],
        objectId: { object: DLP_RULE, id: other },
      };
    }
  }
  return null;
}

export const dlpRule: ObjectDef = {
  name: DLP_RULE,
  description:
    'Postern extension (Stalwart 0.16 has no such object; from James\u2019s DLP configuration): a regular expression that mail from one sender domain is checked against; a mail that matches is set aside in the quarantine repository.',
  permissionPrefix: 'sysDlpRule',
  fields: {
    properties: {
      domainId: { description: 'The sender domain whose mail the rule checks', type: { type: 'objectId', objectName: 'x:Domain' }, update: 'immutable' },
      ruleId: textProperty('The rule\u2019s own id, unique within its domain (James\u2019s id)', 'immutable', { maxLength: DLP_LIMITS.ruleId }),
      expression: textProperty('Regular expression (RE2 syntax, matched anywhere in the text) looked for in the targets below', 'mutable', { maxLength: DLP_LIMITS.expression }),
      explanation: textProperty('What the rule looks for, in words', 'mutable', { nullable: true, maxLength: DLP_LIMITS.explanation }),
      targetsSender: target('Look in the envelope sender and the From and Sender headers'),
      targetsRecipients: target('Look in the envelope recipients and the To, Cc and Bcc headers'),
      targetsContent: target('Look in the Subject and the text bodies (text/plain and text/html)'),
    },
    defaults: { targetsSender: false, targetsRecipients: false, targetsContent: false },
  },
  indexed: ['domainId', 'ruleId'],
  check,
  form: {
    title: 'DLP rule',
    subtitle: 'A regular expression mail from a sender domain is checked against',
    sections: [
      { title: 'Rule', fields: labelled({ domainId: 'Sender domain', ruleId: 'Rule id', expression: 'Expression', explanation: 'Explanation' }) },
      { title: 'Targets', fields: labelled({ targetsSender: 'Sender', targetsRecipients: 'Recipients', targetsContent: 'Content' }) },
    ],
  },
  list: listPage({
    title: 'DLP rules',
    subtitle: 'Regular expressions mail from each sender domain is checked against',
    singularName: 'DLP rule', pluralName: 'DLP rules',
    labelProperty: 'ruleId',
    columns: labelled({ domainId: 'Sender domain', ruleId: 'Rule id', expression: 'Expression', explanation: 'Explanation', targetsSender: 'Sender', targetsRecipients: 'Recipients', targetsContent: 'Content' }),
    filters: [
      { type: 'objectId', field: 'domainId', label: 'Sender domain', objectName: 'x:Domain' },
      { type: 'text', field: 'ruleId', label: 'Rule id' },
    ],
    sort: [{ property: 'ruleId', isAscending: true }],
  }),
};
