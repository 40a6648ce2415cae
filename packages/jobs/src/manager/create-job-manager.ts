import { runWithContext } from '@interlink/core';
import type { Static, TSchema } from '@sinclair/typebox';
import { type TypeCheck, TypeCompiler } from '@sinclair/typebox/compiler';
import type Prom from 'prom-client';
import {
  type ActiveJob,
  type BackendJobOptions,
  type JobBackend,
  JobDeferral,
  type JobRecord,
  type JobState,
  type JobWorker,
  type ScheduleRecord,
} from '../backend/job-backend.js';
import { validateJobId, validateJobOptions } from '../backend/validate-job-input.js';
import { JobsError } from '../errors/jobs-error.js';
import { createJobMetrics, type JobMetrics, type JobTypeMetrics } from '../metrics/job-metrics.js';
import { type BreakerState, createCircuitBreaker, type JobCircuitBreaker } from './circuit-breaker.js';
import type {
  JobHandler,
  JobRunInfo,
  JobTypeDefinition,
  PriorityClass,
  ScheduleDefinition,
} from './job-definitions.js';
import { jobContext, unwrapPayload, wrapPayload } from './job-envelope.js';

/** The smallest logger the manager needs; a pino logger fits. */
export interface JobsLogger {
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Options of {@link createJobManager}. */
export interface JobManagerOptions<Types extends Record<string, JobTypeDefinition>> {
  backend: JobBackend;
  classes: Record<string, PriorityClass>;
  types: Types;
  /** Applied by {@link JobManager.applySchedules} when it is called without arguments. */
  schedules?: readonly ScheduleDefinition[];
  /** prom-client registry for the jobs series (never the global one). */
  registry?: Prom.Registry;
  /** Prefix of the metric names; `jobs_` by default. */
  metricsPrefix?: string;
  logger?: JobsLogger;
  /** How long {@link JobManager.close} waits for running jobs; seed 002's 30 s by default. */
  shutdownTimeoutMs?: number;
  /** Timeout of a job type that sets none; 5 minutes by default. */
  defaultTimeoutMs?: number;
  /** Close the backend in {@link JobManager.close}; true by default (set false when it is shared). */
  closeBackend?: boolean;
  /** Clock of breakers and durations (tests); epoch ms, since a breaker defers jobs until its time. */
  now?: () => number;
}

/** Per-job options of {@link JobManager.add}. */
export interface AddJobOptions {
  /** Idempotency key: the same id adds the job once (while the job is retained). */
  id?: string;
  /** 1 is the highest; runs before lower priorities of the same class. */
  priority?: number;
  /** Milliseconds before the job may run. */
  delay?: number;
}

/** A failed or problematic payload's field and what is wrong with it. */
export interface PayloadIssue {
  path: string;
  message: string;
}

/** A snapshot of the manager's queues, breakers and schedules. */
export interface JobsStatus {
  classes: Record<string, { queue: string; paused: boolean; counts: Record<JobState, number> }>;
  breakers: Record<string, BreakerState>;
  schedules: Record<string, ScheduleRecord[]>;
}

/** Seed-compatible priority classes, typed job types, schedules and graceful shutdown, on one backend. */
export interface JobManager<Types extends Record<string, JobTypeDefinition>> {
  readonly backend: JobBackend;
  /** Validates the payload against the type's schema and queues it on the type's class. */
  add<K extends keyof Types & string>(
    type: K,
    payload: Static<Types[K]['schema']>,
    options?: AddJobOptions,
  ): Promise<string>;
  /** Adds many jobs of one type in one round trip; all payloads are validated first. */
  addBulk<K extends keyof Types & string>(
    type: K,
    jobs: readonly { payload: Static<Types[K]['schema']>; options?: AddJobOptions }[],
  ): Promise<string[]>;
  /** Registers the handler of a type (before {@link start}). */
  handle<K extends keyof Types & string>(type: K, handler: JobHandler<Types[K]['schema']>): this;
  /** Starts one worker per class that has a handler (or per class named); a started class is skipped. */
  start(classes?: readonly string[]): void;
  /** Creates or updates in place each schedule, and with `prune` removes the class queues' others. */
  applySchedules(schedules?: readonly ScheduleDefinition[], options?: { prune?: boolean }): Promise<void>;
  listSchedules(className: string): Promise<ScheduleRecord[]>;
  getJob(className: string, id: string): Promise<JobRecord | undefined>;
  listJobs(className: string, state: JobState, start?: number, end?: number): Promise<JobRecord[]>;
  countJobs(className: string): Promise<Record<JobState, number>>;
  /** Runs a failed job again with fresh attempts. */
  retry(className: string, id: string): Promise<void>;
  pause(className: string): Promise<void>;
  resume(className: string): Promise<void>;
  breakerState(type: keyof Types & string): BreakerState;
  /**
   * Everything an operator asks first (seed 002's status API): per class its queue, counts per state
   * and whether it is paused; per type its breaker; every schedule.
   */
  status(): Promise<JobsStatus>;
  /** Graceful shutdown: stop taking jobs, wait for running ones up to the timeout, close the backend. */
  close(options?: { timeoutMs?: number }): Promise<void>;
}

interface CompiledType {
  name: string;
  definition: JobTypeDefinition;
  cls: PriorityClass;
  className: string;
  check: TypeCheck<TSchema>;
  breaker?: JobCircuitBreaker;
  handler?: JobHandler;
  /** This type's metric series, when the manager has a registry. */
  metrics?: JobTypeMetrics;
}

function issuesOf(check: TypeCheck<TSchema>, value: unknown): PayloadIssue[] {
  const issues: PayloadIssue[] = [];
  for (const error of check.Errors(value)) {
    issues.push({ path: error.path || '/', message: error.message });
    if (issues.length >= 10) break;
  }
  return issues;
}

function payloadError(type: string, issues: PayloadIssue[], when: 'add' | 'run'): JobsError {
  const first = issues[0];
  return new JobsError(
    'ERR_JOB_PAYLOAD_INVALID',
    `payload of "${type}" is invalid${when === 'run' ? ' when run' : ''}: ${first ? `${first.path} ${first.message}` : 'does not match its schema'}`,
    { extensions: { type, errors: issues } },
  );
}

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

/**
 * The job manager: a service's job types on their priority classes, over a {@link JobBackend}. Adds
 * validate payloads and carry the caller's trace and tenant; workers validate again, run handlers in
 * the job's request context with a timeout and a circuit breaker per type, and report metrics.
 */
export function createJobManager<Types extends Record<string, JobTypeDefinition>>(
  options: JobManagerOptions<Types>,
): JobManager<Types> {
  const { backend } = options;
  const now = options.now ?? Date.now;
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 30_000;
  const defaultTimeoutMs = options.defaultTimeoutMs ?? 300_000;
  const types = new Map<string, CompiledType>();
  const byQueue = new Map<string, Map<string, CompiledType>>();
  const workers: JobWorker[] = [];
  const workerOf = new Map<string, JobWorker>();
  const startedQueues = new Set<string>();
  let closing: Promise<void> | undefined;

  // A bad class is a configuration error: refuse it at start-up, not on the first add.
  for (const [className, cls] of Object.entries(options.classes)) {
    if (!Number.isInteger(cls.concurrency) || cls.concurrency < 1)
      throw new JobsError('ERR_JOB_OPTIONS_INVALID', `class "${className}": concurrency must be >= 1`);
    try {
      validateJobOptions(jobOptions(cls));
    } catch (error) {
      throw new JobsError('ERR_JOB_OPTIONS_INVALID', `class "${className}": ${(error as Error).message}`);
    }
  }
  for (const [name, definition] of Object.entries(options.types)) {
    const cls = options.classes[definition.class];
    if (!cls)
      throw new JobsError(
        'ERR_JOB_TYPE_UNKNOWN',
        `job type "${name}" names unknown class "${definition.class}"`,
      );
    const compiled: CompiledType = {
      name,
      definition,
      cls,
      className: definition.class,
      check: TypeCompiler.Compile(definition.schema),
      ...(definition.breaker ? { breaker: createCircuitBreaker(definition.breaker, now) } : {}),
    };
    types.set(name, compiled);
    const queueTypes = byQueue.get(cls.queue) ?? new Map<string, CompiledType>();
    byQueue.set(cls.queue, queueTypes);
    queueTypes.set(name, compiled);
  }

  const metrics: JobMetrics | undefined = options.registry
    ? createJobMetrics({
        registry: options.registry,
        queues: () => [...byQueue.keys()],
        countJobs: async (queue) => backend.countJobs(queue),
        active: () => [...byQueue.keys()].map((queue) => [queue, workerOf.get(queue)?.running ?? 0] as const),
        breakers: () =>
          [...types.values()].filter((t) => t.breaker).map((t) => [t.name, t.breaker!.state] as const),
        ...(options.metricsPrefix ? { prefix: options.metricsPrefix } : {}),
      })
    : undefined;
  if (metrics) for (const type of types.values()) type.metrics = metrics.forType(type.cls.queue, type.name);

  function typeOf(name: string): CompiledType {
    const type = types.get(name);
    if (!type) throw new JobsError('ERR_JOB_TYPE_UNKNOWN', `unknown job type "${name}"`);
    return type;
  }

  function classOf(name: string): PriorityClass {
    const cls = options.classes[name];
    if (!cls) throw new JobsError('ERR_JOB_TYPE_UNKNOWN', `unknown priority class "${name}"`);
    return cls;
  }

  function assertOpen(): void {
    if (closing) throw new JobsError('ERR_JOB_MANAGER_CLOSED', 'the job manager is closed');
  }

  function jobOptions(cls: PriorityClass, add: AddJobOptions = {}): BackendJobOptions {
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

  function checked(type: CompiledType, payload: unknown): void {
    if (!type.check.Check(payload)) throw payloadError(type.name, issuesOf(type.check, payload), 'add');
  }

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

  const manager: JobManager<Types> = {
    backend,
    async add(typeName, payload, addOptions) {
      assertOpen();
      const type = typeOf(typeName);
      checked(type, payload);
      return backend.add(type.cls.queue, {
        name: type.name,
        data: wrapPayload(payload),
        options: jobOptions(type.cls, addOptions),
      });
    },
    async addBulk(typeName, jobs) {
      assertOpen();
      const type = typeOf(typeName);
      for (const job of jobs) checked(type, job.payload);
      return backend.addBulk(
        type.cls.queue,
        jobs.map((job) => ({
          name: type.name,
          data: wrapPayload(job.payload),
          options: jobOptions(type.cls, job.options),
        })),
      );
    },
    handle(typeName, handler) {
      typeOf(typeName).handler = handler as JobHandler;
      return manager;
    },
    start(classNames) {
      assertOpen();
      const wanted = classNames ?? [
        ...new Set([...types.values()].filter((t) => t.handler).map((t) => t.className)),
      ];
      const queues = new Map<string, PriorityClass>();
      for (const name of wanted) {
        const cls = classOf(name);
        queues.set(cls.queue, cls);
      }
      for (const [queue, cls] of queues) {
        // Starting twice must not double a class's concurrency.
        if (startedQueues.has(queue)) continue;
        startedQueues.add(queue);
        const queueTypes = byQueue.get(queue) ?? new Map<string, CompiledType>();
        const worker = backend.work(queue, (job) => attempt(queueTypes, job), {
          concurrency: cls.concurrency,
        });
        workers.push(worker);
        workerOf.set(queue, worker);
      }
    },
    async applySchedules(schedules = options.schedules ?? [], applyOptions = {}) {
      assertOpen();
      const wanted = new Map<string, Set<string>>();
      for (const schedule of schedules) {
        const type = typeOf(schedule.type);
        const payload = schedule.payload ?? {};
        checked(type, payload);
        await backend.upsertSchedule(type.cls.queue, {
          id: schedule.id,
          ...(schedule.every === undefined ? {} : { every: schedule.every }),
          ...(schedule.cron === undefined ? {} : { cron: schedule.cron }),
          ...(schedule.tz === undefined ? {} : { tz: schedule.tz }),
          job: { name: type.name, data: { payload, meta: {} }, options: jobOptions(type.cls) },
        });
        const ids = wanted.get(type.cls.queue) ?? new Set<string>();
        wanted.set(type.cls.queue, ids);
        ids.add(schedule.id);
      }
      if (!applyOptions.prune) return;
      for (const queue of new Set(Object.values(options.classes).map((c) => c.queue))) {
        for (const existing of await backend.listSchedules(queue)) {
          if (!wanted.get(queue)?.has(existing.id)) await backend.removeSchedule(queue, existing.id);
        }
      }
    },
    listSchedules: async (className) => backend.listSchedules(classOf(className).queue),
    getJob: async (className, id) => backend.getJob(classOf(className).queue, id),
    listJobs: async (className, state, start, end) =>
      backend.listJobs(classOf(className).queue, state, start, end),
    countJobs: async (className) => backend.countJobs(classOf(className).queue),
    retry: async (className, id) => backend.retryJob(classOf(className).queue, id),
    pause: async (className) => backend.pauseQueue(classOf(className).queue),
    resume: async (className) => backend.resumeQueue(classOf(className).queue),
    breakerState: (typeName) => typeOf(typeName).breaker?.state ?? 'closed',
    async status() {
      const entries = await Promise.all(
        Object.entries(options.classes).map(async ([name, cls]) => {
          const [counts, paused, schedules] = await Promise.all([
            backend.countJobs(cls.queue),
            backend.isQueuePaused(cls.queue),
            backend.listSchedules(cls.queue),
          ]);
          return { name, cls, counts, paused, schedules };
        }),
      );
      return {
        classes: Object.fromEntries(
          entries.map((e) => [e.name, { queue: e.cls.queue, paused: e.paused, counts: e.counts }]),
        ),
        breakers: Object.fromEntries(
          [...types.values()].filter((t) => t.breaker).map((t) => [t.name, t.breaker!.state]),
        ),
        schedules: Object.fromEntries(entries.map((e) => [e.name, e.schedules])),
      };
    },
    close(closeOptions = {}) {
      closing ??= (async () => {
        const timeoutMs = closeOptions.timeoutMs ?? shutdownTimeoutMs;
        const results = await Promise.all(workers.map((w) => w.close({ timeoutMs })));
        const unfinished = results.reduce((sum, r) => sum + r.unfinished, 0);
        if (unfinished > 0)
          options.logger?.warn(
            { unfinished, timeoutMs },
            'jobs still running at the shutdown timeout were left for another worker to recover',
          );
        if (options.closeBackend !== false) await backend.close({ timeoutMs });
      })();
      return closing;
    },
  };
  return manager;
}
