import type { CounterSeries } from '@interlink/core';
import type { Dispatcher } from 'undici';
import type { Layer } from '../client/layer.js';
import { ClientError } from '../errors/client-error.js';
import type { ClientMetrics } from './client-metrics.js';
import { attemptEndChannel, attemptStartChannel } from './diagnostics-channels.js';

/**
 * Counts each attempt on the wire (by status class, or by error code when there was no answer)
 * and publishes `attempt:start` (with the signed headers) and `attempt:end`. Sits just outside the
 * transport, whose failures are already ClientErrors: it sees an answer's status or a failure's
 * stable code. Without metrics and with nobody subscribed, an attempt passes straight through.
 */
export function attemptObserverLayer(service: string, metrics: ClientMetrics | undefined): Layer {
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

  // Without `attempt:end` subscribers an attempt's outcome only counts: handlers made once, no
  // closure per attempt (an attempt that started before anyone subscribed publishes no end).
  const counted = (response: Dispatcher.ResponseData): Dispatcher.ResponseData => {
    if (metrics) countStatus(metrics, response.statusCode);
    return response;
  };
  /** Counts a failed attempt; returns the status of an answer that failed, if there was one. */
  function countFailure(error: unknown): number | undefined {
    const status = error instanceof ClientError ? error.upstream?.status : undefined;
    if (metrics) {
      if (status !== undefined) countStatus(metrics, status);
      else metrics.attempts.add([service, error instanceof ClientError ? error.code : 'error']);
    }
    return status;
  }
  const countedFailure = (error: unknown): never => {
    countFailure(error);
    throw error;
  };

  return (next) => (call) => {
    if (!metrics && !attemptStartChannel.hasSubscribers && !attemptEndChannel.hasSubscribers)
      return next(call);
    const attempt = call.attempt;
    if (attemptStartChannel.hasSubscribers) {
      attemptStartChannel.publish({
        service,
        method: call.method,
        url: call.url,
        attempt,
        headers: call.headers,
      });
    }
    if (!attemptEndChannel.hasSubscribers) return next(call).then(counted, countedFailure);
    return next(call).then(
      (response) => {
        counted(response);
        if (attemptEndChannel.hasSubscribers) {
          attemptEndChannel.publish({ service, attempt, status: response.statusCode });
        }
        return response;
      },
      (error: unknown) => {
        const status = countFailure(error);
        if (attemptEndChannel.hasSubscribers) {
          attemptEndChannel.publish(
            status !== undefined ? { service, attempt, status } : { service, attempt, error },
          );
        }
        throw error;
      },
    );
  };
}
