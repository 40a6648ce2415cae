import { backoffDelay } from '@interlink/core';
import type { Clock } from '../client/clock.js';
import type { PreparedCall } from '../client/prepared-call.js';
import { ClientError } from '../errors/client-error.js';
import { toClientError } from '../errors/to-client-error.js';
import type { ClientMetrics } from '../observability/client-metrics.js';
import { retryChannel } from '../observability/diagnostics-channels.js';
import type { RetryBudget } from './retry-budget.js';
import { retriesWithinCall } from './retry-rules.js';

export interface RetryOptions {
  /** Attempts per logical call, the first included; 3 by default. */
  maxAttempts?: number;
  /** The first retry's backoff ceiling; 50 ms by default. */
  baseDelayMs?: number;
  /** The largest backoff ceiling; 2 s by default. */
  maxDelayMs?: number;
  /** A `Retry-After` longer than this is not waited for: the call fails at once. 10 s by default. */
  maxRetryAfterMs?: number;
}

export interface RetriesOptions extends RetryOptions {
  service: string;
  budget: RetryBudget | undefined;
  metrics: ClientMetrics | undefined;
  clock: Clock;
  /** The random source of the backoff jitter. */
  random: () => number;
}

/** Continues a call whose attempt failed: resolves with a later attempt's response, or raises. */
export type AfterFailure<R> = (call: PreparedCall, error: unknown) => Promise<R>;

/**
 * The retries of a call after its first attempt failed, given the function that sends one more
 * attempt. The first attempt hands its failure here from inside the transport's callback, so a
 * call that succeeds at once has no retry step at all. A failure is retried only when the call may be repeated (an
 * idempotent method or an idempotency key, a body that can be sent again), the failure says "not
 * now" (`retryable`), attempts remain, the wait (`Retry-After`, or full-jitter backoff) ends before
 * the deadline, and the target's retry budget has a retry left. Every error leaving it carries the
 * number of attempts made.
 */
export function createRetries<R>(
  options: RetriesOptions,
  attemptOnce: (call: PreparedCall) => Promise<R>,
): AfterFailure<R> {
  const { service, budget, metrics, clock, random } = options;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 3);
  const baseDelayMs = options.baseDelayMs ?? 50;
  const maxDelayMs = options.maxDelayMs ?? 2_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 10_000;

  /** After attempt `attempt` failed: raises `failure` when no retry may follow, or waits out the backoff. */
  async function retryOrThrow(call: PreparedCall, attempt: number, failure: ClientError): Promise<void> {
    if (!call.retryable || !retriesWithinCall(failure) || attempt >= maxAttempts) throw failure;
    const retryAfter = failure.upstream?.retryAfterMs;
    if (retryAfter !== undefined && retryAfter > maxRetryAfterMs) throw failure;
    const delay = retryAfter ?? backoffDelay(attempt, { initialMs: baseDelayMs, maxMs: maxDelayMs, random });
    // Never past the deadline: a retry that cannot finish in time only adds load.
    if (clock.now() + delay >= call.deadline) throw failure;
    if (budget && !budget.tryRetry(clock.now())) {
      metrics?.budgetRefusals.inc({ target: service });
      throw new ClientError(
        'ERR_RETRY_BUDGET_EXHAUSTED',
        `${service}: retry budget spent; not retrying after: ${failure.message}`,
        { cause: failure, upstream: failure.upstream, attempts: attempt, extensions: failure.extensions },
      );
    }
    const reason = failure.upstream ? String(failure.upstream.status) : failure.code;
    metrics?.retries.inc({ target: service, reason });
    if (retryChannel.hasSubscribers) retryChannel.publish({ service, attempt, delayMs: delay, reason });
    if (delay > 0) {
      try {
        await clock.sleep(delay, call.cancellation.signal);
      } catch (error) {
        const mapped = toClientError(error, service, call.cancellation.kind);
        mapped.attempts = attempt;
        throw mapped;
      }
    }
  }

  /** The attempts after a failed first one, for as long as a retry is allowed. */
  async function retryAfterFirst(call: PreparedCall, firstError: unknown): Promise<R> {
    let failure = failureOf(call, firstError, 1);
    for (let attempt = 2; ; attempt++) {
      await retryOrThrow(call, attempt - 1, failure);
      call.attempt = attempt;
      try {
        return await attemptOnce(call);
      } catch (error) {
        failure = failureOf(call, error, attempt);
      }
    }
  }

  function failureOf(call: PreparedCall, error: unknown, attempt: number): ClientError {
    const failure = toClientError(error, service, call.cancellation.kind);
    failure.attempts = attempt;
    return failure;
  }

  // The loop, its async function and its awaits are for calls that failed once.
  return retryAfterFirst;
}
