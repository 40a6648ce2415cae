import type { CounterSeries } from '@interlink/core';
import type { PreparedCall } from '../client/prepared-call.js';
import { ClientError } from '../errors/client-error.js';
import type { AttemptAnswer } from '../transport/send-attempt.js';
import type { ClientMetrics } from './client-metrics.js';
import { attemptEndChannel, attemptStartChannel } from './diagnostics-channels.js';

/** Sees each attempt that goes on the wire: when it starts, and its outcome inside the transport's callback. */
export interface AttemptObserver {
  /** Publishes `attempt:start` (with the signed headers) when someone subscribes. */
  start(call: PreparedCall): void;
  /** Counts the outcome and publishes `attempt:end`: `response` for a 2xx, `error` otherwise. */
  end(call: PreparedCall, response: AttemptAnswer | undefined, error: unknown): void;
}

/**
 * Counts each attempt on the wire (by status class, or by error code when there was no answer)
 * and publishes `attempt:start` and `attempt:end`. Synchronous: it runs inside the attempt's own
 * promise step, and failures reach it already as ClientErrors, so it sees an answer's status or a
 * failure's stable code. With no metrics and nobody subscribed it only checks two flags.
 */
export function createAttemptObserver(service: string, metrics: ClientMetrics | undefined): AttemptObserver {
  // Handles of the series by status class, made once: counting through a handle skips joining and
  // looking up the labels on every attempt.
  const byClass: Array<CounterSeries | undefined> = [];
  function countStatus(m: ClientMetrics, status: number): void {
    const statusClass = Math.floor(status / 100);
    let series = byClass[statusClass];
    if (!series) {
      series = m.attempts.series([service, `${statusClass}xx`]);
      byClass[statusClass] = series;
    }
    series.add();
  }

  return {
    start(call) {
      if (attemptStartChannel.hasSubscribers) {
        attemptStartChannel.publish({
          service,
          method: call.method,
          url: call.url,
          attempt: call.attempt,
          headers: call.headers,
        });
      }
    },
    end(call, response, error) {
      if (response !== undefined) {
        if (metrics) countStatus(metrics, response.statusCode);
        if (attemptEndChannel.hasSubscribers) {
          attemptEndChannel.publish({ service, attempt: call.attempt, status: response.statusCode });
        }
        return;
      }
      // A failed attempt: the status of an answer that failed, if there was one.
      const status = error instanceof ClientError ? error.upstream?.status : undefined;
      if (metrics) {
        if (status !== undefined) countStatus(metrics, status);
        else metrics.attempts.add([service, error instanceof ClientError ? error.code : 'error']);
      }
      if (attemptEndChannel.hasSubscribers) {
        attemptEndChannel.publish(
          status !== undefined
            ? { service, attempt: call.attempt, status }
            : { service, attempt: call.attempt, error },
        );
      }
    },
  };
}
