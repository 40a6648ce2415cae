import { isRetryable } from '@interlink/core';
import { describe, expect, it } from 'vitest';
import { ClientError } from '../errors/client-error.js';
import { createRetryBudget } from './retry-budget.js';
import { parseRetryAfter, retriesWithinCall } from './retry-rules.js';

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

describe('retryable, later and within the call', () => {
  const upstream = (status: number) => ({ service: 'x', status });
  const status = (s: number) =>
    new ClientError('ERR_UPSTREAM_STATUS', `x answered ${s}`, { upstream: upstream(s), retryable: s >= 500 });

  it('marks transient failures retryable for a later try (bus redelivery, job retry), final ones not', () => {
    for (const code of [
      'ERR_UPSTREAM_TIMEOUT',
      'ERR_CIRCUIT_OPEN',
      'ERR_BULKHEAD_FULL',
      'ERR_RETRY_BUDGET_EXHAUSTED',
    ] as const) {
      expect(isRetryable(new ClientError(code, code)), code).toBe(true);
    }
    for (const code of [
      'ERR_UPSTREAM_RESPONSE_INVALID',
      'ERR_CLIENT_ABORTED',
      'ERR_INSECURE_TARGET',
    ] as const) {
      expect(isRetryable(new ClientError(code, code)), code).toBe(false);
    }
  });

  it('repeats within the call only what says "not now" about this attempt', () => {
    expect(retriesWithinCall(status(503))).toBe(true);
    expect(retriesWithinCall(status(429))).toBe(true);
    expect(retriesWithinCall(status(500))).toBe(false);
    expect(retriesWithinCall(new ClientError('ERR_CIRCUIT_OPEN', 'open'))).toBe(false);
    expect(
      retriesWithinCall(
        new ClientError('ERR_UPSTREAM_TIMEOUT', 'deadline', { extensions: { reason: 'deadline' } }),
      ),
    ).toBe(false);
    expect(
      retriesWithinCall(
        new ClientError('ERR_UPSTREAM_TIMEOUT', 'connect', { extensions: { reason: 'connect' } }),
      ),
    ).toBe(true);
    expect(
      retriesWithinCall(
        new ClientError('ERR_UPSTREAM_UNAVAILABLE', 'refused', { extensions: { reason: 'connection' } }),
      ),
    ).toBe(true);
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
