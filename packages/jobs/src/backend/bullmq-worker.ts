import {
  type ConnectionOptions,
  DelayedError,
  type Job,
  UnrecoverableError,
  WaitingError,
  Worker,
} from 'bullmq';
import type { ActiveJob, JobProcessor, JobWorker, WorkOptions } from './job-backend.js';
import { handlerFailure } from './job-failure.js';
import { validateWorkOptions } from './validate-job-input.js';
import { idleOrTimeout, workerClosedError, workerHandle } from './worker-shutdown.js';

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

/** What every worker of one BullMQ backend shares. */
export interface BullmqWorkerOptions {
  connection: ConnectionOptions;
  prefix: string;
  lockDurationMs?: number | undefined;
  stalledIntervalMs?: number | undefined;
  maxStalledCount?: number | undefined;
  onError: (error: Error) => void;
  /** The backend's open worker handles, which its close closes. */
  handles: Set<JobWorker>;
}

/**
 * A BullMQ worker on `queue`: deferrals become delayed jobs, errors that must not be retried fail
 * the job at once, and close waits for running jobs only up to its timeout.
 */
export function createBullmqWorker(
  queue: string,
  processor: JobProcessor,
  opts: WorkOptions,
  options: BullmqWorkerOptions,
): JobWorker {
  validateWorkOptions(opts);
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
        const failed = handlerFailure(error);
        if (failed.deferUntil !== undefined) {
          await job.moveToDelayed(failed.deferUntil, token);
          throw new DelayedError();
        }
        if (!failed.retryable) throw new UnrecoverableError(failed.reason);
        const failure = new Error(failed.reason);
        if (error instanceof Error && error.stack) failure.stack = error.stack;
        throw failure;
      } finally {
        running.delete(entry);
        if (running.size === 0) idle?.();
      }
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: opts.concurrency,
      ...(options.lockDurationMs === undefined ? {} : { lockDuration: options.lockDurationMs }),
      ...(options.stalledIntervalMs === undefined ? {} : { stalledInterval: options.stalledIntervalMs }),
      ...(options.maxStalledCount === undefined ? {} : { maxStalledCount: options.maxStalledCount }),
    },
  );
  worker.on('error', options.onError);

  const close = async (timeoutMs: number): Promise<{ unfinished: number }> => {
    closing = true;
    // Stop fetching without waiting (BullMQ's own close would wait for running jobs without a limit).
    await worker.pause(true);
    if (running.size > 0) {
      await idleOrTimeout(
        new Promise<void>((resolve) => {
          idle = resolve;
        }),
        timeoutMs,
      );
    }
    const unfinished = [...running];
    for (const entry of unfinished) entry.abandoned = true;
    // Force: do not wait for the abandoned jobs; their locks lapse and another worker's stalled check
    // moves them back to waiting.
    await worker.close(unfinished.length > 0);
    for (const entry of unfinished) {
      entry.abort(workerClosedError());
    }
    return { unfinished: unfinished.length };
  };
  return workerHandle(options.handles, close, () => running.size);
}
