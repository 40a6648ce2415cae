import type { Job, JobsOptions } from 'bullmq';
import type { BackendJobOptions, JobRecord, JobState } from './job-backend.js';
import { failureCode } from './job-failure.js';

/** BullMQ's job states as ours; one not listed (`unknown`) means there is no such job. */
export const STATE_FROM_BULLMQ: Record<string, JobState> = {
  waiting: 'waiting',
  wait: 'waiting',
  'waiting-children': 'waiting',
  prioritized: 'prioritized',
  delayed: 'delayed',
  active: 'active',
  completed: 'completed',
  failed: 'failed',
};

// BullMQ's removeOn*: `true` keeps none, `false` keeps all, a number keeps that many.
function keep(count: number | 'all'): boolean | number {
  if (count === 'all') return false;
  return count === 0 ? true : count;
}

/** Our job options as BullMQ's. */
export function toBullOptions(options: BackendJobOptions): JobsOptions {
  return {
    ...(options.id === undefined ? {} : { jobId: options.id }),
    attempts: options.attempts,
    ...(options.backoff ? { backoff: { ...options.backoff } } : {}),
    removeOnComplete: keep(options.keepCompleted),
    removeOnFail: keep(options.keepFailed),
    ...(options.priority ? { priority: options.priority } : {}),
    ...(options.delay ? { delay: options.delay } : {}),
  };
}

/** A BullMQ job as our record, in the `state` read with it. */
export function toJobRecord(queue: string, job: Job, state: JobState): JobRecord {
  const failedReason = job.failedReason || undefined;
  const failedCode = failureCode(failedReason);
  return {
    id: job.id!,
    queue,
    name: job.name,
    data: job.data,
    state,
    attemptsMade: job.attemptsMade,
    attempts: job.opts.attempts ?? 1,
    delay: job.delay ?? 0,
    priority: job.priority ?? 0,
    createdAt: job.timestamp,
    ...(failedReason === undefined ? {} : { failedReason }),
    ...(failedCode === undefined ? {} : { failedCode }),
    ...(job.returnvalue === undefined || job.returnvalue === null ? {} : { returnValue: job.returnvalue }),
    ...(job.processedOn ? { processedAt: job.processedOn } : {}),
    ...(job.finishedOn ? { finishedAt: job.finishedOn } : {}),
    ...(job.repeatJobKey ? { scheduleId: job.repeatJobKey } : {}),
  };
}
