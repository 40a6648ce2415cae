import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createJwtKey } from '../jwt/jwt-keys.js';
import { createJwtVerifier } from '../jwt/verify-jwt.js';
import { createSigningKey } from '../signatures/signature-keys.js';
import { assertStrongSecret } from './assert-strong-secret.js';

describe('no fallback secret (finding #1)', () => {
  it("refuses seed 003's hard-coded fallback and other well-known defaults, even when long enough", () => {
    for (const secret of [
      'dev-secret-change-in-production',
      'your-secret-key-change-in-production-please-0000',
      'default-secret-change-in-production',
      'a'.repeat(64),
    ]) {
      expect(() => assertStrongSecret('JWT_SECRET', Buffer.from(secret)), secret).toThrow(
        expect.objectContaining({ code: 'ERR_AUTH_CONFIG' }),
      );
      expect(() => createJwtKey({ key: secret, secret: true }), secret).toThrow(/ERR_AUTH_CONFIG|secret/);
      expect(() => createSigningKey({ keyId: 'k', alg: 'hmac-sha256', secret }), secret).toThrow(/secret/);
    }
  });

  it('a verifier without keys does not start', () => {
    expect(() => createJwtVerifier({ issuer: 'i', audience: 'a' })).toThrow(
      expect.objectContaining({ code: 'ERR_AUTH_CONFIG' }),
    );
    expect(() => createJwtVerifier({ keys: [], issuer: 'i', audience: 'a' })).toThrow(
      expect.objectContaining({ code: 'ERR_AUTH_CONFIG' }),
    );
  });

  it('says which weakness it refused: length, a known default or repetition', () => {
    const refusal = (secret: string) => {
      try {
        assertStrongSecret('JWT_SECRET', Buffer.from(secret));
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(refusal('short')).toBe('JWT_SECRET: secret is too short: 5 bytes, at least 32 bytes needed');
    expect(refusal('dev-secret-change-in-production')).toMatch(/too short/);
    expect(refusal('your-secret-key-change-in-production-please-0000')).toMatch(/well-known default/);
    expect(refusal('a'.repeat(64))).toMatch(/one character repeated/);
  });

  it('accepts 32 random bytes', () => {
    expect(() => assertStrongSecret('k', randomBytes(32))).not.toThrow();
  });
});
