import {
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
  SamplingBreaker,
} from 'cockatiel';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';

/** What the target does with one call, or time passing. */
type Outcome = 'success' | 'failure' | 'ignored';
type Step =
  | { kind: 'call'; outcome: Outcome }
  /** Two calls at once: in the half-open state the second waits for the first (the probe). */
  | { kind: 'pair'; outcomes: [Outcome, Outcome] }
  | { kind: 'wait'; ms: number };

class Failure extends Error {}
class Ignored extends Error {}
const isFailure = (error: unknown) => error instanceof Failure;

/** A seeded generator (mulberry32): the same histories on every run, a new seed shows a new one. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function outcome(next: () => number, failing: boolean): Outcome {
  return failing === next() < 0.85 ? 'failure' : 'success';
}

/** A history of calls and waits, failures coming in bursts so the circuit opens and closes often. */
function history(seed: number, length: number, halfOpenAfterMs: number): Step[] {
  const next = random(seed);
  const steps: Step[] = [];
  let failing = false;
  for (let i = 0; i < length; i++) {
    if (next() < 0.1) failing = !failing;
    const r = next();
    // Waits land on either side of the half-open delay, and on it exactly, where an off-by-one shows.
    if (r < 0.1) steps.push({ kind: 'wait', ms: Math.floor(next() * halfOpenAfterMs * 1.5) });
    else if (r < 0.2) steps.push({ kind: 'wait', ms: halfOpenAfterMs - 1 + Math.floor(next() * 2) });
    else if (r < 0.3) steps.push({ kind: 'call', outcome: 'ignored' });
    else if (r < 0.4)
      steps.push({ kind: 'pair', outcomes: [outcome(next, failing), outcome(next, failing)] });
    else steps.push({ kind: 'call', outcome: outcome(next, failing) });
  }
  return steps;
}

/** Runs `steps` through one breaker; returns, per step, the state after it and whether the call ran. */
async function drive(
  execute: (fn: () => Promise<void>) => Promise<void>,
  state: () => CircuitState,
  steps: Step[],
): Promise<string[]> {
  const seen: string[] = [];
  for (const step of steps) {
    if (step.kind === 'wait') {
      vi.advanceTimersByTime(step.ms);
      seen.push(`wait ${CircuitState[state()]}`);
      continue;
    }
    const outcomes = step.kind === 'call' ? [step.outcome] : step.outcomes;
    const calls = outcomes.map((outcome, i) => {
      // Rejected unless the breaker runs the call; admitted calls note the state they ran in.
      let decision = `call ${i} rejected`;
      const settled = execute(async () => {
        decision = `call ${i} admitted in ${CircuitState[state()]}`;
        await Promise.resolve();
        if (outcome === 'failure') throw new Failure();
        if (outcome === 'ignored') throw new Ignored();
      }).catch(() => undefined);
      return settled.then(() => decision);
    });
    for (const decision of await Promise.all(calls)) seen.push(decision);
    seen.push(`then ${CircuitState[state()]}`);
  }
  return seen;
}

const strategies = {
  consecutive: () => new ConsecutiveBreaker(5),
  sampling: () => new SamplingBreaker({ threshold: 0.5, duration: 2_000, minimumRps: 2 }),
};

beforeEach(() => {
  // cockatiel reads Date.now(); ours is given the same clock.
  vi.useFakeTimers({ toFake: ['Date'], now: 1_700_000_000_000 });
});
afterEach(() => vi.useRealTimers());

describe('CircuitBreaker against cockatiel CircuitBreakerPolicy', () => {
  for (const [name, strategy] of Object.entries(strategies)) {
    for (const seed of [1, 7, 42]) {
      it(`makes the same decisions and passes the same states (${name} strategy, seed ${seed})`, async () => {
        const halfOpenAfterMs = 1_000;
        const steps = history(seed, 600, halfOpenAfterMs);
        const start = Date.now();

        const reference: CircuitBreakerPolicy = circuitBreaker(handleWhen(isFailure), {
          halfOpenAfter: halfOpenAfterMs,
          breaker: strategy(),
        });
        const expected = await drive(
          (fn) => reference.execute(fn),
          () => reference.state,
          steps,
        );

        vi.setSystemTime(start);
        const ours = new CircuitBreaker(strategy(), halfOpenAfterMs, isFailure, () => undefined, Date.now);
        const actual = await drive(
          (fn) => ours.execute(fn),
          () => ours.state,
          steps,
        );

        expect(actual).toEqual(expected);
        // The history is worth comparing only if it exercised every state: a probe (run as the
        // circuit leaves Open), a call that waited for a probe, an open circuit refusing calls.
        expect(expected).toContain('call 0 admitted in Open');
        expect(expected).toContain('call 1 admitted in Closed');
        expect(expected).toContain('then Open');
        expect(expected.some((s) => s.endsWith('rejected'))).toBe(true);
      });
    }
  }
});
