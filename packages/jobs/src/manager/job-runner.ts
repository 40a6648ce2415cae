import { runWithContext } from '@interlink/core';
import { type ActiveJob, JobDeferral } from '../backend/job-backend.js';
import { JobsError } from '../errors/jobs-error.js';
import type { CompiledType } from './compile-job-types.js';
import type { JobRunInfo } from './job-definitions.js';
import { jobContext, unwrapPayload } from './job-envelope.js';
import type { JobsLogger } from './jobs-logger.js';
import { issuesOf, payloadError } from './payload-error.js';

/** What a handler learns about its run; `signal` read through from the job (on the prototype: no closure per job). */
class RunInfo implements JobRunInfo {
  readonly id: string;
  readonly queue: string;
  readonly attempt: number;
  readonly attempts: number;
  readonly scheduleId: string | undefined;
  readonly #job: ActiveJob;

  constructor(
    readonly type: string,
    job: ActiveJob,
  ) {
    this.id = job.id;
    this.queue = job.queue;
    this.attempt = job.attemptsMade + 1;
    this.attempts = job.attempts;
    this.scheduleId = job.scheduleId;
    this.#job = job;
  }

  get signal(): AbortSignal {
    return this.#job.signal;
  }
}

export interface JobRunnerOptions {
  /** Clock of durations, epoch ms. */
  now: () => number;
  /** Timeout of a job type that sets none. */
  defaultTimeoutMs: number;
  logger?: JobsLogger | undefined;
}

/**
 * The processor a class worker runs, for the types of its queue: it never throws, a refused
 * attempt is a rejected promise.
 */
export type JobAttempt = (queueTypes: Map<string, CompiledType>, job: ActiveJob) => Promise<unknown>;

/**
 * Runs jobs for their types: checks the payload again, asks the type's breaker, then runs the
 * handler in the job's request context with a timeout, and reports the outcome to the breaker,
 * the metrics and the logger.
 */
export function createJobRunner(options: JobRunnerOptions): JobAttempt {
  const { now, defaultTimeoutMs } = options;

  function logFailure(job: ActiveJob, error: unknown): void {
    if (error instanceof JobDeferral) return;
    options.logger?.warn(
      {
        queue: job.queue,
        type: job.name,
        jobId: job.id,
        attempt: job.attemptsMade + 1,
        attempts: job.attempts,
        code: (error as { code?: unknown } | null)?.code,
        reason: error instanceof Error ? error.message : String(error),
      },
      'job attempt failed',
    );
  }

  /**
   * Runs one attempt: checks, then the handler in the job's request context with a timeout. A
   * handler that ignores its signal cannot hold the worker past its timeout (its promise is left to
   * settle alone). One promise per attempt besides the handler's, and no signal listeners: with
   * AsyncLocalStorage's promise hooks on (Node 20) every promise costs a job, and listeners on an
   * AbortSignal cost ~10 µs.
   */
  function runJob(queueTypes: Map<string, CompiledType>, job: ActiveJob): Promise<unknown> {
    const type = queueTypes.get(job.name);
    if (!type)
      throw new JobsError('ERR_JOB_TYPE_UNKNOWN', `no job type "${job.name}" on queue "${job.queue}"`);
    const { payload, meta } = unwrapPayload(job.data);
    // Checked again at run time: the producer may run an older schema, or not be this package at all.
    if (!type.check.Check(payload)) throw payloadError(type.name, issuesOf(type.check, payload), 'run');
    const handler = type.handler;
    if (!handler)
      throw new JobsError(
        'ERR_JOB_HANDLER_MISSING',
        `no handler for job type "${type.name}" in this process`,
      );
    const decision = type.breaker?.decide();
    if (decision && !decision.run) {
      type.metrics?.finished('deferred', 0);
      throw new JobDeferral(decision.until);
    }
    const timeoutMs = type.definition.timeoutMs ?? defaultTimeoutMs;
    const info = new RunInfo(type.name, job);
    const context = jobContext(meta, `job-${job.queue}-${job.id}`);
    const started = now();
    return new Promise<unknown>((resolve, reject) => {
      let settled = false;
      const succeed = (value: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        type.breaker?.success();
        type.metrics?.finished('completed', (now() - started) / 1000);
        resolve(value);
      };
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        type.breaker?.failure();
        type.metrics?.finished('failed', (now() - started) / 1000);
        logFailure(job, error);
        reject(error);
      };
      const timer = setTimeout(() => {
        const error = new JobsError(
          'ERR_JOB_TIMEOUT',
          `job "${job.id}" of type "${type.name}" ran over ${timeoutMs} ms`,
        );
        job.abort(error);
        fail(error);
      }, timeoutMs);
      try {
        Promise.resolve(runWithContext(context, () => handler(payload, info))).then(succeed, fail);
      } catch (error) {
        fail(error);
      }
    });
  }

  /** The processor a worker runs: never throws, a refused attempt is a rejected promise. */
  function attempt(queueTypes: Map<string, CompiledType>, job: ActiveJob): Promise<unknown> {
    try {
      return runJob(queueTypes, job);
    } catch (error) {
      logFailure(job, error);
      return Promise.reject(error);
    }
  }

  return attempt;
}
