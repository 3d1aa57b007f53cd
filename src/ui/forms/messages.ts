// The sentence a person reads for a validation problem: one mapping for the console's own
// checks (the shared validator) and for the validationErrors a server sends back. Where
// the console has no words of its own for a problem, the server's description stands.

import type { FieldType, Property, SchemaDocument } from '../../shared/schema/types';
import type { ValidationError } from '../jmap/types';
import { DURATION_UNITS, formatWithUnit, SIZE_UNITS } from '../lib/units';
import { humanize } from '../schema/resolve';
import { inSchemaWords } from '../schema/words';

/** The field a problem belongs to; `error.property` is then the path below it ('' for the field itself). */
export interface FieldOf {
  doc: SchemaDocument;
  type: FieldType;
}

export const REFUSED = 'The server did not accept this value';

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

function amount(type: FieldType | undefined, n: unknown): string {
  if (typeof n !== 'number' || type?.type !== 'number') return String(n);
  if (type.format === 'size') return formatWithUnit(SIZE_UNITS, n);
  if (type.format === 'duration') return formatWithUnit(DURATION_UNITS, n);
  return String(n);
}

/** Words for a string the server refused, when its format has an example to give; else undefined. */
function invalidString(type: Extract<FieldType, { type: 'string' }>, error: ValidationError): string | undefined {
  if (error.value !== undefined && typeof error.value !== 'string') return 'Enter text';
  switch (type.format) {
    case 'ipNetwork':
      return `Enter an IP address or network such as 10.0.0.0/8${error.description ? ` (${error.description})` : ''}`;
    case 'ipAddress':
      return 'Enter an IP address such as 192.0.2.1';
    case 'emailAddress':
      return 'Enter an email address such as name@example.com';
    case 'uri':
      return 'Enter a full URL such as https://example.com';
    case 'socketAddress':
      return 'Enter an address and port such as 0.0.0.0:143 or [::]:993';
    case 'color':
      return 'Enter a colour such as #12abef';
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
      return typeof error.value === 'number' && Number.isFinite(error.value) ? 'Enter a whole number' : 'Enter a number';
    case 'boolean':
      return 'Choose yes or no';
    case 'utcDateTime':
      return 'Enter a date and time';
    case 'enum':
      return 'Choose one of the options';
    case 'object':
      return doc.schemas[type.objectName]?.type === 'multiple' ? 'Choose an option' : undefined;
    case 'objectId':
      // A picked record is always a real id: the server's reason (a cycle, say) is the news.
      return error.description ? undefined : 'Choose a record from the list';
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
      return place.variant || type?.type === 'object' ? 'Choose an option' : 'This field is required';
    case 'Invalid':
      if (place.variant) return 'Choose an option';
      return (doc && invalid(doc, type, error)) ?? described(doc, error) ?? REFUSED;
    case 'MaxLength':
      return `Use at most ${String(n)} characters`;
    case 'MinLength':
      return `Use at least ${String(n)} characters`;
    case 'Min':
      return n === 0 ? 'Enter zero or a positive number' : `Enter at least ${amount(type, n)}`;
    case 'Max':
      return `Enter at most ${amount(type, n)}`;
    case 'MinItems': {
      const pick = type?.type === 'set' && (type.class.type === 'enum' || type.class.type === 'objectId');
      return `${pick ? 'Choose' : 'Add'} at least ${String(n)}`;
    }
    default:
      // A type this console does not know (a newer or foreign server): its description, else what it is.
      return described(doc, error) ?? (n !== undefined ? `${error.type} (expected ${String(n)})` : error.type.replace(/([a-z])([A-Z])/g, '$1 $2'));
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
  return place.label ? `${place.label}: ${words}` : words;
}
