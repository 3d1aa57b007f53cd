// The sentence a person reads for a validation problem: one mapping for the console's own
// checks (the shared validator) and for the validationErrors a server sends back. Where
// the console has no words of its own for a problem, the server's description stands.

import type { FieldType, Property, SchemaDocument } from '../../shared/schema/types';
import type { ValidationError } from '../jmap/types';
import { i18n } from '../i18n/i18n';
import { DURATION_UNITS, formatWithUnit, SIZE_UNITS } from '../lib/units';
import { humanize } from '../schema/resolve';
import { inSchemaWords } from '../schema/words';

/** The field a problem belongs to; `error.property` is then the path below it ('' for the field itself). */
export interface FieldOf {
  doc: SchemaDocument;
  type: FieldType;
}

/** The words for a value the server refused without saying why; read at call time, in the current language. */
export function refusedWords(): string {
  return i18n.t('forms:validation.refused');
}

// The catalogue is fetched as soon as this module is, so words are there when first needed
// (callers outside the forms' own pages too).
if (i18n.isInitialized) void i18n.loadNamespaces('forms');
else i18n.on('initialized', () => void i18n.loadNamespaces('forms'));

/** Where a problem sits inside a field's value: the type there, and the nested property it names. */
interface Place {
  type?: FieldType;
  label?: string;
  /** The problem is the choice of a union's variant (`@type`). */
  variant?: boolean;
}

function nestedProperty(doc: SchemaDocument, objectName: string, name: string): Property | undefined {
  const shape = doc.schemas[objectName];
  if (!shape) return undefined;
  const schemaNames = shape.type === 'single' ? [shape.schemaName] : shape.variants.map((v) => v.schemaName);
  return schemaNames.map((s) => (s ? doc.fields[s]?.properties[name] : undefined)).find(Boolean);
}

/** Follows the JSON-pointer parts of `path` through `type`. */
function locate(doc: SchemaDocument, type: FieldType, path: string, error: ValidationError): Place {
  let at: FieldType | undefined = type;
  let label: string | undefined;
  for (const part of path ? path.split('/') : []) {
    if (!at) break;
    switch (at.type) {
      case 'object':
        if (part === '@type') return { label, variant: true };
        at = nestedProperty(doc, at.objectName, part)?.type;
        label = humanize(part);
        break;
      case 'objectList':
        at = { type: 'object', objectName: at.objectName };
        break;
      case 'map':
        at = at.valueClass;
        break;
      case 'set':
        at = at.class;
        break;
      case 'string': case 'number': case 'boolean': case 'utcDateTime': case 'enum': case 'objectId': case 'blobId':
        at = undefined;
        break;
      default: {
        const _: never = at;
        at = undefined;
      }
    }
  }
  // A set's members and a map's keys are checked at the set's or the map's own path.
  if (at?.type === 'set' && error.type !== 'MinItems') at = at.class;
  else if (at?.type === 'map') at = at.keyClass;
  return { type: at, label };
}

/** A limit as the person types it in the widget (1 GB, 30 min, 65535): input syntax, not prose. */
function amount(type: FieldType | undefined, n: unknown): string {
  if (typeof n !== 'number' || type?.type !== 'number') return String(n);
  if (type.format === 'size') return formatWithUnit(SIZE_UNITS, n);
  if (type.format === 'duration') return formatWithUnit(DURATION_UNITS, n);
  return String(n);
}

/** Words for a string the server refused, when its format has an example to give; else undefined. */
function invalidString(type: Extract<FieldType, { type: 'string' }>, error: ValidationError): string | undefined {
  if (error.value !== undefined && typeof error.value !== 'string') return i18n.t('forms:validation.enterText');
  switch (type.format) {
    case 'ipNetwork':
      return error.description ? i18n.t('forms:validation.ipNetworkWhy', { why: error.description }) : i18n.t('forms:validation.ipNetwork');
    case 'ipAddress':
      return i18n.t('forms:validation.ipAddress');
    case 'emailAddress':
      return i18n.t('forms:validation.emailAddress');
    case 'uri':
      return i18n.t('forms:validation.uri');
    case 'socketAddress':
      return i18n.t('forms:validation.socketAddress');
    case 'color':
      return i18n.t('forms:validation.color');
    case 'string': case 'text': case 'secret': case 'secretText': case 'html': case 'loginName': case undefined:
      // Plain text has no example to give; a login name's rule is the validator's own words.
      return undefined;
    default: {
      const _: never = type.format;
      return undefined;
    }
  }
}

/**
 * The console's words for an invalid value of this type, where it has words that say more
 * than the server's description (examples, "Choose"); undefined where it has none.
 */
function invalid(doc: SchemaDocument, type: FieldType | undefined, error: ValidationError): string | undefined {
  if (!type) return undefined;
  switch (type.type) {
    case 'string':
      return invalidString(type, error);
    case 'number':
      return typeof error.value === 'number' && Number.isFinite(error.value) ? i18n.t('forms:validation.wholeNumber') : i18n.t('forms:validation.number');
    case 'boolean':
      return i18n.t('forms:validation.yesNo');
    case 'utcDateTime':
      return i18n.t('forms:validation.dateTime');
    case 'enum':
      return i18n.t('forms:validation.oneOfOptions');
    case 'object':
      return doc.schemas[type.objectName]?.type === 'multiple' ? i18n.t('forms:validation.chooseOption') : undefined;
    case 'objectId':
      // A picked record is always a real id: the server's reason (a cycle, say) is the news.
      return error.description ? undefined : i18n.t('forms:validation.chooseRecord');
    case 'blobId': case 'objectList': case 'set': case 'map':
      return undefined;
    default: {
      const _: never = type;
      return undefined;
    }
  }
}

/** The server's description, in the schema's words (permission labels, object titles). */
function described(doc: SchemaDocument | undefined, error: ValidationError): string | undefined {
  if (!error.description) return undefined;
  return doc ? inSchemaWords(doc, error.description) : error.description;
}

function sentence(doc: SchemaDocument | undefined, place: Place, error: ValidationError): string {
  const { type } = place;
  const n = error.required;
  switch (error.type) {
    case 'Required':
      return place.variant || type?.type === 'object' ? i18n.t('forms:validation.chooseOption') : i18n.t('forms:validation.required');
    case 'Invalid':
      if (place.variant) return i18n.t('forms:validation.chooseOption');
      return (doc && invalid(doc, type, error)) ?? described(doc, error) ?? refusedWords();
    case 'MaxLength':
      return i18n.t('forms:validation.maxLength', { count: Number(n) });
    case 'MinLength':
      return i18n.t('forms:validation.minLength', { count: Number(n) });
    case 'Min':
      return n === 0 ? i18n.t('forms:validation.zeroOrMore') : i18n.t('forms:validation.atLeast', { amount: amount(type, n) });
    case 'Max':
      return i18n.t('forms:validation.atMost', { amount: amount(type, n) });
    case 'MinItems': {
      const pick = type?.type === 'set' && (type.class.type === 'enum' || type.class.type === 'objectId');
      return pick ? i18n.t('forms:validation.chooseAtLeast', { n: String(n) }) : i18n.t('forms:validation.addAtLeast', { n: String(n) });
    }
    default:
      // A type this console does not know (a newer or foreign server): its description, else what it is.
      return described(doc, error) ?? (n !== undefined ? i18n.t('forms:validation.expected', { type: error.type, n: String(n) }) : error.type.replace(/([a-z])([A-Z])/g, '$1 $2'));
  }
}

/**
 * What a person reads for one validation problem. With the field's schema type the words
 * fit it (units, examples, "Choose" for pickers) and a problem inside a nested object
 * names the nested property; without, they stay general.
 */
export function validationMessage(error: ValidationError, field?: FieldOf): string {
  const place = field ? locate(field.doc, field.type, error.property, error) : {};
  const words = sentence(field?.doc, place, error);
  return place.label ? i18n.t('forms:validation.nested', { label: place.label, message: words }) : words;
}
