import { describe, expect, it } from 'vitest';
import { CoreError, errorClassFor } from './interlink-error.js';
import { isRetryable, notRetryable } from './is-retryable.js';

describe('isRetryable', () => {
  it('presumes an unknown failure transient', () => {
    expect(isRetryable(new Error('socket hang up'))).toBe(true);
    expect(isRetryable('a thrown string')).toBe(true);
    expect(isRetryable(undefined)).toBe(true);
    expect(isRetryable(new CoreError('ERR_SERVICE_UNAVAILABLE', 'down'))).toBe(true);
  });

  it('reads retryable from the thrower, a plain error or an Interlink one', () => {
    expect(isRetryable(notRetryable(new Error('unknown customer')))).toBe(false);
    expect(isRetryable(Object.assign(new Error('bad input'), { retryable: false }))).toBe(false);
    expect(isRetryable(new CoreError('ERR_SERVICE_UNAVAILABLE', 'down', { retryable: false }))).toBe(false);
    expect(isRetryable(notRetryable(new CoreError('ERR_SERVICE_UNAVAILABLE', 'down')))).toBe(false);
  });

  it("takes a code's default from its package's table, which the thrower can override", () => {
    const PkgError = errorClassFor('PkgError', {
      ERR_PKG_INVALID: { status: 400, title: 'Invalid', retryable: false },
      ERR_PKG_BUSY: { status: 503, title: 'Busy' },
    } as const);
    expect(isRetryable(new PkgError('ERR_PKG_INVALID', 'no'))).toBe(false);
    expect(isRetryable(new PkgError('ERR_PKG_BUSY', 'later'))).toBe(true);
    expect(isRetryable(new PkgError('ERR_PKG_INVALID', 'maybe', { retryable: true }))).toBe(true);
  });
});
