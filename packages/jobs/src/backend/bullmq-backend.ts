import { type ConnectionOptions, type Job, Queue } from 'bullmq';
import { JobsError } from '../errors/jobs-error.js';
import { STATE_FROM_BULLMQ, toBullOptions, toJobRecord } from './bullmq-job-mapping.js';
import { createBullmqWorker } from './bullmq-worker.js';
import {
  JOB_STATES,
  type JobBackend,
  type JobState,
  type JobWorker,
  type NewJob,
  type ScheduleRecord,
} from './job-backend.js';
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
    work(queue, processor, opts) {
      assertOpen();
      return createBullmqWorker(queue, processor, opts, {
        connection,
        prefix,
        lockDurationMs: options.lockDurationMs,
        stalledIntervalMs: options.stalledIntervalMs,
        maxStalledCount: options.maxStalledCount,
        onError,
        handles,
      });
    },
    async getJob(queue, id) {
      const found = await readJob(queue, id);
      return found ? toJobRecord(queue, found[0], found[1]) : undefined;
    },
    async listJobs(queue, state, start = 0, end = -1) {
      const jobs = await queueOf(queue).getJobs([state], start, end, false);
      return jobs.filter((job) => job?.id).map((job) => toJobRecord(queue, job, state));
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
