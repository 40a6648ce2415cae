import { describeErrorTable } from '@interlink/testing/errors';
import { describe, expect, it } from 'vitest';
import { AuthError } from './auth-error.js';
import { authErrorCodes } from './auth-error-codes.js';

describeErrorTable('@interlink/auth', authErrorCodes, 'ERR_');

describe('AuthError', () => {
  it('gives an AuthError the status and title of its code', () => {
    const error = new AuthError('ERR_NONCE_REPLAYED', 'nonce already used');
    expect(error.status).toBe(401);
    expect(error.title).toBe('Nonce already used');
    expect(error.name).toBe('AuthError');
  });
});
