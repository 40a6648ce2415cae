import type { Static } from '@sinclair/typebox';
import type Prom from 'prom-client';
import type { JobBackend, JobRecord, JobState, ScheduleRecord } from '../backend/job-backend.js';
import { JobsError } from '../errors/jobs-error.js';
import { applySchedules } from './apply-schedules.js';
import { attachJobMetrics } from './attach-job-metrics.js';
import type { BreakerState } from './circuit-breaker.js';
import { createClassWorkers } from './class-workers.js';
import { type CompiledType, compileJobTypes } from './compile-job-types.js';
import type { JobHandler, JobTypeDefinition, PriorityClass, ScheduleDefinition } from './job-definitions.js';
import { wrapPayload } from './job-envelope.js';
import { type AddJobOptions, jobOptions } from './job-options.js';
import { createJobRunner } from './job-runner.js';
import type { JobsLogger } from './jobs-logger.js';
import { issuesOf, payloadError } from './payload-error.js';

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
  const compiled = compileJobTypes(options.classes, options.types, now);
  const { types } = compiled;
  const attempt = createJobRunner({
    now,
    defaultTimeoutMs: options.defaultTimeoutMs ?? 300_000,
    logger: options.logger,
  });
  const workers = createClassWorkers({ backend, byQueue: compiled.byQueue, attempt });
  let closing: Promise<void> | undefined;

  if (options.registry) {
    attachJobMetrics({
      registry: options.registry,
      prefix: options.metricsPrefix,
      backend,
      compiled,
      running: workers.running,
    });
  }

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

  function checked(type: CompiledType, payload: unknown): void {
    if (!type.check.Check(payload)) throw payloadError(type.name, issuesOf(type.check, payload), 'add');
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
      workers.start(queues);
    },
    async applySchedules(schedules = options.schedules ?? [], applyOptions = {}) {
      assertOpen();
      await applySchedules(schedules, {
        backend,
        classes: options.classes,
        typeOf,
        checkPayload: checked,
        prune: applyOptions.prune,
      });
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
        const unfinished = await workers.close(timeoutMs);
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
