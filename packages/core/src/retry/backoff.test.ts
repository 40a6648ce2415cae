import { describe, expect, it } from 'vitest';
import { backoffDelay, exponentialBackoff } from './backoff.js';

describe('exponential backoff', () => {
  it('doubles from the initial delay up to the cap', () => {
    const none = exponentialBackoff({ initialMs: 1000, maxMs: 30_000, jitter: 0 });
    expect([1, 2, 3, 5, 6, 20].map(none)).toEqual([1000, 2000, 4000, 16_000, 30_000, 30_000]);
  });

  it('draws the whole delay at random by default (full jitter), below the ceiling', () => {
    const options = { initialMs: 100, maxMs: 1000 };
    expect(backoffDelay(3, { ...options, random: () => 0 })).toBe(0);
    expect(backoffDelay(3, { ...options, random: () => 0.5 })).toBe(200);
    expect(backoffDelay(3, { ...options, random: () => 0.999999 })).toBe(399);
    expect(backoffDelay(9, { ...options, random: () => 0.5 })).toBe(500);
  });

  it('keeps the fixed share of a partial jitter (seed 002: 30 %)', () => {
    const low = exponentialBackoff({ initialMs: 1000, jitter: 0.3, random: () => 0 });
    const high = exponentialBackoff({ initialMs: 1000, jitter: 0.3, random: () => 0.999999 });
    expect(low(3)).toBe(2800);
    expect(high(3)).toBe(3999);
  });

  it('has no cap unless given one, and treats retry 0 like the first', () => {
    expect(backoffDelay(11, { initialMs: 5000, jitter: 0 })).toBe(5_120_000);
    expect(backoffDelay(0, { initialMs: 5000, jitter: 0 })).toBe(5000);
  });
});
