// JMAP errors: request-level problem details (RFC 7807) and method-level errors (RFC 8620
// §3.6). Per-record SetErrors are a wire type shared with the console: src/shared/jmap/errors.ts.

export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly problemType: string,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
  }

  body() {
    return { type: this.problemType, status: this.status, detail: this.detail, ...this.extra };
  }
}

export const problem = {
  notJSON: (detail: string) => new ProblemError(400, 'urn:ietf:params:jmap:error:notJSON', detail),
  notRequest: (detail: string) => new ProblemError(400, 'urn:ietf:params:jmap:error:notRequest', detail),
  unknownCapability: (cap: string) =>
    new ProblemError(400, 'urn:ietf:params:jmap:error:unknownCapability', `Unknown capability: ${cap}`),
  limit: (limit: string, detail: string) =>
    new ProblemError(400, 'urn:ietf:params:jmap:error:limit', detail, { limit }),
  unauthorized: () => new ProblemError(401, 'about:blank', 'You have to sign in to use this resource.', { title: 'Unauthorized' }),
  tokenExpired: () => new ProblemError(401, 'about:blank', 'The access token expired: refresh it.', { title: 'Unauthorized', expired: true }),
  forbidden: (detail: string) => new ProblemError(403, 'about:blank', detail, { title: 'Forbidden' }),
  notFound: () => new ProblemError(404, 'about:blank', 'Not found', { title: 'Not Found' }),
};

export type MethodErrorType =
  | 'unknownMethod' | 'invalidArguments' | 'invalidResultReference' | 'forbidden' | 'accountNotFound'
  | 'accountNotSupportedByMethod' | 'accountReadOnly' | 'serverFail' | 'stateMismatch' | 'requestTooLarge'
  | 'cannotCalculateChanges' | 'unsupportedFilter' | 'unsupportedSort' | 'anchorNotFound' | 'tooManyChanges'
  | 'serverUnavailable';

export class MethodError extends Error {
  constructor(
    readonly type: MethodErrorType,
    readonly description: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(description);
  }

  body() {
    return { type: this.type, description: this.description, ...this.extra };
  }
}
