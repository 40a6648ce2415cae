import type { BackendJobOptions } from '../backend/job-backend.js';
import { validateJobId } from '../backend/validate-job-input.js';
import type { PriorityClass } from './job-definitions.js';

/** Per-job options of {@link JobManager.add}. */
export interface AddJobOptions {
  /** Idempotency key: the same id adds the job once (while the job is retained). */
  id?: string;
  /** 1 is the highest; runs before lower priorities of the same class. */
  priority?: number;
  /** Milliseconds before the job may run. */
  delay?: number;
}

/** A job's backend options: its class's attempts, backoff and retention, and the add's own options. */
export function jobOptions(cls: PriorityClass, add: AddJobOptions = {}): BackendJobOptions {
  if (add.id !== undefined) validateJobId(add.id);
  return {
    attempts: cls.attempts,
    ...(cls.backoff ? { backoff: cls.backoff } : {}),
    keepCompleted: cls.keepCompleted,
    keepFailed: cls.keepFailed,
    ...(add.id === undefined ? {} : { id: add.id }),
    ...(add.priority === undefined ? {} : { priority: add.priority }),
    ...(add.delay === undefined ? {} : { delay: add.delay }),
  };
}
