/**
 * `@interlink/jobs/internal`: what Interlink's own tests and benchmarks need beyond the public
 * entry. Unstable: names here may change or go in any release. The backend conformance suite is not
 * here: it imports vitest and stays out of the published package.
 */
export { failureCode, failureReason } from './backend/job-failure.js';
export { retryDelay } from './backend/retry-delay.js';
export { MAX_PRIORITY } from './backend/validate-job-input.js';
export {
  type BreakerDecision,
  type BreakerState,
  createCircuitBreaker,
  type JobCircuitBreaker,
} from './manager/circuit-breaker.js';
export { type JobEnvelope, type JobMeta, unwrapPayload, wrapPayload } from './manager/job-envelope.js';
export { createJobMetrics, type JobMetrics, type JobMetricsOptions } from './metrics/job-metrics.js';
