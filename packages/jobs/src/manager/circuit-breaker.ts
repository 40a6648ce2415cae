import type { BreakerPolicy } from './job-definitions.js';

/** `closed`: jobs run. `open`: jobs wait for the cooldown. `half-open`: one trial job runs. */
export type BreakerState = 'closed' | 'open' | 'half-open';

/** Whether a job may run now, or the time until which it should wait. */
export type BreakerDecision = { run: true } | { run: false; until: number };

/** A circuit breaker for one job type in one process. */
export interface JobCircuitBreaker {
  readonly state: BreakerState;
  decide(): BreakerDecision;
  success(): void;
  failure(): void;
}

/** The answer of a closed breaker, shared: deciding costs no allocation per job. */
const RUN: BreakerDecision = Object.freeze({ run: true });

/**
 * A consecutive-failure breaker, as seed 002's job manager has per job: `failureThreshold` failures
 * in a row open it for `cooldownMs`; then one trial job runs, and its outcome closes or reopens it.
 * Written by hand (not cockatiel) because a job breaker must say *until when* to defer, so the job
 * waits in the queue instead of failing.
 */
export function createCircuitBreaker(policy: BreakerPolicy, now: () => number = Date.now): JobCircuitBreaker {
  let failures = 0;
  let openedAt: number | undefined;
  let trialInFlight = false;

  const state = (): BreakerState => {
    if (openedAt === undefined) return 'closed';
    return now() >= openedAt + policy.cooldownMs ? 'half-open' : 'open';
  };

  return {
    get state() {
      return state();
    },
    decide() {
      const current = state();
      if (current === 'closed') return RUN;
      if (current === 'open') return { run: false, until: openedAt! + policy.cooldownMs };
      if (trialInFlight) return { run: false, until: now() + Math.min(policy.cooldownMs, 1_000) };
      trialInFlight = true;
      return RUN;
    },
    success() {
      failures = 0;
      openedAt = undefined;
      trialInFlight = false;
    },
    failure() {
      trialInFlight = false;
      failures++;
      if (openedAt !== undefined || failures >= policy.failureThreshold) openedAt = now();
    },
  };
}
