// The sentence a person reads for a validation problem: one mapping for the console's own
// checks (the shared validator) and for the validationErrors a server sends back.

import type { FieldType, Property, SchemaDocument } from '../../shared/schema/types';
import type { ValidationError } from '../jmap/types';
import { DURATION_UNITS, formatWithUnit, SIZE_UNITS } from '../lib/units';
import { humanize } from '../schema/resolve';

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

function invalidString(type: Extract<FieldType, { type: 'string' }>, error: ValidationError): string {
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
    default:
      return REFUSED;
  }
}

function invalid(doc: SchemaDocument, type: FieldType | undefined, error: ValidationError): string {
  if (!type) return REFUSED;
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
    case 'objectId':
      return 'Choose a record from the list';
    case 'blobId':
      return 'Enter a blob id';
    case 'object':
      return doc.schemas[type.objectName]?.type === 'multiple' ? 'Choose an option' : REFUSED;
    case 'objectList': case 'set': case 'map':
      return REFUSED;
    default: {
      const _: never = type;
      return REFUSED;
    }
  }
}

function sentence(doc: SchemaDocument | undefined, place: Place, error: ValidationError): string {
  const { type } = place;
  const n = error.required;
  switch (error.type) {
    case 'Required':
      return place.variant || type?.type === 'object' ? 'Choose an option' : 'This field is required';
    case 'Invalid':
      return place.variant ? 'Choose an option' : doc ? invalid(doc, type, error) : REFUSED;
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
      // A type this console does not know (a newer or foreign server): say what it is.
      return n !== undefined ? `${error.type} (expected ${String(n)})` : error.type.replace(/([a-z])([A-Z])/g, '$1 $2');
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
