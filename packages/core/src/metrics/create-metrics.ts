import { collectDefaultMetrics, Registry } from 'prom-client';
import { type LabelledHistogram, labelledHistogram } from './batched-metrics.js';

export interface ServiceMetrics {
  /** This service's own registry; never prom-client's global default. */
  registry: Registry;
  /** Observed with `[method, route template, status code]` and the duration in seconds. */
  httpRequestDuration: LabelledHistogram;
}

export interface CreateMetricsOptions {
  /** Added to every series as `service`. */
  service: string;
  /** Collect Node.js process metrics (CPU, memory, event-loop lag, GC); on by default. */
  processMetrics?: boolean;
  /** Histogram buckets for request durations, in seconds. */
  buckets?: number[];
}

/**
 * A metrics registry for one service, with process metrics and `http_request_duration_seconds`.
 * Several services (or tests) in one process each get their own, so names never collide.
 */
export function createMetrics(options: CreateMetricsOptions): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
  // A prom-client histogram whose label children are cached: the request hook keeps one per route.
  const httpRequestDuration = labelledHistogram({
    name: 'http_request_duration_seconds',
    help: 'Duration of HTTP requests handled by this service, by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'],
    buckets: options.buckets ?? [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registry,
  });
  return { registry, httpRequestDuration };
}
