// API keys on the wire: `pst_<id>_<secret>`. Only a SHA-256 hash of the secret is stored
// (keys are 256 random bits, so a slow hash adds nothing).

import { createHash } from 'node:crypto';

export const API_KEY_PREFIX = 'pst_';

export function hashApiSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

/** `pst_<id>_<secret>` → its parts, or null. */
export function parseApiKey(token: string): { id: string; secret: string } | null {
  const m = /^pst_([A-Za-z0-9]{1,64})_([A-Za-z0-9_-]{20,200})$/.exec(token);
  return m ? { id: m[1], secret: m[2] } : null;
}
