import { describe, expect, it } from 'vitest';
import { AuthError, HttpError, MethodError, UnreachableError } from '../jmap/types';
import { explainError } from './errors';

describe('explainError', () => {
  it('says the server cannot be reached instead of "Failed to fetch", offline or not', () => {
    expect(explainError(new TypeError('Failed to fetch'), false)).toEqual({
      message: 'Cannot reach the server: it did not answer.',
      next: 'Check that it is running and that this computer can reach it, then try again.',
    });
    expect(explainError(new UnreachableError(true))).toEqual({ message: 'Cannot reach the server: this computer is offline.', next: 'Try again once it is back online.' });
    expect(new UnreachableError(false)).toBeInstanceOf(TypeError);
  });

  it('tells a server that is down or failing from one that refused, and says what to do', () => {
    expect(explainError(new HttpError(503, undefined))).toEqual({ message: 'The server is not answering right now (HTTP 503).', next: 'Wait a moment, then try again.' });
    expect(explainError(new HttpError(500, { detail: 'disk full' })).message).toBe('The server failed to answer (HTTP 500): disk full');
    expect(explainError(new HttpError(400, { detail: 'Bad filter' }))).toEqual({ message: 'Bad filter' });
    expect(explainError(new AuthError('x')).next).toBe('Sign in again.');
    expect(explainError(new MethodError('serverFail', 'x:Role/get', 'database locked')).message).toBe('The server failed: database locked');
  });

  it('asks for a reload when part of the console cannot be loaded', () => {
    expect(explainError(new TypeError('Failed to fetch dynamically imported module: /assets/ListPage.js')).next).toBe('Reload the page.');
  });
});
