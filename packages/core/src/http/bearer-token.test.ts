import { describe, expect, it } from 'vitest';
import { bearerToken } from './bearer-token.js';

describe('bearerToken', () => {
  it('reads the token of a Bearer header, whatever the case of the scheme', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer  abc ')).toBe('abc');
  });

  it('refuses other schemes, empty tokens, tokens with spaces and repeated headers', () => {
    for (const header of ['Basic abc', 'Bearer', 'Bearer ', 'Bearerabc', 'Bearer a b', 'Token Bearer abc']) {
      expect(bearerToken(header), header).toBeUndefined();
    }
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken(['Bearer a', 'Bearer b'])).toBeUndefined();
  });
});
