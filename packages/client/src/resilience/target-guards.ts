import {
  BrokenCircuitError,
  type BulkheadPolicy,
  BulkheadRejectedError,
  bulkhead,
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
  type IBreaker,
  IsolatedCircuitError,
  TaskCancelledError,
} from 'cockatiel';
import type { CallSignal } from '../client/call-signal.js';
import { ClientError } from '../errors/client-error.js';
import type { ClientMetrics } from '../observability/client-metrics.js';

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
  /** Runs one attempt through the bulkhead and the breaker; rejections become client errors. */
  run<T>(operation: string | undefined, fn: () => Promise<T>, signal: CallSignal): Promise<T>;
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
}

/** Creates the breaker(s) and bulkhead of one target with cockatiel. */
export function createTargetGuards(options: TargetGuardsOptions): TargetGuards {
  const { service, metrics } = options;
  const breakerOptions = options.breaker;
  const breakers = new Map<string, CircuitBreakerPolicy>();
  // Only a queued bulkhead waits, and only waiting needs a real AbortSignal (see CallSignal).
  const queued = options.bulkhead !== false && (options.bulkhead.maxQueued ?? 0) > 0;
  const wall: BulkheadPolicy | undefined =
    options.bulkhead === false
      ? undefined
      : bulkhead(options.bulkhead.maxConcurrent ?? 256, options.bulkhead.maxQueued ?? 0);
  const TARGET = '*';

  function breakerFor(operation: string | undefined): CircuitBreakerPolicy | undefined {
    if (breakerOptions === false) return undefined;
    const key = breakerOptions.perOperation && operation ? operation : TARGET;
    let policy = breakers.get(key);
    if (!policy) {
      policy = circuitBreaker(handleWhen(isBreakerFailure), {
        halfOpenAfter: breakerOptions.halfOpenAfterMs ?? 5_000,
        breaker: breakerOptions.breaker?.() ?? new ConsecutiveBreaker(5),
      });
      if (metrics) {
        const gauge = metrics.breakerState.labels({ target: service, breaker: key });
        gauge.set(0);
        policy.onStateChange((state) => gauge.set(state));
      }
      breakers.set(key, policy);
    }
    return policy;
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

  return {
    run(operation, fn, signal) {
      const breaker = breakerFor(operation);
      // Nothing to guard: no extra promise layer on the hot path.
      if (!breaker && !wall) return fn();
      const guarded = breaker ? () => breaker.execute(fn) : fn;
      const running = wall ? wall.execute(guarded, queued ? signal.toAbortSignal() : undefined) : guarded();
      return running.catch((error: unknown) => {
        throw translate(error, operation);
      });
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
