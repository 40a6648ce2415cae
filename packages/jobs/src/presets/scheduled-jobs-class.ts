import type { PriorityClass } from '../manager/job-definitions.js';

/**
 * The class of a seed's scheduled jobs on `queue` (seed 000's workers, seed 002's order jobs):
 * one at a time, as both seeds ran them (they touch the same rows), 3 attempts with exponential
 * backoff from 5 s, and the last 100 completed and 500 failed runs kept for inspection.
 */
export function scheduledJobsClass(queue: string): PriorityClass {
  return {
    queue,
    attempts: 3,
    backoff: { type: 'exponential', delay: 5000 },
    keepCompleted: 100,
    keepFailed: 500,
    concurrency: 1,
  };
}
