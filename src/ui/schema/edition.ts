// Enterprise-only objects and fields (schema `enterprise: true`) against the edition the
// server says it runs (GET /api/account `edition`: "oss", "community" or "enterprise").

/**
 * Whether the server's edition lacks enterprise features. Only "enterprise" has them; a
 * server that names no edition (an older one) is taken at its schema's word.
 */
export function lacksEnterprise(edition: string | undefined): boolean {
  return edition !== undefined && edition !== 'enterprise';
}

/** The words beside a field or page the edition lacks. */
export const ENTERPRISE_NOTE = 'Enterprise edition';
