import { Type } from '@sinclair/typebox';
import {
  defineJobType,
  type JobPreset,
  type PriorityClass,
  type ScheduleDefinition,
} from '../manager/job-definitions.js';
import { scheduledJobsClass } from './scheduled-jobs-class.js';

/** The queue of seed 002's scheduled jobs (the seed ran them in a home-made job manager). */
export const ORDER_JOBS_QUEUE = 'order-jobs';

export const orderClasses = {
  // One at a time, as the seed's job manager ran them: they touch the same orders.
  orders: scheduledJobsClass(ORDER_JOBS_QUEUE),
} satisfies Record<string, PriorityClass>;

/** Payload of a scheduled order job: optionally one tenant, and a batch size. */
export const OrderJobPayload = Type.Object(
  {
    tenantId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    batchSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  },
  { additionalProperties: false },
);

// Seed 002's job manager has a breaker per job; its thresholds are not in the seed.
const breaker = { failureThreshold: 3, cooldownMs: 5 * 60_000 };
const orderJob = (timeoutMs: number) =>
  defineJobType({ class: 'orders', schema: OrderJobPayload, timeoutMs, breaker });

/** Seed 002's five registered jobs (`ExpirationJob`, `ReminderJob`, ...), named in kebab case. */
export const orderJobTypes = {
  'order-expiration': orderJob(120_000),
  'order-reminders': orderJob(300_000),
  'order-reconciliation': orderJob(600_000),
  'order-archiving': orderJob(1_800_000),
  'event-reminders': orderJob(300_000),
};

/**
 * Their schedules. Seed 002 names the jobs but not their intervals; these are this package's
 * defaults, and a service changes one by applying a schedule with the same id.
 */
export const orderSchedules: readonly ScheduleDefinition[] = [
  { id: 'order-expiration', type: 'order-expiration', every: 60_000 },
  { id: 'order-reminders', type: 'order-reminders', every: 15 * 60_000 },
  { id: 'order-reconciliation', type: 'order-reconciliation', every: 5 * 60_000 },
  { id: 'order-archiving', type: 'order-archiving', cron: '0 3 * * *', tz: 'UTC' },
  { id: 'event-reminders', type: 'event-reminders', every: 60 * 60_000 },
];

/** Seed 002 (order-service): its scheduled jobs with a 30 s graceful shutdown (the manager's default). */
export const orderPreset: JobPreset<typeof orderJobTypes> = {
  classes: orderClasses,
  types: orderJobTypes,
  schedules: orderSchedules,
};
