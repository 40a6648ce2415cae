import { isRetryable } from '@interlink/core';
import { CronExpressionParser } from 'cron-parser';
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
  type ScheduleSpec,
  type WorkOptions,
} from './job-backend.js';
import { failureCode, failureReason } from './job-failure.js';
import { retryDelay } from './retry-delay.js';
import { validateNewJob, validateSchedule } from './validate-job-input.js';

interface MemJob {
  id: string;
  name: string;
  data: unknown;
  options: BackendJobOptions;
  state: JobState;
  attemptsMade: number;
  delay: number;
  seq: number;
  createdAt: number;
  processedAt?: number;
  finishedAt?: number;
  failedReason?: string;
  returnValue?: unknown;
  scheduleId?: string;
  timer?: NodeJS.Timeout;
}

interface Running {
  job: MemJob;
  abort: AbortController;
  abandoned: boolean;
}

interface MemWorker {
  processor: JobProcessor;
  concurrency: number;
  running: Set<Running>;
  closing: boolean;
  idle: Set<() => void>;
}

interface MemSchedule {
  spec: ScheduleSpec;
  next: number;
  timer?: NodeJS.Timeout;
}

interface MemQueue {
  jobs: Map<string, MemJob>;
  /** Ids of waiting jobs without priority, FIFO. */
  waiting: string[];
  /** Waiting jobs with a priority, kept sorted by (priority, seq). */
  prioritized: MemJob[];
  /** Finished ids, oldest first, for retention. */
  completed: string[];
  failed: string[];
  paused: boolean;
  workers: MemWorker[];
  schedules: Map<string, MemSchedule>;
  nextId: number;
}

/** The data as Redis would store it; data JSON cannot hold (BigInt, cycles) is refused with a code. */
function storable(data: unknown): unknown {
  try {
    return jsonCopy(data);
  } catch {
    throw new JobsError('ERR_JOB_PAYLOAD_INVALID', 'job data is not JSON-serialisable');
  }
}

/** Options of {@link createMemoryBackend}. */
export interface MemoryBackendOptions {
  /** Clock, for schedules; defaults to `Date.now`. */
  now?: () => number;
}

// Jobs cross a JSON boundary on Redis; doing the same here keeps handlers from depending on object
// identity or on types (Date, Map) that would not survive the real backend.
function jsonCopy(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

/**
 * An in-process {@link JobBackend} with BullMQ's semantics (attempts, backoff, retention, priorities,
 * schedules, idempotent ids, pause), for `npm start` with no Redis and for unit tests. Jobs live only
 * as long as the process: it is not a durable store and cannot share work across processes.
 */
export function createMemoryBackend(options: MemoryBackendOptions = {}): JobBackend {
  const now = options.now ?? Date.now;
  const queues = new Map<string, MemQueue>();
  let seq = 0;
  let closed = false;
  const handles = new Set<JobWorker>();

  function queueOf(name: string): MemQueue {
    let q = queues.get(name);
    if (!q) {
      q = {
        jobs: new Map(),
        waiting: [],
        prioritized: [],
        completed: [],
        failed: [],
        paused: false,
        workers: [],
        schedules: new Map(),
        nextId: 0,
      };
      queues.set(name, q);
    }
    return q;
  }

  function assertOpen(): void {
    if (closed) throw new JobsError('ERR_JOB_MANAGER_CLOSED', 'the memory job backend is closed');
  }

  function enqueue(queue: string, q: MemQueue, job: MemJob): void {
    clearTimeout(job.timer);
    job.timer = undefined;
    const priority = job.options.priority ?? 0;
    if (priority > 0) {
      job.state = 'prioritized';
      let i = q.prioritized.length;
      while (i > 0) {
        const prev = q.prioritized[i - 1]!;
        if ((prev.options.priority ?? 0) <= priority) break;
        i--;
      }
      q.prioritized.splice(i, 0, job);
    } else {
      job.state = 'waiting';
      q.waiting.push(job.id);
    }
    queueMicrotask(() => pump(queue));
  }

  function delayUntil(queue: string, q: MemQueue, job: MemJob, at: number): void {
    job.state = 'delayed';
    clearTimeout(job.timer);
    job.timer = setTimeout(
      () => {
        if (job.state === 'delayed' && q.jobs.get(job.id) === job) enqueue(queue, q, job);
      },
      Math.max(0, at - now()),
    );
  }

  function trim(q: MemQueue, list: string[], keep: number | 'all'): void {
    if (keep === 'all') return;
    while (list.length > keep) {
      const id = list.shift()!;
      q.jobs.delete(id);
    }
  }

  function finish(q: MemQueue, job: MemJob, state: 'completed' | 'failed'): void {
    job.state = state;
    job.finishedAt = now();
    const list = state === 'completed' ? q.completed : q.failed;
    list.push(job.id);
    trim(q, list, state === 'completed' ? job.options.keepCompleted : job.options.keepFailed);
  }

  function takeNext(q: MemQueue): MemJob | undefined {
    while (q.waiting.length > 0) {
      const job = q.jobs.get(q.waiting.shift()!);
      if (job && job.state === 'waiting') return job;
    }
    while (q.prioritized.length > 0) {
      const job = q.prioritized.shift()!;
      if (q.jobs.get(job.id) === job && job.state === 'prioritized') return job;
    }
    return undefined;
  }

  function pump(queue: string): void {
    const q = queues.get(queue);
    if (!q || q.paused || closed) return;
    for (const worker of q.workers) {
      while (!worker.closing && worker.running.size < worker.concurrency) {
        const job = takeNext(q);
        if (!job) return;
        run(queue, q, worker, job);
      }
    }
  }

  function run(queue: string, q: MemQueue, worker: MemWorker, job: MemJob): void {
    job.state = 'active';
    job.processedAt = now();
    const entry: Running = { job, abort: new AbortController(), abandoned: false };
    worker.running.add(entry);
    const active: ActiveJob = {
      id: job.id,
      queue,
      name: job.name,
      data: jsonCopy(job.data),
      attemptsMade: job.attemptsMade,
      attempts: job.options.attempts,
      signal: entry.abort.signal,
      abort: (reason) => entry.abort.abort(reason),
      ...(job.scheduleId === undefined ? {} : { scheduleId: job.scheduleId }),
    };
    Promise.resolve()
      .then(() => worker.processor(active))
      .then(
        (value) => {
          if (entry.abandoned) return;
          job.attemptsMade++;
          job.returnValue = jsonCopy(value);
          job.failedReason = undefined;
          finish(q, job, 'completed');
        },
        (error: unknown) => {
          if (entry.abandoned) return;
          if (error instanceof JobDeferral) {
            delayUntil(queue, q, job, error.until);
            return;
          }
          job.attemptsMade++;
          job.failedReason = failureReason(error);
          if (!isRetryable(error) || job.attemptsMade >= job.options.attempts) {
            finish(q, job, 'failed');
            return;
          }
          const delay = retryDelay(job.options.backoff, job.attemptsMade);
          job.delay = delay;
          if (delay > 0) delayUntil(queue, q, job, now() + delay);
          else enqueue(queue, q, job);
        },
      )
      .finally(() => {
        if (entry.abandoned) return;
        worker.running.delete(entry);
        if (worker.running.size === 0) for (const resolve of worker.idle) resolve();
        pump(queue);
      });
  }

  function addOne(queue: string, job: NewJob): string {
    validateNewJob(job);
    const q = queueOf(queue);
    const id = job.options.id ?? String(++q.nextId);
    if (q.jobs.has(id)) return id;
    const mem: MemJob = {
      id,
      name: job.name,
      data: storable(job.data),
      options: { ...job.options },
      state: 'waiting',
      attemptsMade: 0,
      delay: job.options.delay ?? 0,
      seq: ++seq,
      createdAt: now(),
    };
    q.jobs.set(id, mem);
    if (mem.delay > 0) delayUntil(queue, q, mem, mem.createdAt + mem.delay);
    else enqueue(queue, q, mem);
    return id;
  }

  function toRecord(queue: string, job: MemJob): JobRecord {
    const failedCode = failureCode(job.failedReason);
    return {
      id: job.id,
      queue,
      name: job.name,
      data: jsonCopy(job.data),
      state: job.state,
      attemptsMade: job.attemptsMade,
      attempts: job.options.attempts,
      delay: job.delay,
      priority: job.options.priority ?? 0,
      createdAt: job.createdAt,
      ...(job.failedReason === undefined ? {} : { failedReason: job.failedReason }),
      ...(failedCode === undefined ? {} : { failedCode }),
      ...(job.returnValue === undefined ? {} : { returnValue: jsonCopy(job.returnValue) }),
      ...(job.processedAt === undefined ? {} : { processedAt: job.processedAt }),
      ...(job.finishedAt === undefined ? {} : { finishedAt: job.finishedAt }),
      ...(job.scheduleId === undefined ? {} : { scheduleId: job.scheduleId }),
    };
  }

  function nextTick(spec: ScheduleSpec, after: number): number {
    if (spec.every !== undefined) return (Math.floor(after / spec.every) + 1) * spec.every;
    const expr = CronExpressionParser.parse(spec.cron!, {
      currentDate: new Date(after),
      ...(spec.tz ? { tz: spec.tz } : {}),
    });
    return expr.next().getTime();
  }

  function arm(queue: string, q: MemQueue, schedule: MemSchedule): void {
    clearTimeout(schedule.timer);
    schedule.timer = setTimeout(
      () => {
        if (q.schedules.get(schedule.spec.id) !== schedule || closed) return;
        const tick = schedule.next;
        const { job } = schedule.spec;
        // The tick's time is part of the id, as in BullMQ, so a tick is one job however often it fires.
        const id = `repeat-${schedule.spec.id}-${tick}`;
        if (!q.jobs.has(id)) {
          addOne(queue, { name: job.name, data: job.data, options: { ...job.options, id } });
          q.jobs.get(id)!.scheduleId = schedule.spec.id;
        }
        schedule.next = nextTick(schedule.spec, Math.max(tick, now()));
        arm(queue, q, schedule);
      },
      Math.max(0, schedule.next - now()),
    );
  }

  function makeWorker(queue: string, processor: JobProcessor, opts: WorkOptions): JobWorker {
    assertOpen();
    if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1)
      throw new JobsError('ERR_JOB_OPTIONS_INVALID', 'concurrency must be an integer >= 1');
    const q = queueOf(queue);
    const worker: MemWorker = {
      processor,
      concurrency: opts.concurrency,
      running: new Set(),
      closing: false,
      idle: new Set(),
    };
    q.workers.push(worker);
    queueMicrotask(() => pump(queue));
    let closing: Promise<{ unfinished: number }> | undefined;
    const close = async (timeoutMs: number): Promise<{ unfinished: number }> => {
      worker.closing = true;
      if (worker.running.size > 0) {
        let resolveIdle!: () => void;
        const idle = new Promise<void>((resolve) => {
          resolveIdle = resolve;
        });
        worker.idle.add(resolveIdle);
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([idle, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
        clearTimeout(timer);
        worker.idle.delete(resolveIdle);
      }
      const unfinished = [...worker.running];
      // What a lost lock does on Redis: the job goes back to waiting for another worker. Here the store
      // is in-process, so it happens at once instead of after the stalled-job check.
      for (const entry of unfinished) {
        entry.abandoned = true;
        entry.abort.abort(
          new JobsError('ERR_JOB_MANAGER_CLOSED', 'the worker closed before the job finished'),
        );
        worker.running.delete(entry);
        if (q.jobs.get(entry.job.id) === entry.job && entry.job.state === 'active')
          enqueue(queue, q, entry.job);
      }
      q.workers = q.workers.filter((w) => w !== worker);
      return { unfinished: unfinished.length };
    };
    const handle: JobWorker = {
      close(options = {}) {
        closing ??= close(options.timeoutMs ?? 30_000).finally(() => handles.delete(handle));
        return closing;
      },
      get running() {
        return worker.running.size;
      },
    };
    handles.add(handle);
    return handle;
  }

  function requireJob(queue: string, id: string): MemJob {
    const job = queues.get(queue)?.jobs.get(id);
    if (!job) throw new JobsError('ERR_JOB_NOT_FOUND', `no job "${id}" in queue "${queue}"`);
    return job;
  }

  const backend: JobBackend = {
    kind: 'memory',
    shared: false,
    async add(queue, job) {
      assertOpen();
      return addOne(queue, job);
    },
    async addBulk(queue, jobs) {
      assertOpen();
      // All or nothing, as BullMQ's bulk add is one transaction.
      for (const job of jobs) {
        validateNewJob(job);
        storable(job.data);
      }
      return jobs.map((job) => addOne(queue, job));
    },
    work: makeWorker,
    async getJob(queue, id) {
      const job = queues.get(queue)?.jobs.get(id);
      return job ? toRecord(queue, job) : undefined;
    },
    async listJobs(queue, state, start = 0, end = -1) {
      const q = queues.get(queue);
      if (!q) return [];
      let jobs: MemJob[];
      if (state === 'completed' || state === 'failed') {
        jobs = (state === 'completed' ? q.completed : q.failed).map((id) => q.jobs.get(id)!).reverse();
      } else {
        jobs = [...q.jobs.values()].filter((j) => j.state === state).sort((a, b) => b.seq - a.seq);
      }
      return jobs.slice(start, end < 0 ? undefined : end + 1).map((j) => toRecord(queue, j));
    },
    async countJobs(queue) {
      const counts = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>;
      for (const job of queues.get(queue)?.jobs.values() ?? []) counts[job.state]++;
      return counts;
    },
    async retryJob(queue, id) {
      assertOpen();
      const q = queueOf(queue);
      const job = requireJob(queue, id);
      if (job.state !== 'failed') throw new JobsError('ERR_JOB_NOT_FAILED', `job "${id}" is ${job.state}`);
      q.failed = q.failed.filter((f) => f !== id);
      job.attemptsMade = 0;
      job.finishedAt = undefined;
      enqueue(queue, q, job);
    },
    async promoteJob(queue, id) {
      const q = queueOf(queue);
      const job = requireJob(queue, id);
      if (job.state === 'delayed') enqueue(queue, q, job);
    },
    async pauseQueue(queue) {
      queueOf(queue).paused = true;
    },
    async resumeQueue(queue) {
      queueOf(queue).paused = false;
      pump(queue);
    },
    async isQueuePaused(queue) {
      return queues.get(queue)?.paused ?? false;
    },
    async upsertSchedule(queue, spec) {
      assertOpen();
      validateSchedule(spec);
      const q = queueOf(queue);
      const existing = q.schedules.get(spec.id);
      if (existing) clearTimeout(existing.timer);
      const schedule: MemSchedule = { spec: structuredClone(spec), next: nextTick(spec, now()) };
      q.schedules.set(spec.id, schedule);
      arm(queue, q, schedule);
    },
    async removeSchedule(queue, id) {
      const q = queues.get(queue);
      const schedule = q?.schedules.get(id);
      if (!q || !schedule) return false;
      clearTimeout(schedule.timer);
      q.schedules.delete(id);
      return true;
    },
    async listSchedules(queue) {
      const q = queues.get(queue);
      if (!q) return [];
      return [...q.schedules.values()].map(
        ({ spec, next }): ScheduleRecord => ({
          id: spec.id,
          name: spec.job.name,
          data: jsonCopy(spec.job.data),
          next,
          ...(spec.every === undefined ? {} : { every: spec.every }),
          ...(spec.cron === undefined ? {} : { cron: spec.cron }),
          ...(spec.tz === undefined ? {} : { tz: spec.tz }),
        }),
      );
    },
    async obliterate(queue) {
      const q = queues.get(queue);
      if (!q) return;
      for (const job of q.jobs.values()) clearTimeout(job.timer);
      for (const s of q.schedules.values()) clearTimeout(s.timer);
      queues.delete(queue);
    },
    async close(options = {}) {
      if (closed) return;
      closed = true;
      for (const q of queues.values()) for (const s of q.schedules.values()) clearTimeout(s.timer);
      await Promise.all([...handles].map((h) => h.close(options)));
      for (const q of queues.values()) for (const job of q.jobs.values()) clearTimeout(job.timer);
    },
  };
  return backend;
}
