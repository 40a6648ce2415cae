export { type BullmqBackendOptions, createBullmqBackend } from './backend/bullmq-backend.js';
export {
  type ActiveJob,
  type BackendJobOptions,
  type BackoffPolicy,
  JOB_STATES,
  type JobBackend,
  JobDeferral,
  type JobProcessor,
  type JobRecord,
  type JobState,
  type JobWorker,
  type NewJob,
  type ScheduleRecord,
  type ScheduleSpec,
  type WorkOptions,
} from './backend/job-backend.js';
export { failureCode, failureReason, isPermanentFailure } from './backend/job-failure.js';
export { createMemoryBackend, type MemoryBackendOptions } from './backend/memory-backend.js';
export { backoffDelay, MAX_PRIORITY } from './backend/validate-job-input.js';
export { JobsError, PERMANENT_JOB_ERROR_CODES } from './errors/jobs-error.js';
export { type JobsErrorCode, jobsErrorCodes } from './errors/jobs-error-codes.js';
export {
  type BreakerDecision,
  type BreakerState,
  createCircuitBreaker,
  type JobCircuitBreaker,
} from './manager/circuit-breaker.js';
export {
  type AddJobOptions,
  createJobManager,
  type JobManager,
  type JobManagerOptions,
  type JobsLogger,
  type JobsStatus,
  type PayloadIssue,
} from './manager/create-job-manager.js';
export {
  type BreakerPolicy,
  defineJobType,
  type JobHandler,
  type JobPreset,
  type JobRunInfo,
  type JobTypeDefinition,
  type PriorityClass,
  type ScheduleDefinition,
} from './manager/job-definitions.js';
export { type JobEnvelope, type JobMeta, unwrapPayload, wrapPayload } from './manager/job-envelope.js';
export { createJobMetrics, type JobMetrics, type JobMetricsOptions } from './metrics/job-metrics.js';
export {
  ANALYTICS_EVENT_QUEUES,
  ANALYTICS_WORKERS_QUEUE,
  AnalyticsEventPayload,
  AnalyticsRunPayload,
  analyticsClasses,
  analyticsJobTypes,
  analyticsPreset,
  analyticsSchedules,
} from './presets/analytics-preset.js';
export {
  BatchJobPayload,
  CleanupJobPayload,
  integrationJobTypes,
  integrationPreset,
  integrationPriorityClasses,
  SyncJobPayload,
  WebhookJobPayload,
} from './presets/integration-preset.js';
export {
  ORDER_JOBS_QUEUE,
  OrderJobPayload,
  orderClasses,
  orderJobTypes,
  orderPreset,
  orderSchedules,
} from './presets/order-preset.js';
