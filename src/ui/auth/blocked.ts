// Recognising the server's refusal of the caller's address (too many failed sign-ins,
// or an administrator's block), so the console can explain it instead of failing.

import { i18n } from '../i18n/i18n';

export interface Problem {
  type?: string;
  title?: string;
  detail?: string;
  status?: number;
  /** Optional extension members a server may add to the 403. */
  address?: string;
  expiresAt?: string;
  reason?: string;
}

export interface Blocked {
  /** The address the server refused, when it says. */
  address: string | null;
  expiresAt: string | null;
  reason: string | null;
}

const BLOCKED_DETAIL = /\brequests from (\S+?) are blocked\b/i;

/** The block a response announces, or null when it is some other answer. */
export function blockedFrom(status: number, problem: Problem | null | undefined): Blocked | null {
  if (status !== 403 || !problem || typeof problem !== 'object') return null;
  const m = typeof problem.detail === 'string' ? BLOCKED_DETAIL.exec(problem.detail) : null;
  const typed = typeof problem.type === 'string' && /blocked/i.test(problem.type);
  if (!m && !typed) return null;
  return {
    address: typeof problem.address === 'string' ? problem.address : (m?.[1] ?? null),
    expiresAt: typeof problem.expiresAt === 'string' ? problem.expiresAt : null,
    reason: typeof problem.reason === 'string' ? problem.reason : null,
  };
}

/** Reads a response's problem body (if any) and returns the block it announces. */
export async function blockedResponse(res: Response): Promise<Blocked | null> {
  if (res.status !== 403) return null;
  try {
    return blockedFrom(403, (await res.clone().json()) as Problem);
  } catch {
    return null;
  }
}

/** Requests from this address are refused by the server. */
export class BlockedError extends Error {
  override name = 'BlockedError';
  constructor(readonly blocked: Blocked) {
    super(i18n.t('app:blocked.requestsBlocked', { address: blocked.address ?? i18n.t('app:blocked.thisAddress') }));
  }
}
