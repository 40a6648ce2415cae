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

/** An attempt let through without waiting: its bulkhead slot is taken until {@link end}. */
export interface Admission {
  /** Frees the slot and counts the outcome for the breaker (`undefined`: success); once per attempt. */
  end(error: unknown): void;
}

/** What {@link TargetGuards.admit} answers when the attempt has to wait: use {@link TargetGuards.run}. */
export const MUST_WAIT = Symbol('must wait');

/** The breakers and bulkhead of one target, wrapped around each attempt. */
export interface TargetGuards {
  /**
   * Admits an attempt synchronously when nothing makes it wait (a free slot, a closed breaker):
   * the admission to end it with, or `undefined` when there is nothing to guard. {@link MUST_WAIT}
   * when the attempt has to go through {@link run} (a queued bulkhead, a breaker not closed).
   * @throws ClientError `ERR_BULKHEAD_FULL` when the unqueued bulkhead is full
   */
  admit(operation: string | undefined): Admission | undefined | typeof MUST_WAIT;
  /**
   * Runs `fn(arg)`, one attempt, through the bulkhead and the breaker; rejections become client
   * errors. `signal(arg)` is asked for only when the attempt has to wait for a slot (a queued
   * bulkhead). `fn` and `arg` apart, so that the caller makes no closure per attempt.
   */
  run<A, T>(
    operation: string | undefined,
    fn: (arg: A) => Promise<T>,
    arg: A,
    signal: (arg: A) => AbortSignal,
  ): Promise<T>;
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
  const breakers = new Map<string, BreakerAdmission>();
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

  /**
   * A breaker (or none) with the two handlers that end an attempt admitted without waiting: free
   * the slot and count the outcome for the breaker, as `breaker.execute` would. Made once per
   * breaker, so an attempt makes no closures of its own.
   */
  interface BreakerAdmission extends Admission {
    breaker: CircuitBreaker | undefined;
    succeeded: (value: unknown) => unknown;
    failed: (error: unknown) => never;
  }
  function admission(breaker: CircuitBreaker | undefined): BreakerAdmission {
    return {
      breaker,
      end(error) {
        active--;
        if (error === undefined) breaker?.closedSuccess();
        else breaker?.closedFailure(error);
      },
      succeeded(value) {
        active--;
        breaker?.closedSuccess();
        return value;
      },
      failed(error) {
        active--;
        breaker?.closedFailure(error);
        throw error;
      },
    };
  }
  const unbroken = admission(undefined);

  function admissionFor(operation: string | undefined): BreakerAdmission {
    if (breakerOptions === false) return unbroken;
    const key = breakerOptions.perOperation && operation ? operation : TARGET;
    let entry = breakers.get(key);
    if (!entry) {
      const gauge = metrics?.breakerState.labels({ target: service, breaker: key });
      gauge?.set(0);
      entry = admission(
        new CircuitBreaker(
          breakerOptions.breaker?.() ?? new ConsecutiveBreaker(5),
          breakerOptions.halfOpenAfterMs ?? 5_000,
          isBreakerFailure,
          (state) => gauge?.set(state),
          options.now,
        ),
      );
      breakers.set(key, entry);
    }
    return entry;
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

  /** An attempt that waits for nothing: a slot from the counter, the breaker (if any) closed. */
  function runAdmitted<A, T>(entry: BreakerAdmission, fn: (arg: A) => Promise<T>, arg: A): Promise<T> {
    active++;
    // A synchronous throw is a rejection: a slot taken must always be given back.
    let attempt: Promise<T>;
    try {
      attempt = fn(arg);
    } catch (error) {
      attempt = Promise.reject(error);
    }
    // One step frees the slot and counts the outcome for the breaker.
    return attempt.then(entry.succeeded, entry.failed) as Promise<T>;
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
    admit(operation) {
      const entry = admissionFor(operation);
      const breaker = entry.breaker;
      if (wall) return MUST_WAIT;
      if (!breaker && limit === Number.POSITIVE_INFINITY) return undefined;
      // As cockatiel's bulkhead without a queue: a full one refuses at once, before the breaker.
      if (active >= limit) throw translate(new BulkheadRejectedError(limit, 0), operation);
      if (breaker && breaker.state !== CircuitState.Closed) return MUST_WAIT;
      active++;
      return entry;
    },
    run(operation, fn, arg, signal) {
      const entry = admissionFor(operation);
      const breaker = entry.breaker;
      if (wall) {
        return runQueued(
          wall,
          breaker,
          operation,
          () => fn(arg),
          () => signal(arg),
        );
      }
      // Nothing to guard: no extra promise layer on the hot path.
      if (!breaker && limit === Number.POSITIVE_INFINITY) return fn(arg);
      // As cockatiel's bulkhead without a queue: a full one refuses at once, before the breaker.
      if (active >= limit) return Promise.reject(translate(new BulkheadRejectedError(limit, 0), operation));
      if (!breaker || breaker.state === CircuitState.Closed) return runAdmitted(entry, fn, arg);
      return runGuarded(breaker, operation, () => fn(arg));
    },
    state(operation) {
      const breaker = admissionFor(operation).breaker;
      return breaker ? STATE_NAMES[breaker.state] : 'closed';
    },
    isolate(operation) {
      const breaker = admissionFor(operation).breaker;
      return breaker ? breaker.isolate() : { dispose() {} };
    },
  };
}
