import { describe, expect, it } from 'vitest';
import { createNonceSource } from './nonce-source.js';

describe('createNonceSource', () => {
  it('hands out distinct 22-character base64url nonces across many pool refills', () => {
    const next = createNonceSource();
    const seen = new Set<string>();
    const malformed: string[] = [];
    for (let i = 0; i < 5_000; i++) {
      const nonce = next();
      if (!/^[A-Za-z0-9_-]{22}$/.test(nonce)) malformed.push(nonce);
      seen.add(nonce);
    }
    expect(malformed).toEqual([]);
    expect(seen.size).toBe(5_000);
  });

  it('draws every character from random bits, the last included (132 bits, not 128 padded)', () => {
    const next = createNonceSource();
    const byPosition = Array.from({ length: 22 }, () => new Set<string>());
    for (let i = 0; i < 3_000; i++) {
      const nonce = next();
      for (let p = 0; p < 22; p++) byPosition[p]!.add(nonce[p]!);
    }
    // 3,000 draws of 64 equally likely characters miss one with probability ~64 * e^-47.
    for (const values of byPosition) expect(values.size).toBe(64);
  });

  it('gives each source its own bytes', () => {
    const a = createNonceSource();
    const b = createNonceSource();
    const fromA = new Set(Array.from({ length: 500 }, a));
    for (let i = 0; i < 500; i++) expect(fromA.has(b())).toBe(false);
  });
});
