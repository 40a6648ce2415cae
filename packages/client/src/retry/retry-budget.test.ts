import { describe, expect, it } from 'vitest';
import { createRetryBudget } from './retry-budget.js';
import { fullJitterDelay, parseRetryAfter } from './retry-rules.js';

describe('createRetryBudget', () => {
  it('allows the floor, then a fraction of requests', () => {
    const budget = createRetryBudget({ ratio: 0.2, minRetries: 2, windowMs: 10_000 });
    const t = 1_000_000;
    expect(budget.tryRetry(t)).toBe(true);
    expect(budget.tryRetry(t)).toBe(true);
    expect(budget.tryRetry(t)).toBe(false);
    for (let i = 0; i < 10; i++) budget.recordRequest(t);
    expect(budget.tryRetry(t)).toBe(true);
    expect(budget.tryRetry(t)).toBe(true);
    expect(budget.tryRetry(t)).toBe(false);
  });

  it('forgets requests and retries older than the window', () => {
    const budget = createRetryBudget({ ratio: 0.5, minRetries: 0, windowMs: 1_000, buckets: 10 });
    const t = 5_000_000;
    for (let i = 0; i < 10; i++) budget.recordRequest(t);
    for (let i = 0; i < 5; i++) expect(budget.tryRetry(t)).toBe(true);
    expect(budget.tryRetry(t)).toBe(false);
    expect(budget.snapshot(t + 500)).toEqual({ requests: 10, retries: 5 });
    expect(budget.snapshot(t + 1_000)).toEqual({ requests: 0, retries: 0 });
    expect(budget.tryRetry(t + 1_000)).toBe(false);
  });

  it('slides bucket by bucket', () => {
    const budget = createRetryBudget({ ratio: 1, minRetries: 0, windowMs: 1_000, buckets: 10 });
    const t = 7_000_000;
    budget.recordRequest(t);
    budget.recordRequest(t + 500);
    expect(budget.snapshot(t + 999).requests).toBe(2);
    expect(budget.snapshot(t + 1_000).requests).toBe(1);
    expect(budget.snapshot(t + 1_500).requests).toBe(0);
  });
});

describe('fullJitterDelay', () => {
  it('grows its ceiling exponentially up to the cap and spreads over [0, ceiling)', () => {
    expect(fullJitterDelay(1, 100, 1_000, () => 0.999)).toBe(99);
    expect(fullJitterDelay(3, 100, 1_000, () => 0.999)).toBe(399);
    expect(fullJitterDelay(10, 100, 1_000, () => 0.999)).toBe(999);
    expect(fullJitterDelay(3, 100, 1_000, () => 0)).toBe(0);
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP-dates, and ignores garbage', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
