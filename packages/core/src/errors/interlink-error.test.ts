import { describe, expect, it } from 'vitest';
import { CoreError, errorClassFor, InterlinkError, isInterlinkError } from './interlink-error.js';
import { createProblem } from './problem-details.js';

describe('InterlinkError', () => {
  it('takes status and title from the code table', () => {
    const error = new CoreError('ERR_FORBIDDEN', 'not yours');
    expect(error).toMatchObject({
      code: 'ERR_FORBIDDEN',
      status: 403,
      title: 'Forbidden',
      name: 'CoreError',
    });
    expect(isInterlinkError(error)).toBe(true);
    expect(isInterlinkError(new Error('x'))).toBe(false);
  });

  it('gives a package error class its own table', () => {
    const AuthLike = errorClassFor('AuthLikeError', {
      ERR_TOKEN_EXPIRED: { status: 401, title: 'Token expired' },
    } as const);
    const error = new AuthLike('ERR_TOKEN_EXPIRED', 'expired at 12:00');
    expect(error).toBeInstanceOf(InterlinkError);
    expect(error).toMatchObject({ status: 401, title: 'Token expired', name: 'AuthLikeError' });
  });
});

describe('createProblem', () => {
  it('builds an RFC 9457 document whose extensions cannot overwrite standard members', () => {
    const problem = createProblem({
      code: 'ERR_RATE_LIMITED',
      detail: 'slow down',
      requestId: 'r1',
      extensions: { retryAfter: 5, status: 200, type: 'evil' },
    });
    expect(problem).toEqual({
      type: 'urn:interlink:error:ERR_RATE_LIMITED',
      title: 'Too Many Requests',
      status: 429,
      code: 'ERR_RATE_LIMITED',
      detail: 'slow down',
      requestId: 'r1',
      retryAfter: 5,
    });
  });
});
