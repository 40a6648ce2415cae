import type { CounterSeries, LabelledHistogram } from '@interlink/core';
import type { ClientMetrics } from './client-metrics.js';
import { requestEndChannel } from './diagnostics-channels.js';

/** Records the end of a logical call: its outcome and duration in metrics and on `request:end`. */
export type CallRecorder = (operation: string, started: number, outcome: string, attempts: number) => void;

/** The recorder of one target's calls. */
export function createCallRecorder(service: string, metrics: ClientMetrics | undefined): CallRecorder {
  // Per operation, the count and duration series of successful calls, made once: counting through
  // a handle skips joining and looking up the labels on every call.
  const okSeries = new Map<
    string,
    { requests: CounterSeries; duration: ReturnType<LabelledHistogram['series']> }
  >();

  function recordOk(m: ClientMetrics, operation: string, seconds: number): void {
    let series = okSeries.get(operation);
    if (!series) {
      const labels = [service, operation, 'ok'];
      series = { requests: m.requests.series(labels), duration: m.duration.series(labels) };
      // Operations are a handful of names; the bound only keeps a misuse from growing the cache.
      if (okSeries.size < 256) okSeries.set(operation, series);
    }
    series.requests.add();
    series.duration.observe(seconds);
  }

  return (operation, started, outcome, attempts) => {
    if (metrics) {
      const seconds = (performance.now() - started) / 1000;
      if (outcome === 'ok') recordOk(metrics, operation, seconds);
      else {
        const labels = [service, operation, outcome];
        metrics.requests.add(labels);
        metrics.duration.observe(labels, seconds);
      }
    }
    if (requestEndChannel.hasSubscribers) {
      requestEndChannel.publish({
        service,
        operation,
        outcome,
        attempts,
        durationMs: performance.now() - started,
      });
    }
  };
}
