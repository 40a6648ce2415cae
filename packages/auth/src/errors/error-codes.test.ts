import { readFileSync } from 'node:fs';
import { diffErrorTable, parseErrorTable } from '@interlink/core';
import { describe, expect, it } from 'vitest';
import { AuthError } from './auth-error.js';
import { authErrorCodes } from './auth-error-codes.js';

const docs = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8');

describe('docs/errors.md', () => {
  it('lists every @interlink/auth code with its status, and nothing else for auth', () => {
    expect(diffErrorTable('@interlink/auth', authErrorCodes, parseErrorTable(docs))).toEqual([]);
  });

  it('catches a code missing from the docs', () => {
    const table = { ...authErrorCodes, ERR_AUTH_NEW_ONE: { status: 401, title: 'New' } };
    expect(diffErrorTable('@interlink/auth', table, parseErrorTable(docs))).toEqual([
      'ERR_AUTH_NEW_ONE is not in docs/errors.md',
    ]);
  });

  it('gives an AuthError the status and title of its code', () => {
    const error = new AuthError('ERR_NONCE_REPLAYED', 'nonce already used');
    expect(error.status).toBe(401);
    expect(error.title).toBe('Nonce already used');
    expect(error.name).toBe('AuthError');
  });
});
