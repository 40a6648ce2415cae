import type { ActiveJob, JobProcessor, JobWorker, WorkOptions } from './job-backend.js';
import { handlerFailure } from './job-failure.js';
import {
  jsonCopy,
  type MemJob,
  type MemoryQueueStore,
  type MemQueue,
  type MemWorker,
  type Running,
} from './memory-queue-store.js';
import { retryDelay } from './retry-delay.js';
import { validateWorkOptions } from './validate-job-input.js';
import { idleOrTimeout, workerClosedError, workerHandle } from './worker-shutdown.js';

export interface MemoryWorkersOptions {
  store: MemoryQueueStore;
  now: () => number;
  isClosed: () => boolean;
  /** Throws when the backend is closed. */
  assertOpen: () => void;
  /** The backend's open worker handles, which its close closes. */
  handles: Set<JobWorker>;
}

export interface MemoryWorkers {
  /** Starts waiting jobs of `queue` on its workers, up to each one's concurrency. */
  pump(queue: string): void;
  work(queue: string, processor: JobProcessor, opts: WorkOptions): JobWorker;
}

/** The memory backend's workers: they run jobs, retry them with backoff and finish them. */
export function createMemoryWorkers(options: MemoryWorkersOptions): MemoryWorkers {
  const { store, now, isClosed, handles } = options;

  function pump(queue: string): void {
    const q = store.queues.get(queue);
    if (!q || q.paused || isClosed()) return;
    for (const worker of q.workers) {
      while (!worker.closing && worker.running.size < worker.concurrency) {
        const job = store.takeNext(q);
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
          store.finish(q, job, 'completed');
        },
        (error: unknown) => {
          if (entry.abandoned) return;
          const failed = handlerFailure(error);
          if (failed.deferUntil !== undefined) {
            store.delayUntil(queue, q, job, failed.deferUntil);
            return;
          }
          job.attemptsMade++;
          job.failedReason = failed.reason;
          if (!failed.retryable || job.attemptsMade >= job.options.attempts) {
            store.finish(q, job, 'failed');
            return;
          }
          const delay = retryDelay(job.options.backoff, job.attemptsMade);
          job.delay = delay;
          if (delay > 0) store.delayUntil(queue, q, job, now() + delay);
          else store.enqueue(queue, q, job);
        },
      )
      .finally(() => {
        if (entry.abandoned) return;
        worker.running.delete(entry);
        if (worker.running.size === 0) for (const resolve of worker.idle) resolve();
        pump(queue);
      });
  }

  function work(queue: string, processor: JobProcessor, opts: WorkOptions): JobWorker {
    options.assertOpen();
    validateWorkOptions(opts);
    const q = store.queueOf(queue);
    const worker: MemWorker = {
      processor,
      concurrency: opts.concurrency,
      running: new Set(),
      closing: false,
      idle: new Set(),
    };
    q.workers.push(worker);
    queueMicrotask(() => pump(queue));
    const close = async (timeoutMs: number): Promise<{ unfinished: number }> => {
      worker.closing = true;
      if (worker.running.size > 0) {
        let resolveIdle!: () => void;
        const idle = new Promise<void>((resolve) => {
          resolveIdle = resolve;
        });
        worker.idle.add(resolveIdle);
        await idleOrTimeout(idle, timeoutMs);
        worker.idle.delete(resolveIdle);
      }
      const unfinished = [...worker.running];
      // What a lost lock does on Redis: the job goes back to waiting for another worker. Here the store
      // is in-process, so it happens at once instead of after the stalled-job check.
      for (const entry of unfinished) {
        entry.abandoned = true;
        entry.abort.abort(workerClosedError());
        worker.running.delete(entry);
        if (q.jobs.get(entry.job.id) === entry.job && entry.job.state === 'active')
          store.enqueue(queue, q, entry.job);
      }
      q.workers = q.workers.filter((w) => w !== worker);
      return { unfinished: unfinished.length };
    };
    return workerHandle(handles, close, () => worker.running.size);
  }

  return { pump, work };
}
