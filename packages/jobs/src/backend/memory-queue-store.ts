import { JobsError } from '../errors/jobs-error.js';
import type { BackendJobOptions, JobProcessor, JobRecord, NewJob, ScheduleSpec } from './job-backend.js';
import { failureCode } from './job-failure.js';
import { validateNewJob } from './validate-job-input.js';

/**
 * A job as the memory backend keeps it: the fields of its {@link JobRecord} that change as it runs,
 * the options it was added with (its queue, attempts and priority come from those), and its place
 * in the queue.
 */
export interface MemJob
  extends Pick<
    JobRecord,
    | 'id'
    | 'name'
    | 'data'
    | 'state'
    | 'attemptsMade'
    | 'delay'
    | 'createdAt'
    | 'processedAt'
    | 'finishedAt'
    | 'failedReason'
    | 'returnValue'
    | 'scheduleId'
  > {
  options: BackendJobOptions;
  /** Order of adding, FIFO among jobs of one priority. */
  seq: number;
  timer?: NodeJS.Timeout;
}

/** A job a worker runs now. */
export interface Running {
  job: MemJob;
  abort: AbortController;
  abandoned: boolean;
}

/** A worker on one queue: what it runs and how many at once. */
export interface MemWorker {
  processor: JobProcessor;
  concurrency: number;
  running: Set<Running>;
  closing: boolean;
  idle: Set<() => void>;
}

/** A schedule and its next tick's timer. */
export interface MemSchedule {
  spec: ScheduleSpec;
  next: number;
  timer?: NodeJS.Timeout;
}

/** One queue: its jobs, the order they wait in, its workers and its schedules. */
export interface MemQueue {
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

// Jobs cross a JSON boundary on Redis; doing the same here keeps handlers from depending on object
// identity or on types (Date, Map) that would not survive the real backend.
export function jsonCopy(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

/** The data as Redis would store it; data JSON cannot hold (BigInt, cycles) is refused with a code. */
export function storable(data: unknown): unknown {
  try {
    return jsonCopy(data);
  } catch {
    throw new JobsError('ERR_JOB_PAYLOAD_INVALID', 'job data is not JSON-serialisable');
  }
}

/** The record of a job, copied so the caller cannot change the stored job. */
export function memoryJobRecord(queue: string, job: MemJob): JobRecord {
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

/** The queues of one memory backend and the moves of a job between its states. */
export interface MemoryQueueStore {
  readonly queues: Map<string, MemQueue>;
  /** The queue, created empty on first use. */
  queueOf(name: string): MemQueue;
  /** Puts a job in line to run (by priority, else FIFO) and wakes the queue's workers. */
  enqueue(queue: string, q: MemQueue, job: MemJob): void;
  /** Holds a job until `at` (epoch ms), then puts it in line. */
  delayUntil(queue: string, q: MemQueue, job: MemJob, at: number): void;
  /** Marks a job finished and applies its retention. */
  finish(q: MemQueue, job: MemJob, state: 'completed' | 'failed'): void;
  /** The next job to run: unprioritized first, FIFO, then by priority. */
  takeNext(q: MemQueue): MemJob | undefined;
  /** Adds a job, or does nothing when its id is already in the queue; returns the id. */
  addOne(queue: string, job: NewJob): string;
  /** Throws `ERR_JOB_NOT_FOUND`. */
  requireJob(queue: string, id: string): MemJob;
}

export interface MemoryQueueStoreOptions {
  now: () => number;
  /** Told (in a microtask) that a job of `queue` is waiting. */
  wake: (queue: string) => void;
}

/** The in-process queue store: jobs, their order, their delays and retention. */
export function createMemoryQueueStore(options: MemoryQueueStoreOptions): MemoryQueueStore {
  const { now, wake } = options;
  const queues = new Map<string, MemQueue>();
  let seq = 0;

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
    queueMicrotask(() => wake(queue));
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

  function requireJob(queue: string, id: string): MemJob {
    const job = queues.get(queue)?.jobs.get(id);
    if (!job) throw new JobsError('ERR_JOB_NOT_FOUND', `no job "${id}" in queue "${queue}"`);
    return job;
  }

  return { queues, queueOf, enqueue, delayUntil, finish, takeNext, addOne, requireJob };
}
