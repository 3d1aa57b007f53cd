// Turns a per-record SetError into words: a message per field where the server named
// fields, and for the banner one sentence that says what happened and what to do next,
// in the schema's words (permission labels, object titles, never raw ids).

import type { Property, SchemaDocument } from '../../shared/schema/types';
import type { SetError } from '../jmap/types';
import { serverWords } from '../schema/words';
import { i18n } from '../i18n/i18n';
import { refusedWords, validationMessage } from './messages';

export interface DescribedError {
  summary: string;
  fields: Record<string, string>;
  /** Lists the summary shortened ("Create roles, Delete roles and 40 more"), in full. */
  lists: string[][];
}

/** The record's schema, so messages fit each field's type (units, examples, nested names). */
export interface RecordSchema {
  doc: SchemaDocument;
  properties: Record<string, Property>;
}

/** `tasks/taskTypes` → `tasks` and `taskTypes`: errors show on the top-level field that holds the value. */
function split(property: string): [string, string] {
  const i = property.indexOf('/');
  return i < 0 ? [property, ''] : [property.slice(0, i), property.slice(i + 1)];
}

/** What happened and what to do about it; `said` is the server's description as a sentence. */
function summaryOf(error: SetError, singularName: string, said: string | undefined): string {
  switch (error.type) {
    case 'validationFailed':
    case 'invalidProperties':
      return said ? i18n.t('forms:setError.attentionSaid', { said }) : i18n.t('forms:setError.attention');
    case 'invalidPatch':
      return i18n.t('forms:setError.reload', { said: said ?? i18n.t('forms:setError.patchRefused') });
    case 'primaryKeyViolation':
      return i18n.t('forms:setError.duplicate', { singular: singularName });
    case 'invalidForeignKey':
      return i18n.t('forms:setError.foreignKey');
    case 'objectIsLinked':
      return i18n.t('forms:setError.linked', { singular: singularName });
    case 'forbidden':
      // A refusal over permissions names them; one for another reason says its own way out.
      if (!said) return i18n.t('forms:setError.forbidden');
      return /permission/i.test(error.description ?? '') ? i18n.t('forms:setError.forbiddenPermissions', { said }) : said;
    case 'notFound':
      return i18n.t('forms:setError.notFound', { singular: singularName });
    default:
      return said ?? i18n.t('forms:setError.other', { type: error.type });
  }
}

export function describeSetError(error: SetError, singularName: string = i18n.t('forms:record.singular'), schema?: RecordSchema): DescribedError {
  const fields: Record<string, string> = {};
  const lists: string[][] = [];
  const words = (text: string) => {
    if (!schema) return text;
    const w = serverWords(schema.doc, text);
    lists.push(...w.lists);
    return w.text;
  };
  const put = (property: string, message: string) => {
    const [key] = split(property);
    if (!fields[key]) fields[key] = message;
  };
  for (const v of error.validationErrors ?? []) {
    const [key, below] = split(v.property);
    const prop = schema?.properties[key];
    put(key, validationMessage({ ...v, property: below }, prop && schema ? { doc: schema.doc, type: prop.type } : undefined));
  }
  const said = error.description ? words(error.description).replace(/\.$/, '') + '.' : undefined;
  const onField = (fallback: string) => {
    for (const p of error.properties ?? []) put(p, said ?? fallback);
  };
  switch (error.type) {
    case 'validationFailed':
    case 'invalidProperties':
      onField(refusedWords());
      break;
    case 'invalidPatch':
      onField(i18n.t('forms:setError.fieldImmutable'));
      break;
    case 'primaryKeyViolation':
      for (const p of error.properties ?? []) put(p, i18n.t('forms:setError.fieldDuplicate', { singular: singularName }));
      break;
    case 'invalidForeignKey':
      for (const p of error.properties ?? []) put(p, i18n.t('forms:setError.fieldForeignKey'));
      break;
    case 'forbidden':
      // An escalation names the fields that would grant too much.
      onField(i18n.t('forms:setError.fieldForbidden'));
      break;
    default:
      break;
  }
  // The field-by-field sentences already say what the description says.
  const summarySaid = error.type === 'validationFailed' && (error.validationErrors?.length ?? 0) > 0 ? undefined : said;
  return { summary: summaryOf(error, singularName, summarySaid), fields, lists };
}

/** Puts the server's per-field messages on the form's own fields (those it shows); returns the others, labelled. */
export function showFieldErrors(
  error: SetError,
  schema: RecordSchema,
  setError: (name: string, e: { message: string }) => void,
  singularName?: string,
  shown?: ReadonlySet<string>,
): string[] {
  const { fields } = describeSetError(error, singularName, schema);
  const elsewhere: string[] = [];
  for (const [name, message] of Object.entries(fields)) {
    if (name in schema.properties && (!shown || shown.has(name))) setError(name, { message });
    else elsewhere.push(`${name}: ${message}`);
  }
  return elsewhere;
}
