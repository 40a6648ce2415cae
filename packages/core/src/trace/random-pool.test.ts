import { describe, expect, it } from 'vitest';
import { createRandomPool } from './random-pool.js';

describe('createRandomPool', () => {
  it('hands out distinct values of the asked size across refills', () => {
    const random = createRandomPool(64); // 4 values of 16 bytes per refill
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const hex = random(16, 'hex');
      expect(hex).toMatch(/^[0-9a-f]{32}$/);
      seen.add(hex);
    }
    expect(seen.size).toBe(1000);
    expect(random(16, 'base64url')).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // A request larger than the pool still gets all its bytes.
    expect(random(100, 'hex')).toHaveLength(200);
  });
});
