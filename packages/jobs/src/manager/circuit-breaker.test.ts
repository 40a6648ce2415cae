import { describe, expect, it } from 'vitest';
import { createCircuitBreaker } from './circuit-breaker.js';

describe('job circuit breaker', () => {
  it('opens after N consecutive failures, defers until the cooldown ends, then lets one trial through', () => {
    let now = 1_000;
    const breaker = createCircuitBreaker({ failureThreshold: 3, cooldownMs: 500 }, () => now);
    breaker.failure();
    breaker.failure();
    breaker.success();
    breaker.failure();
    breaker.failure();
    expect(breaker.state).toBe('closed');
    breaker.failure();
    expect(breaker.state).toBe('open');
    expect(breaker.decide()).toEqual({ run: false, until: 1_500 });
    now = 1_500;
    expect(breaker.state).toBe('half-open');
    expect(breaker.decide()).toEqual({ run: true });
    // One trial at a time.
    expect(breaker.decide()).toEqual({ run: false, until: 2_000 });
    breaker.failure();
    expect(breaker.state).toBe('open');
    expect(breaker.decide()).toEqual({ run: false, until: 2_000 });
    now = 2_000;
    expect(breaker.decide()).toEqual({ run: true });
    breaker.success();
    expect(breaker.state).toBe('closed');
    expect(breaker.decide()).toEqual({ run: true });
  });
});
