import { describe, expect, it } from 'vitest';
import { createHexPool, createRandomPool } from './random-pool.js';

describe('random pools', () => {
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

  it('hands out distinct hex strings of the asked length across refills', () => {
    const hex = createHexPool(64); // 128 characters per refill: 2 trace ids and 4 span ids
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const traceId = hex(32);
      const spanId = hex(16);
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(spanId).toMatch(/^[0-9a-f]{16}$/);
      seen.add(traceId).add(spanId);
    }
    expect(seen.size).toBe(2000);
    // A request longer than the pool still gets all its characters.
    expect(hex(300)).toMatch(/^[0-9a-f]{300}$/);
  });
});
