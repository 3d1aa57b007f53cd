// The WebAdmin error body of seed 002 ({statusCode, type, message, cause}), and how the JMAP
// engine's refusals (SetErrors, method errors, request problems) read in it.

import type { SetError } from '../../shared/jmap/errors';
import { MethodError, ProblemError } from '../jmap/errors';

/**
 * James's four error types, plus two for what James leaves to a filter in front of it:
 * `Unauthorized` (no or bad credentials) and `Forbidden` (the caller's permissions).
 */
export type ErrorType = 'InvalidArgument' | 'notFound' | 'WrongState' | 'ServerError' | 'Unauthorized' | 'Forbidden';

export class WebAdminError extends Error {
  constructor(
    readonly statusCode: number,
    readonly type: ErrorType,
    message: string,
    /** The precise reason (which property, why), or null. */
    readonly detail: string | null = null,
  ) {
    super(message);
  }

  body() {
    return { statusCode: this.statusCode, type: this.type, message: this.message, cause: this.detail };
  }
}

export const invalid = (message: string, cause: string | null = null) => new WebAdminError(400, 'InvalidArgument', message, cause);
export const notFound = (message: string, cause: string | null = null) => new WebAdminError(404, 'notFound', message, cause);
export const conflict = (message: string, cause: string | null = null) => new WebAdminError(409, 'WrongState', message, cause);
export const forbidden = (message: string, cause: string | null = null) => new WebAdminError(403, 'Forbidden', message, cause);
export const unauthorized = (cause: string) => new WebAdminError(401, 'Unauthorized', 'Authentication required', cause);
export const serverError = () => new WebAdminError(500, 'ServerError', 'The server could not process this request');

/** HTTP status of a SetError: bad input 400, taken or still used 409, refused 403, gone 404. */
const SET_STATUS: Record<SetError['type'], [number, ErrorType]> = {
  validationFailed: [400, 'InvalidArgument'],
  invalidProperties: [400, 'InvalidArgument'],
  invalidPatch: [400, 'InvalidArgument'],
  invalidForeignKey: [400, 'InvalidArgument'],
  tooLarge: [400, 'InvalidArgument'],
  primaryKeyViolation: [409, 'WrongState'],
  objectIsLinked: [409, 'WrongState'],
  willDestroy: [409, 'WrongState'],
  singleton: [409, 'WrongState'],
  forbidden: [403, 'Forbidden'],
  notFound: [404, 'notFound'],
  overQuota: [403, 'Forbidden'],
  rateLimit: [429, 'WrongState'],
  serverFail: [500, 'ServerError'],
};

/** The precise text of a SetError: its description, or its properties' own errors. */
export function setErrorCause(e: SetError): string {
  if (e.description) return e.description;
  const parts = (e.validationErrors ?? []).map((v) => `${v.property}: ${v.description}`);
  return parts.length ? parts.join('; ') : e.properties?.length ? `${e.type}: ${e.properties.join(', ')}` : e.type;
}

export function fromSetError(message: string, e: SetError): WebAdminError {
  const [status, type] = SET_STATUS[e.type] ?? [400, 'InvalidArgument'];
  return new WebAdminError(status, type, message, setErrorCause(e));
}

/** A method-level refusal of the engine: permissions are 403; anything else is the request's size or our fault. */
export function fromMethodError(e: MethodError): WebAdminError {
  if (e.type === 'forbidden') return forbidden('You are not allowed to do this', e.description);
  if (e.type === 'requestTooLarge') return invalid('The request asks for too much at once', e.description);
  if (['invalidArguments', 'unsupportedFilter', 'unsupportedSort', 'anchorNotFound', 'invalidResultReference'].includes(e.type)) {
    return invalid('The request is not valid', e.description);
  }
  if (e.type === 'serverUnavailable') return new WebAdminError(503, 'ServerError', 'A mail service this request needs is unavailable', e.description);
  return new WebAdminError(500, 'ServerError', 'The server could not process this request', e.description);
}

/** Anything a handler threw, as the error to send. Unexpected errors are logged and become a bare 500. */
export function asWebAdminError(e: unknown, log: (e: unknown) => void): WebAdminError {
  if (e instanceof WebAdminError) return e;
  if (e instanceof MethodError) return fromMethodError(e);
  if (e instanceof ProblemError) {
    const type: ErrorType = e.status === 401 ? 'Unauthorized' : e.status === 403 ? 'Forbidden' : e.status >= 500 ? 'ServerError' : 'InvalidArgument';
    return new WebAdminError(e.status, type, e.detail);
  }
  log(e);
  return serverError();
}
