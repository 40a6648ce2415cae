import { isRetryable } from '@interlink/core';
import {
  type ConnectionOptions,
  DelayedError,
  type Job,
  type JobsOptions,
  Queue,
  UnrecoverableError,
  WaitingError,
  Worker,
} from 'bullmq';
import { JobsError } from '../errors/jobs-error.js';
import {
  type ActiveJob,
  type BackendJobOptions,
  JOB_STATES,
  type JobBackend,
  JobDeferral,
  type JobProcessor,
  type JobRecord,
  type JobState,
  type JobWorker,
  type NewJob,
  type ScheduleRecord,
} from './job-backend.js';
import { failureCode, failureReason } from './job-failure.js';
import { validateNewJob, validateSchedule } from './validate-job-input.js';

/** Options of {@link createBullmqBackend}. */
export interface BullmqBackendOptions {
  /** Redis connection for BullMQ; defaults to `{ url: REDIS_URL ?? 'redis://127.0.0.1:6379' }`. */
  connection?: ConnectionOptions;
  /** Key prefix; BullMQ's and Bull's default `bull` keeps the seeds' keys. */
  prefix?: string;
  /**
   * How long a worker's lock on a running job lasts without renewal (BullMQ `lockDuration`, 30 s by
   * default): how soon a job of a dead worker can be recovered.
   */
  lockDurationMs?: number;
  /** How often workers look for stalled jobs (BullMQ `stalledInterval`, 30 s by default). */
  stalledIntervalMs?: number;
  /** Times a job may stall before it fails (BullMQ `maxStalledCount`, 1 by default). */
  maxStalledCount?: number;
  /**
   * How long an add may wait for Redis (10 s by default). BullMQ queues commands while Redis is
   * down and would make a producer wait forever; past this the add fails with
   * `ERR_JOB_STORE_UNAVAILABLE` (the job may still be added once Redis is back: retry with the same id).
   */
  addTimeoutMs?: number;
  /** Connection and worker errors, which BullMQ reports as events rather than throws. */
  onError?: (error: Error) => void;
}

const STATE_FROM_BULLMQ: Record<string, JobState> = {
  waiting: 'waiting',
  wait: 'waiting',
  'waiting-children': 'waiting',
  prioritized: 'prioritized',
  delayed: 'delayed',
  active: 'active',
  completed: 'completed',
  failed: 'failed',
};

function keep(count: number | 'all'): boolean | number {
  if (count === 'all') return false;
  return count === 0 ? true : count;
}

function toBullOptions(options: BackendJobOptions): JobsOptions {
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

function toRecord(queue: string, job: Job, state: JobState): JobRecord {
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

const never = (): Promise<never> => new Promise<never>(() => {});

/**
 * A job a worker runs: what the processor sees and the worker's own bookkeeping, in one object with
 * its accessors on the prototype (an object literal with a getter and a closure per job cost a few
 * hundred bytes of garbage each).
 */
class RunningJob implements ActiveJob {
  readonly id: string;
  readonly name: string;
  readonly data: unknown;
  readonly attemptsMade: number;
  readonly attempts: number;
  readonly scheduleId: string | undefined;
  /** Set when the worker gave up on the job at shutdown: another worker owns it now. */
  abandoned = false;
  /** Made on first use: most handlers never look at their signal, and most jobs are not aborted. */
  #controller: AbortController | undefined;

  constructor(
    readonly queue: string,
    job: Job,
  ) {
    this.id = job.id!;
    this.name = job.name;
    this.data = job.data;
    this.attemptsMade = job.attemptsMade;
    this.attempts = job.opts.attempts ?? 1;
    this.scheduleId = job.repeatJobKey || undefined;
  }

  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    return this.#controller.signal;
  }

  abort(reason: unknown): void {
    this.#controller ??= new AbortController();
    this.#controller.abort(reason);
  }
}

/**
 * Runs an add with a deadline. BullMQ serialises data with `JSON.stringify`, which throws a TypeError
 * for BigInt and cycles before anything is sent: the caller's bad input, so it gets the payload code.
 */
async function serialising<T>(add: () => Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      add(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new JobsError('ERR_JOB_STORE_UNAVAILABLE', `Redis did not take the job within ${timeoutMs} ms`),
            ),
          timeoutMs,
        );
      }),
    ]);
  } catch (error) {
    if (error instanceof TypeError && /BigInt|circular/i.test(error.message))
      throw new JobsError('ERR_JOB_PAYLOAD_INVALID', 'job data is not JSON-serialisable', { cause: error });
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A {@link JobBackend} on BullMQ and Redis: queues shared by every replica, locks with stalled-job
 * recovery, job schedulers that create each tick once. Job options map one to one onto BullMQ's.
 */
export function createBullmqBackend(options: BullmqBackendOptions = {}): JobBackend {
  const connection: ConnectionOptions = options.connection ?? {
    url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    maxRetriesPerRequest: null,
  };
  const prefix = options.prefix ?? 'bull';
  const onError = options.onError ?? (() => {});
  const addTimeoutMs = options.addTimeoutMs ?? 10_000;
  const queues = new Map<string, Queue>();
  const handles = new Set<JobWorker>();
  let closed = false;

  function queueOf(name: string): Queue {
    let queue = queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection, prefix });
      queue.on('error', onError);
      queues.set(name, queue);
    }
    return queue;
  }

  function assertOpen(): void {
    if (closed) throw new JobsError('ERR_JOB_MANAGER_CLOSED', 'the BullMQ job backend is closed');
  }

  /**
   * The job and its state. They are two reads, so the state is read on both sides of the job's hash
   * and the pair is taken only when both agree: otherwise a job that finished between the reads
   * would show as `completed` with the data of its `active` self.
   */
  async function readJob(queue: string, id: string): Promise<[Job, JobState] | undefined> {
    const q = queueOf(queue);
    for (let tries = 0; ; tries++) {
      const before = await q.getJobState(id);
      const job = await q.getJob(id);
      if (!job) return undefined;
      const after = await job.getState();
      const state = STATE_FROM_BULLMQ[after];
      if (!state) return undefined;
      if (before === after || tries >= 5) return [job, state];
    }
  }

  async function loadJob(queue: string, id: string): Promise<[Job, JobState]> {
    const found = await readJob(queue, id);
    if (!found) throw new JobsError('ERR_JOB_NOT_FOUND', `no job "${id}" in queue "${queue}"`);
    return found;
  }

  function work(queue: string, processor: JobProcessor, opts: { concurrency: number }): JobWorker {
    assertOpen();
    if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1)
      throw new JobsError('ERR_JOB_OPTIONS_INVALID', 'concurrency must be an integer >= 1');
    const running = new Set<RunningJob>();
    let closing = false;
    let idle: (() => void) | undefined;

    const worker = new Worker(
      queue,
      async (job: Job, token?: string) => {
        if (closing) {
          // Taken by a fetch already in flight when the worker began to close: hand it back untouched.
          await job.moveToWait(token);
          throw new WaitingError();
        }
        const entry = new RunningJob(queue, job);
        running.add(entry);
        try {
          const result = await processor(entry);
          // Abandoned at shutdown: the lock is gone and another worker owns the job now, so report nothing.
          if (entry.abandoned) return never();
          return result;
        } catch (error) {
          if (entry.abandoned) return never();
          if (error instanceof JobDeferral) {
            await job.moveToDelayed(error.until, token);
            throw new DelayedError();
          }
          const reason = failureReason(error);
          if (!isRetryable(error)) throw new UnrecoverableError(reason);
          const failure = new Error(reason);
          if (error instanceof Error && error.stack) failure.stack = error.stack;
          throw failure;
        } finally {
          running.delete(entry);
          if (running.size === 0) idle?.();
        }
      },
      {
        connection,
        prefix,
        concurrency: opts.concurrency,
        ...(options.lockDurationMs === undefined ? {} : { lockDuration: options.lockDurationMs }),
        ...(options.stalledIntervalMs === undefined ? {} : { stalledInterval: options.stalledIntervalMs }),
        ...(options.maxStalledCount === undefined ? {} : { maxStalledCount: options.maxStalledCount }),
      },
    );
    worker.on('error', onError);

    let closePromise: Promise<{ unfinished: number }> | undefined;
    const close = async (timeoutMs: number): Promise<{ unfinished: number }> => {
      closing = true;
      // Stop fetching without waiting (BullMQ's own close would wait for running jobs without a limit).
      await worker.pause(true);
      if (running.size > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((resolve) => {
            idle = resolve;
          }),
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, timeoutMs);
          }),
        ]);
        clearTimeout(timer);
      }
      const unfinished = [...running];
      for (const entry of unfinished) entry.abandoned = true;
      // Force: do not wait for the abandoned jobs; their locks lapse and another worker's stalled check
      // moves them back to waiting.
      await worker.close(unfinished.length > 0);
      for (const entry of unfinished) {
        entry.abort(new JobsError('ERR_JOB_MANAGER_CLOSED', 'the worker closed before the job finished'));
      }
      return { unfinished: unfinished.length };
    };
    const handle: JobWorker = {
      close(closeOptions = {}) {
        closePromise ??= close(closeOptions.timeoutMs ?? 30_000).finally(() => handles.delete(handle));
        return closePromise;
      },
      get running() {
        return running.size;
      },
    };
    handles.add(handle);
    return handle;
  }

  return {
    kind: 'bullmq',
    shared: true,
    async add(queue: string, job: NewJob) {
      assertOpen();
      validateNewJob(job);
      const added = await serialising(
        () => queueOf(queue).add(job.name, job.data, toBullOptions(job.options)),
        addTimeoutMs,
      );
      return added.id!;
    },
    async addBulk(queue, jobs) {
      assertOpen();
      for (const job of jobs) validateNewJob(job);
      const added = await serialising(
        () =>
          queueOf(queue).addBulk(
            jobs.map((job) => ({ name: job.name, data: job.data, opts: toBullOptions(job.options) })),
          ),
        addTimeoutMs,
      );
      return added.map((job) => job.id!);
    },
    work,
    async getJob(queue, id) {
      const found = await readJob(queue, id);
      return found ? toRecord(queue, found[0], found[1]) : undefined;
    },
    async listJobs(queue, state, start = 0, end = -1) {
      const jobs = await queueOf(queue).getJobs([state], start, end, false);
      return jobs.filter((job) => job?.id).map((job) => toRecord(queue, job, state));
    },
    async countJobs(queue) {
      const counts = await queueOf(queue).getJobCounts(...JOB_STATES);
      return Object.fromEntries(JOB_STATES.map((s) => [s, counts[s] ?? 0])) as Record<JobState, number>;
    },
    async retryJob(queue, id) {
      assertOpen();
      const [job, state] = await loadJob(queue, id);
      if (state !== 'failed') throw new JobsError('ERR_JOB_NOT_FAILED', `job "${id}" is ${state}`);
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    },
    async promoteJob(queue, id) {
      const [job, state] = await loadJob(queue, id);
      if (state === 'delayed') await job.promote();
    },
    async pauseQueue(queue) {
      await queueOf(queue).pause();
    },
    async resumeQueue(queue) {
      await queueOf(queue).resume();
    },
    async isQueuePaused(queue) {
      return queueOf(queue).isPaused();
    },
    async upsertSchedule(queue, spec) {
      assertOpen();
      validateSchedule(spec);
      const { jobId: _jobId, delay: _delay, ...templateOptions } = toBullOptions(spec.job.options);
      await queueOf(queue).upsertJobScheduler(
        spec.id,
        spec.every !== undefined
          ? { every: spec.every }
          : { pattern: spec.cron!, ...(spec.tz ? { tz: spec.tz } : {}) },
        { name: spec.job.name, data: spec.job.data, opts: templateOptions },
      );
    },
    async removeSchedule(queue, id) {
      return queueOf(queue).removeJobScheduler(id);
    },
    async listSchedules(queue) {
      const schedulers = await queueOf(queue).getJobSchedulers();
      return schedulers.map(
        (s): ScheduleRecord => ({
          id: s.key,
          name: s.name,
          data: s.template?.data,
          ...(s.every ? { every: Number(s.every) } : {}),
          ...(s.pattern ? { cron: s.pattern } : {}),
          ...(s.tz ? { tz: s.tz } : {}),
          ...(s.next ? { next: Number(s.next) } : {}),
        }),
      );
    },
    async obliterate(queue) {
      await queueOf(queue).obliterate({ force: true });
    },
    async close(closeOptions = {}) {
      if (closed) return;
      closed = true;
      await Promise.all([...handles].map((h) => h.close(closeOptions)));
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
