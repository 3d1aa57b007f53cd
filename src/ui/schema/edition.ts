import type { SchemaDocument } from '../../shared/schema/types';
import { i18n } from '../i18n/i18n';

// Enterprise-only objects and fields (schema `enterprise: true`) against the edition the
// server says it runs (GET /api/account `edition`: "oss", "community" or "enterprise").

/**
 * Whether the server's edition lacks enterprise features. Only "enterprise" has them; a
 * server that names no edition (an older one) is taken at its schema's word.
 */
export function lacksEnterprise(edition: string | undefined): boolean {
  return edition !== undefined && edition !== 'enterprise';
}

/** The words beside a field or page the edition lacks, in the console's language. */
export function enterpriseNote(): string {
  return i18n.t('app:enterprise');
}

/** Whether the page of `viewName` (an object, or a view of one) is enterprise-only on an edition that lacks it. */
export function enterpriseOnly(doc: SchemaDocument, viewName: string, edition: string | undefined): boolean {
  if (!lacksEnterprise(edition)) return false;
  const o = doc.objects[viewName];
  return !!(o?.enterprise || (o?.objectName && doc.objects[o.objectName]?.enterprise));
}
