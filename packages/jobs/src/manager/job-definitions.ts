import type { Static, TSchema } from '@sinclair/typebox';
import type { BackoffPolicy } from '../backend/job-backend.js';

/**
 * A priority class: one queue with its retry, retention and concurrency policy (seed 001's table).
 * Every job type belongs to one class.
 */
export interface PriorityClass {
  queue: string;
  /** Total runs allowed, the first included. */
  attempts: number;
  backoff?: BackoffPolicy;
  /** Completed jobs kept for inspection, newest first (`'all'` keeps every one). */
  keepCompleted: number | 'all';
  /** Failed jobs kept for inspection and retry (`'all'` keeps every one). */
  keepFailed: number | 'all';
  /** Jobs of this class one worker runs at once. */
  concurrency: number;
}

/** After `failureThreshold` consecutive failures a job type pauses for `cooldownMs`. */
export interface BreakerPolicy {
  failureThreshold: number;
  cooldownMs: number;
}

/** A job type: its class, its payload schema and its guarantees. */
export interface JobTypeDefinition<S extends TSchema = TSchema> {
  /** The name of its {@link PriorityClass}. */
  class: string;
  /** TypeBox schema of the payload, checked when the job is added and again when it runs. */
  schema: S;
  /** A run longer than this fails with `ERR_JOB_TIMEOUT` (and is retried per its class). */
  timeoutMs?: number;
  /** Circuit breaker for this type; `false` for none. */
  breaker?: BreakerPolicy | false;
}

/** A repeating job: a tick runs once across all replicas; the same id updates the schedule in place. */
export interface ScheduleDefinition {
  id: string;
  /** The job type each tick runs. */
  type: string;
  /** Every N milliseconds... */
  every?: number;
  /** ...or on a cron pattern (5 or 6 fields), in `tz`. */
  cron?: string;
  tz?: string;
  /** Payload of each tick's job; `{}` by default. */
  payload?: unknown;
}

/** A named set of classes, types and schedules a service can use unchanged. */
export interface JobPreset<
  Types extends Record<string, JobTypeDefinition> = Record<string, JobTypeDefinition>,
> {
  classes: Record<string, PriorityClass>;
  types: Types;
  schedules: readonly ScheduleDefinition[];
}

/** What a handler knows about the job it runs. The request context (`currentContext()`) is set too. */
export interface JobRunInfo {
  id: string;
  type: string;
  queue: string;
  /** 1 on the first run. */
  attempt: number;
  attempts: number;
  /** Aborted on timeout and on forced shutdown: stop work and return. */
  signal: AbortSignal;
  scheduleId?: string;
}

/** Runs one job of a type; the payload has been validated against the type's schema. */
export type JobHandler<S extends TSchema = TSchema> = (
  payload: Static<S>,
  job: JobRunInfo,
) => Promise<unknown>;

/** Declares a job type with its payload type inferred from the schema. */
export function defineJobType<S extends TSchema>(definition: JobTypeDefinition<S>): JobTypeDefinition<S> {
  return definition;
}
