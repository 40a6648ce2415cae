import { createHmac, createSecretKey, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyBase } from './algorithms.js';

const hmac = (secret: Buffer, base: string) => createHmac('sha256', secret).update(base).digest();

describe('verifyBase: hmac-sha256', () => {
  it('accepts each key its own signature and refuses another key, whichever key verified first', () => {
    const a = randomBytes(32);
    const b = randomBytes(32);
    const keyA = createSecretKey(a);
    const keyB = createSecretKey(b);
    const base = '"@method": GET\n"@signature-params": ("@method");created=1';
    for (let round = 0; round < 3; round++) {
      expect(verifyBase('hmac-sha256', keyA, base, hmac(a, base))).toBe(true);
      expect(verifyBase('hmac-sha256', keyB, base, hmac(a, base))).toBe(false);
      expect(verifyBase('hmac-sha256', keyB, base, hmac(b, base))).toBe(true);
      expect(verifyBase('hmac-sha256', keyA, base, hmac(b, base))).toBe(false);
    }
  });

  it('refuses a changed base, a changed byte and a short signature', () => {
    const secret = randomBytes(32);
    const key = createSecretKey(secret);
    const base = '"@path": /internal/tickets/1/status';
    const signature = hmac(secret, base);
    expect(verifyBase('hmac-sha256', key, `${base} `, signature)).toBe(false);
    const changed = Buffer.from(signature);
    changed[31] = changed[31]! ^ 1;
    expect(verifyBase('hmac-sha256', key, base, changed)).toBe(false);
    expect(verifyBase('hmac-sha256', key, base, signature.subarray(0, 16))).toBe(false);
  });

  it('verifies with a key longer than the hash block and a base of any length, as createHmac does', () => {
    const secret = randomBytes(100);
    const key = createSecretKey(secret);
    for (const base of ['', 'é ✓ 𝄞', 'x'.repeat(3_000), 'y'.repeat(20_000)]) {
      expect(verifyBase('hmac-sha256', key, base, hmac(secret, base))).toBe(true);
      expect(verifyBase('hmac-sha256', key, `${base}.`, hmac(secret, base))).toBe(false);
    }
  });
});
