import { Type } from '@sinclair/typebox';
import {
  defineJobType,
  type JobPreset,
  type PriorityClass,
  type ScheduleDefinition,
} from '../manager/job-definitions.js';
import { scheduledJobsClass } from './scheduled-jobs-class.js';

/** Seed 000's event stream queues (`event-stream.service.ts`), one queue per event type. */
export const ANALYTICS_EVENT_QUEUES = [
  'ticket-purchase',
  'ticket-scan',
  'page-view',
  'cart-update',
  'venue-update',
] as const;

/** The queue of seed 000's scheduled workers (the seed ran them on timers, not on a queue). */
export const ANALYTICS_WORKERS_QUEUE = 'analytics-workers';

/**
 * Seed 000 adds events with `removeOnComplete: true, removeOnFail: false` and Bull's default of one
 * attempt; kept here, except that a failed event now gets 3 attempts: an analytics event lost to a
 * transient error was a silent gap in the seed's metrics.
 */
const eventClass = (queue: string): PriorityClass => ({
  queue,
  attempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
  keepCompleted: 0,
  keepFailed: 'all',
  concurrency: 5,
});

/** A stream event as seed 000 pushes it: an object with its `type`, otherwise free-form. */
export const AnalyticsEventPayload = Type.Intersect([
  Type.Object({ type: Type.Optional(Type.String({ maxLength: 200 })) }),
  Type.Record(Type.String(), Type.Unknown()),
]);

/** Payload of a scheduled analytics run: optionally one tenant. */
export const AnalyticsRunPayload = Type.Object(
  { tenantId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) },
  { additionalProperties: false },
);

const breaker = { failureThreshold: 5, cooldownMs: 60_000 };

export const analyticsClasses = {
  'ticket-purchase': eventClass('ticket-purchase'),
  'ticket-scan': eventClass('ticket-scan'),
  'page-view': eventClass('page-view'),
  'cart-update': eventClass('cart-update'),
  'venue-update': eventClass('venue-update'),
  workers: scheduledJobsClass(ANALYTICS_WORKERS_QUEUE),
} satisfies Record<string, PriorityClass>;

const eventType = (cls: (typeof ANALYTICS_EVENT_QUEUES)[number]) =>
  defineJobType({ class: cls, schema: AnalyticsEventPayload, timeoutMs: 30_000, breaker });

/** Seed 000's job types: one per event queue (named as the queue) and its two scheduled workers. */
export const analyticsJobTypes = {
  'ticket-purchase': eventType('ticket-purchase'),
  'ticket-scan': eventType('ticket-scan'),
  'page-view': eventType('page-view'),
  'cart-update': eventType('cart-update'),
  'venue-update': eventType('venue-update'),
  pricing: defineJobType({ class: 'workers', schema: AnalyticsRunPayload, timeoutMs: 600_000, breaker }),
  'rfm-calculation': defineJobType({
    class: 'workers',
    schema: AnalyticsRunPayload,
    timeoutMs: 3_600_000,
    breaker,
  }),
};

/**
 * Seed 000's workers: PricingWorker every 15 minutes (as the seed says) and RfmCalculatorWorker
 * "scheduled" (the seed gives no interval: daily at 02:00 UTC here, overridable by id).
 */
export const analyticsSchedules: readonly ScheduleDefinition[] = [
  { id: 'analytics-pricing', type: 'pricing', every: 15 * 60_000 },
  { id: 'analytics-rfm', type: 'rfm-calculation', cron: '0 2 * * *', tz: 'UTC' },
];

/** Seed 000 (analytics-service): event queues and scheduled workers. */
export const analyticsPreset: JobPreset<typeof analyticsJobTypes> = {
  classes: analyticsClasses,
  types: analyticsJobTypes,
  schedules: analyticsSchedules,
};
