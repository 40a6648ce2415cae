import {
  type BatchedCounter,
  batchedCounter,
  type LabelledHistogram,
  labelledHistogram,
} from '@interlink/core';
import { Counter, Gauge, type Registry } from 'prom-client';

/** The client's metrics, registered once per registry and shared by every client of a service. */
export interface ClientMetrics {
  /** Logical calls by target, operation and outcome (`ok`, `fallback` or an error code). Label values in that order. */
  requests: BatchedCounter<'target' | 'operation' | 'outcome'>;
  /** Attempts on the wire by target and result (`2xx`, `4xx`, `5xx`, or an error code). */
  attempts: BatchedCounter<'target' | 'result'>;
  /** Retries by target and what caused them. */
  retries: Counter<'target' | 'reason'>;
  /** Retries refused by the retry budget. */
  budgetRefusals: Counter<'target'>;
  /** Fallback values returned instead of an error. */
  fallbacks: Counter<'target' | 'operation'>;
  /** Breaker state: 0 closed, 1 open, 2 half-open, 3 isolated. */
  breakerState: Gauge<'target' | 'breaker'>;
  /** Duration of logical calls in seconds, retries and backoff included; labels target, operation, outcome. */
  duration: LabelledHistogram;
}

export interface ClientMetricsOptions {
  registry: Registry;
  buckets?: number[];
}

/** Registers the client metrics on `registry` (a service's own, never prom-client's global one). */
export function createClientMetrics(options: ClientMetricsOptions): ClientMetrics {
  const registers = [options.registry];
  return {
    // The three series touched on every call keep handles (core's batched-metrics.ts: counters are
    // batched, the histogram caches its label children); the rest are rare enough for plain metrics.
    requests: batchedCounter({
      name: 'interlink_client_requests_total',
      help: 'Outbound calls by target, operation and outcome',
      labelNames: ['target', 'operation', 'outcome'] as const,
      registry: options.registry,
    }),
    attempts: batchedCounter({
      name: 'interlink_client_attempts_total',
      help: 'Outbound attempts on the wire by target and result',
      labelNames: ['target', 'result'] as const,
      registry: options.registry,
    }),
    retries: new Counter({
      name: 'interlink_client_retries_total',
      help: 'Outbound retries by target and reason',
      labelNames: ['target', 'reason'] as const,
      registers,
    }),
    budgetRefusals: new Counter({
      name: 'interlink_client_retry_budget_exhausted_total',
      help: 'Retries refused because the target retry budget was spent',
      labelNames: ['target'] as const,
      registers,
    }),
    fallbacks: new Counter({
      name: 'interlink_client_fallbacks_total',
      help: 'Fallback values returned in place of a failed outbound call',
      labelNames: ['target', 'operation'] as const,
      registers,
    }),
    breakerState: new Gauge({
      name: 'interlink_client_circuit_state',
      help: 'Circuit breaker state per target (0 closed, 1 open, 2 half-open, 3 isolated)',
      labelNames: ['target', 'breaker'] as const,
      registers,
    }),
    duration: labelledHistogram({
      name: 'interlink_client_request_duration_seconds',
      help: 'Duration of outbound calls including retries',
      labelNames: ['target', 'operation', 'outcome'],
      buckets: options.buckets ?? [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registry: options.registry,
    }),
  };
}
