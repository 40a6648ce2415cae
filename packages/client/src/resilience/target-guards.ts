import {
  BrokenCircuitError,
  type BulkheadPolicy,
  BulkheadRejectedError,
  bulkhead,
  CircuitState,
  ConsecutiveBreaker,
  type IBreaker,
  IsolatedCircuitError,
  TaskCancelledError,
} from 'cockatiel';
import { ClientError } from '../errors/client-error.js';
import type { ClientMetrics } from '../observability/client-metrics.js';
import { CircuitBreaker } from './circuit-breaker.js';

export interface BreakerOptions {
  /** A breaker per operation (seed 002) instead of one per target; calls without an operation share the target's. */
  perOperation?: boolean;
  /** The failure counting strategy; consecutive failures (5) by default. Any cockatiel breaker. */
  breaker?: () => IBreaker;
  /** How long the circuit stays open before one probe is let through; 5 s by default. */
  halfOpenAfterMs?: number;
}

export interface BulkheadOptions {
  /** Attempts in flight to the target at once; 256 by default. */
  maxConcurrent?: number;
  /** Attempts allowed to wait for a slot; 0 by default (fail fast). */
  maxQueued?: number;
}

/** The breakers and bulkhead of one target, wrapped around each attempt. */
export interface TargetGuards {
  /**
   * Runs one attempt through the bulkhead and the breaker; rejections become client errors.
   * `signal` is asked for only when the attempt has to wait for a slot (a queued bulkhead).
   */
  run<T>(operation: string | undefined, fn: () => Promise<T>, signal: () => AbortSignal): Promise<T>;
  /** `closed`, `open`, `half-open` or `isolated`. */
  state(operation?: string): 'closed' | 'open' | 'half-open' | 'isolated';
  /** Holds the circuit open by hand (for an incident); dispose to release. */
  isolate(operation?: string): { dispose(): void };
}

const STATE_NAMES = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
} as const;

/** Failures that say the target is unhealthy; 4xx answers and the caller's own aborts do not. */
export function isBreakerFailure(error: unknown): boolean {
  if (!(error instanceof ClientError)) return false;
  if (error.code === 'ERR_UPSTREAM_TIMEOUT' || error.code === 'ERR_UPSTREAM_UNAVAILABLE') return true;
  return error.code === 'ERR_UPSTREAM_STATUS' && (error.upstream?.status ?? 0) >= 500;
}

export interface TargetGuardsOptions {
  service: string;
  breaker: BreakerOptions | false;
  bulkhead: BulkheadOptions | false;
  metrics: ClientMetrics | undefined;
  /** The breaker's clock (when it opened, when it may half-open). */
  now: () => number;
}

/** Creates the breaker(s) and bulkhead of one target (cockatiel failure strategies, cockatiel bulkhead when queued). */
export function createTargetGuards(options: TargetGuardsOptions): TargetGuards {
  const { service, metrics } = options;
  const breakerOptions = options.breaker;
  const breakers = new Map<string, CircuitBreaker>();
  // The default, unqueued bulkhead is a counter here: cockatiel's adds an async layer to every
  // attempt. A queued one is cockatiel's, whose waiting the call's signal cancels.
  const queued = options.bulkhead !== false && (options.bulkhead.maxQueued ?? 0) > 0;
  const wall: BulkheadPolicy | undefined =
    options.bulkhead === false || !queued
      ? undefined
      : bulkhead(options.bulkhead.maxConcurrent ?? 256, options.bulkhead.maxQueued ?? 0);
  const limit =
    options.bulkhead === false || queued ? Number.POSITIVE_INFINITY : (options.bulkhead.maxConcurrent ?? 256);
  let active = 0;
  const TARGET = '*';

  function breakerFor(operation: string | undefined): CircuitBreaker | undefined {
    if (breakerOptions === false) return undefined;
    const key = breakerOptions.perOperation && operation ? operation : TARGET;
    let breaker = breakers.get(key);
    if (!breaker) {
      const gauge = metrics?.breakerState.labels({ target: service, breaker: key });
      gauge?.set(0);
      breaker = new CircuitBreaker(
        breakerOptions.breaker?.() ?? new ConsecutiveBreaker(5),
        breakerOptions.halfOpenAfterMs ?? 5_000,
        isBreakerFailure,
        (state) => gauge?.set(state),
        options.now,
      );
      breakers.set(key, breaker);
    }
    return breaker;
  }

  function translate(error: unknown, operation: string | undefined): unknown {
    if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) {
      return new ClientError(
        'ERR_CIRCUIT_OPEN',
        `${service}: circuit open${operation ? ` for ${operation}` : ''}; the call was not sent`,
        { extensions: { upstream: { service } } },
      );
    }
    if (error instanceof BulkheadRejectedError) {
      return new ClientError(
        'ERR_BULKHEAD_FULL',
        `${service}: too many calls in flight; the call was not sent`,
        {
          extensions: { upstream: { service } },
        },
      );
    }
    if (error instanceof TaskCancelledError) {
      return new ClientError('ERR_CLIENT_ABORTED', `${service}: the call was aborted while waiting`);
    }
    return error;
  }

  async function runQueued<T>(
    queue: BulkheadPolicy,
    breaker: CircuitBreaker | undefined,
    operation: string | undefined,
    fn: () => Promise<T>,
    signal: () => AbortSignal,
  ): Promise<T> {
    try {
      return await queue.execute(breaker ? () => breaker.execute(fn) : fn, signal());
    } catch (error) {
      throw translate(error, operation);
    }
  }

  /** `fn()`, with a synchronous throw as a rejection: a slot taken must always be given back. */
  function started<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return fn();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** An attempt that waits for nothing: a slot from the counter, the breaker (if any) closed. */
  function runAdmitted<T>(breaker: CircuitBreaker | undefined, fn: () => Promise<T>): Promise<T> {
    active++;
    // One step frees the slot and counts the outcome for the breaker, as breaker.execute would.
    return started(fn).then(
      (value) => {
        active--;
        breaker?.closedSuccess();
        return value;
      },
      (error: unknown) => {
        active--;
        breaker?.closedFailure(error);
        throw error;
      },
    );
  }

  async function runGuarded<T>(
    breaker: CircuitBreaker,
    operation: string | undefined,
    fn: () => Promise<T>,
  ): Promise<T> {
    active++;
    try {
      return await breaker.execute(fn);
    } catch (error) {
      throw translate(error, operation);
    } finally {
      active--;
    }
  }

  return {
    run(operation, fn, signal) {
      const breaker = breakerFor(operation);
      if (wall) return runQueued(wall, breaker, operation, fn, signal);
      // Nothing to guard: no extra promise layer on the hot path.
      if (!breaker && limit === Number.POSITIVE_INFINITY) return fn();
      // As cockatiel's bulkhead without a queue: a full one refuses at once, before the breaker.
      if (active >= limit) return Promise.reject(translate(new BulkheadRejectedError(limit, 0), operation));
      if (!breaker || breaker.state === CircuitState.Closed) return runAdmitted(breaker, fn);
      return runGuarded(breaker, operation, fn);
    },
    state(operation) {
      const breaker = breakerFor(operation);
      return breaker ? STATE_NAMES[breaker.state] : 'closed';
    },
    isolate(operation) {
      const breaker = breakerFor(operation);
      return breaker ? breaker.isolate() : { dispose() {} };
    },
  };
}
