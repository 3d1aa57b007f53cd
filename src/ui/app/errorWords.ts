// The schema's words for what the server refused: a forbidden object by its title and the
// missing permission by its label ("Search API keys"), never `x:ApiKey` or `sysApiKeyQuery`.

import type { SchemaDocument } from '../../shared/schema/types';
import { i18n } from '../i18n/i18n';
import { explainError, type ErrorWords, type Explained } from '../lib/errors';
import { MethodError } from '../jmap/types';
import { PERMISSION_ENUM } from '../schema/grants';
import { humanize, permissionName, type Verb } from '../schema/resolve';
import { inSchemaWords, objectTitle } from '../schema/words';

export function permissionLabel(doc: SchemaDocument, name: string): string {
  return doc.enums[PERMISSION_ENUM]?.find((v) => v.name === name)?.label ?? humanize(name);
}

/** Why the caller cannot open `what` (a page or an object's title), and who can help. */
export function forbiddenWords(doc: SchemaDocument, what: string, permission: string | undefined): Explained {
  const message = permission
    ? i18n.t('app:forbidden.cannotOpenNeeds', { what, permission: permissionLabel(doc, permission) })
    : i18n.t('app:forbidden.cannotOpen', { what });
  return { message, next: i18n.t('app:forbidden.next') };
}

/** The verb each read method needs (a /set is checked per record: its own words stand). */
const READS: Record<string, Verb> = { get: 'Get', changes: 'Get', query: 'Query', queryChanges: 'Query' };

export function errorWords(doc: SchemaDocument): ErrorWords {
  return (error) => {
    if (!(error instanceof MethodError)) return null;
    const [objectName, method] = error.method.split('/');
    const verb = READS[method];
    if (error.type === 'forbidden' && verb && doc.objects[objectName]) {
      const what = objectTitle(doc, objectName) ?? humanize(objectName.replace(/^x:/, ''));
      return forbiddenWords(doc, what, permissionName(doc.objects[objectName].permissionPrefix, verb));
    }
    const explained = explainError(error);
    return { ...explained, message: inSchemaWords(doc, explained.message) };
  };
}
