import { CronExpressionParser } from 'cron-parser';
import { JobsError } from '../errors/jobs-error.js';
import type { BackendJobOptions, NewJob, ScheduleSpec, WorkOptions } from './job-backend.js';

/** BullMQ's own limit on priorities (2^21); the memory backend keeps the same range. */
export const MAX_PRIORITY = 2_097_152;
const MAX_ID_LENGTH = 256;

/**
 * Checks an idempotent job id. Both backends apply BullMQ's rules (no `:`, not an integer, since
 * integer ids are BullMQ's own auto ids) so an id that works in memory works on Redis too.
 */
export function validateJobId(id: string): void {
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH)
    throw new JobsError('ERR_JOB_ID_INVALID', `a job id must be 1 to ${MAX_ID_LENGTH} characters`);
  if (id.includes(':')) throw new JobsError('ERR_JOB_ID_INVALID', 'a job id must not contain ":"');
  if (/^-?\d+$/.test(id)) throw new JobsError('ERR_JOB_ID_INVALID', 'a job id must not be an integer');
}

function isCount(value: unknown): boolean {
  return value === 'all' || (Number.isInteger(value) && (value as number) >= 0);
}

/** Checks the options of one job; throws `ERR_JOB_OPTIONS_INVALID` or `ERR_JOB_ID_INVALID`. */
export function validateJobOptions(options: BackendJobOptions): void {
  const bad = (what: string) => new JobsError('ERR_JOB_OPTIONS_INVALID', what);
  if (options.id !== undefined) validateJobId(options.id);
  if (!Number.isInteger(options.attempts) || options.attempts < 1)
    throw bad('attempts must be an integer >= 1');
  if (options.backoff) {
    const { type, delay } = options.backoff;
    if (type !== 'fixed' && type !== 'exponential') throw bad('backoff type must be fixed or exponential');
    if (!Number.isFinite(delay) || delay < 0) throw bad('backoff delay must be >= 0');
  }
  if (!isCount(options.keepCompleted) || !isCount(options.keepFailed))
    throw bad('keepCompleted and keepFailed must be counts >= 0 or "all"');
  if (
    options.priority !== undefined &&
    (!Number.isInteger(options.priority) || options.priority < 0 || options.priority > MAX_PRIORITY)
  )
    throw bad(`priority must be an integer from 0 to ${MAX_PRIORITY}`);
  if (options.delay !== undefined && (!Number.isFinite(options.delay) || options.delay < 0))
    throw bad('delay must be >= 0');
}

/** Checks a job before it is added. */
export function validateNewJob(job: NewJob): void {
  if (typeof job.name !== 'string' || job.name.length === 0)
    throw new JobsError('ERR_JOB_OPTIONS_INVALID', 'a job needs a name');
  validateJobOptions(job.options);
}

/** Checks a schedule: exactly one of `every` (> 0 ms) and a `cron` pattern that parses. */
export function validateSchedule(spec: ScheduleSpec): void {
  const bad = (what: string) => new JobsError('ERR_JOB_SCHEDULE_INVALID', `schedule "${spec.id}": ${what}`);
  if (typeof spec.id !== 'string' || spec.id.length === 0 || spec.id.includes(':'))
    throw new JobsError(
      'ERR_JOB_SCHEDULE_INVALID',
      'a schedule id must be non-empty and must not contain ":"',
    );
  if ((spec.every === undefined) === (spec.cron === undefined))
    throw bad('give exactly one of every and cron');
  if (spec.every !== undefined && (!Number.isInteger(spec.every) || spec.every <= 0))
    throw bad('every must be a positive integer of milliseconds');
  if (spec.cron !== undefined) {
    try {
      CronExpressionParser.parse(spec.cron, spec.tz ? { tz: spec.tz } : {});
    } catch {
      throw bad('the cron pattern does not parse');
    }
  }
  if (spec.job.options.id !== undefined) throw bad('a scheduled job takes its id from the schedule');
  validateNewJob(spec.job);
}

/** Checks a worker's options: `concurrency` is an integer >= 1. */
export function validateWorkOptions(options: WorkOptions): void {
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1)
    throw new JobsError('ERR_JOB_OPTIONS_INVALID', 'concurrency must be an integer >= 1');
}
