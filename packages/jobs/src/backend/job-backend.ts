/** Where a job is in its life. `prioritized` jobs wait like `waiting` ones, in priority order. */
export type JobState = 'waiting' | 'prioritized' | 'delayed' | 'active' | 'completed' | 'failed';

/** Every state, in a stable order (for metrics and counts). */
export const JOB_STATES: readonly JobState[] = [
  'waiting',
  'prioritized',
  'delayed',
  'active',
  'completed',
  'failed',
];

/** How long to wait before the next attempt: `fixed` always `delay`, `exponential` `2^(n-1) * delay`. */
export interface BackoffPolicy {
  type: 'fixed' | 'exponential';
  /** Milliseconds. */
  delay: number;
}

/** Options a backend honours for one job. */
export interface BackendJobOptions {
  /**
   * Idempotency key: adding a job whose id already exists in the queue (in any state, until
   * retention trims it) does nothing and returns the existing job's id.
   */
  id?: string;
  /** Total runs allowed, the first included. */
  attempts: number;
  backoff?: BackoffPolicy;
  /** Completed jobs to keep, newest first; `'all'` keeps every one, `0` none. */
  keepCompleted: number | 'all';
  /** Failed jobs to keep, newest first; `'all'` keeps every one. */
  keepFailed: number | 'all';
  /** 1 is the highest priority; 0 or absent means none (taken before any prioritized job, FIFO). */
  priority?: number;
  /** Milliseconds to wait before the job may run. */
  delay?: number;
}

/** A job to add. `data` must be JSON-serialisable. */
export interface NewJob {
  name: string;
  data: unknown;
  options: BackendJobOptions;
}

/** A job as stored, for inspection. */
export interface JobRecord {
  id: string;
  queue: string;
  name: string;
  data: unknown;
  state: JobState;
  /** Runs finished so far (completed or failed); a deferred run does not count. */
  attemptsMade: number;
  attempts: number;
  /** The last delay applied: the retry backoff computed after the last failure, or the initial delay. */
  delay: number;
  priority: number;
  /** The last failure's reason, `CODE: message` when the error had a code. */
  failedReason?: string;
  /** The `ERR_*` code of the last failure, when it had one. */
  failedCode?: string;
  returnValue?: unknown;
  createdAt: number;
  processedAt?: number;
  finishedAt?: number;
  /** The schedule that produced this job, for scheduled jobs. */
  scheduleId?: string;
}

/** The job a processor runs. */
export interface ActiveJob {
  id: string;
  queue: string;
  name: string;
  data: unknown;
  /** Runs finished before this one: 0 on the first attempt. */
  attemptsMade: number;
  attempts: number;
  scheduleId?: string;
  /** Aborted when the worker is force-closed at the end of its shutdown timeout, or by {@link abort}. */
  signal: AbortSignal;
  /**
   * Aborts `signal` with `reason` (the job manager's timeout). One controller per job, shared this
   * way, because linking signals with listeners costs more than the rest of a job's bookkeeping.
   */
  abort(reason: unknown): void;
}

/** Runs one job; its resolved value is stored as the job's return value. */
export type JobProcessor = (job: ActiveJob) => Promise<unknown>;

/** Per-worker options. */
export interface WorkOptions {
  /** Jobs this worker runs at once. */
  concurrency: number;
}

/** A running worker on one queue. */
export interface JobWorker {
  /**
   * Stops taking jobs, waits up to `timeoutMs` for running ones, then gives up on the rest: their
   * signals are aborted and whatever they do afterwards is ignored, so they are picked up again by
   * another worker (stalled-job recovery). Resolves with the number of jobs left unfinished.
   */
  close(options?: { timeoutMs?: number }): Promise<{ unfinished: number }>;
  /** Jobs running in this worker now. */
  readonly running: number;
}

/** A repeating job: every `every` ms, or on a cron `cron` pattern (in `tz`). */
export interface ScheduleSpec {
  id: string;
  every?: number;
  cron?: string;
  tz?: string;
  job: NewJob;
}

/** A schedule as stored. */
export interface ScheduleRecord {
  id: string;
  name: string;
  every?: number;
  cron?: string;
  tz?: string;
  data: unknown;
  /** When the next tick is due (epoch ms), when known. */
  next?: number;
}

/**
 * A deferral: the processor hands the job back to run again at `until` without using up an attempt
 * (how an open circuit breaker pauses one job type on a shared queue).
 */
export class JobDeferral extends Error {
  readonly until: number;
  constructor(until: number) {
    super(`job deferred until ${new Date(until).toISOString()}`);
    this.name = 'JobDeferral';
    this.until = until;
  }
}

/**
 * Where jobs live and run. Implementations: BullMQ on Redis (shared by every replica) and memory
 * (one process). Both pass `runBackendConformance`.
 *
 * A processor's failure is retried per the job's `attempts` and `backoff`, except an error with
 * `retryable: false` (core's `isRetryable`; fails at once), and a {@link JobDeferral} (runs again later, no attempt used).
 */
export interface JobBackend {
  /** `bullmq` or `memory`. */
  readonly kind: string;
  /** True when several processes share the queues (stalled-job recovery across processes). */
  readonly shared: boolean;
  add(queue: string, job: NewJob): Promise<string>;
  addBulk(queue: string, jobs: readonly NewJob[]): Promise<string[]>;
  work(queue: string, processor: JobProcessor, options: WorkOptions): JobWorker;
  getJob(queue: string, id: string): Promise<JobRecord | undefined>;
  /** Jobs in `state`, newest first, `start`..`end` inclusive (0-based). */
  listJobs(queue: string, state: JobState, start?: number, end?: number): Promise<JobRecord[]>;
  countJobs(queue: string): Promise<Record<JobState, number>>;
  /** Moves a failed job back to waiting with fresh attempts. */
  retryJob(queue: string, id: string): Promise<void>;
  /** Moves a delayed job to waiting now (skips the rest of its backoff). */
  promoteJob(queue: string, id: string): Promise<void>;
  /** Stops every worker of the queue (in every process, for shared backends) taking new jobs. */
  pauseQueue(queue: string): Promise<void>;
  resumeQueue(queue: string): Promise<void>;
  isQueuePaused(queue: string): Promise<boolean>;
  /** Creates or updates in place the schedule with this id. */
  upsertSchedule(queue: string, spec: ScheduleSpec): Promise<void>;
  removeSchedule(queue: string, id: string): Promise<boolean>;
  listSchedules(queue: string): Promise<ScheduleRecord[]>;
  /** Removes every job, schedule and key of the queue (tests, teardown). */
  obliterate(queue: string): Promise<void>;
  /** Closes workers (see {@link JobWorker.close}) then connections. */
  close(options?: { timeoutMs?: number }): Promise<void>;
}
