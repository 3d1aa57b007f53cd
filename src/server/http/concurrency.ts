// How many requests each caller may have in progress at once (RFC 8620 §2:
// maxConcurrentRequests for the API endpoint, maxConcurrentUpload for uploads). A request
// holds its slot from the moment it is authenticated until its answer is written.

import { ProblemError } from '../jmap/errors';

export class CallerSlots {
  private readonly inUse = new Map<string, number>();

  constructor(
    /** The session capability that names this limit. */
    private readonly limitName: string,
    private readonly max: number,
  ) {}

  /** Runs `fn` in one of the caller's slots, or refuses with the RFC's limit error when all are taken. */
  async run<T>(accountId: string, fn: () => Promise<T>): Promise<T> {
    const n = this.inUse.get(accountId) ?? 0;
    if (n >= this.max) {
      throw new ProblemError(429, 'urn:ietf:params:jmap:error:limit', `At most ${this.max} requests at once: wait for one to finish`, {
        limit: this.limitName,
      });
    }
    this.inUse.set(accountId, n + 1);
    try {
      return await fn();
    } finally {
      const left = (this.inUse.get(accountId) ?? 1) - 1;
      if (left > 0) this.inUse.set(accountId, left);
      else this.inUse.delete(accountId);
    }
  }

  /** Requests of this caller in progress (tests). */
  busy(accountId: string): number {
    return this.inUse.get(accountId) ?? 0;
  }
}
