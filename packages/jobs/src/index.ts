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
export { createMemoryBackend, type MemoryBackendOptions } from './backend/memory-backend.js';
export { JobsError } from './errors/jobs-error.js';
export { type JobsErrorCode, jobsErrorCodes } from './errors/jobs-error-codes.js';
export {
  createJobManager,
  type JobManager,
  type JobManagerOptions,
  type JobsStatus,
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
export type { AddJobOptions } from './manager/job-options.js';
export type { JobsLogger } from './manager/jobs-logger.js';
export type { PayloadIssue } from './manager/payload-error.js';
