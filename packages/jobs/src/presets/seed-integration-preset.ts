import { Type } from '@sinclair/typebox';
import { defineJobType, type JobPreset, type PriorityClass } from '../manager/job-definitions.js';

/**
 * Seed 001's four priority queues, exactly as its `config/queue.ts` and `sync.worker.ts` set them:
 * queue names, attempts, backoff, retention counts and worker concurrency.
 */
export const integrationPriorityClasses = {
  critical: {
    queue: 'integration-critical',
    attempts: 5,
    backoff: { type: 'exponential', delay: 1000 },
    keepCompleted: 50,
    keepFailed: 100,
    concurrency: 10,
  },
  high: {
    queue: 'integration-high',
    attempts: 3,
    backoff: { type: 'exponential', delay: 2000 },
    keepCompleted: 100,
    keepFailed: 200,
    concurrency: 5,
  },
  normal: {
    queue: 'integration-normal',
    attempts: 3,
    backoff: { type: 'exponential', delay: 5000 },
    keepCompleted: 200,
    keepFailed: 500,
    concurrency: 3,
  },
  low: {
    queue: 'integration-low',
    attempts: 2,
    backoff: { type: 'fixed', delay: 10000 },
    keepCompleted: 500,
    keepFailed: 1000,
    concurrency: 1,
  },
} as const satisfies Record<string, PriorityClass>;

const Provider = Type.Union(
  [Type.Literal('stripe'), Type.Literal('square'), Type.Literal('mailchimp'), Type.Literal('quickbooks')],
  { description: 'The providers seed 001 integrates' },
);
const Id = Type.String({ minLength: 1, maxLength: 200 });

/** `webhook` (critical): a verified provider webhook to process. */
export const WebhookJobPayload = Type.Object(
  {
    provider: Provider,
    event: Type.String({ minLength: 1, maxLength: 200 }),
    payload: Type.Unknown(),
    tenantId: Type.Optional(Id),
  },
  { additionalProperties: false },
);

/** `sync` (high) and `scheduled-sync` (normal): seed 001's `executeSync(tenantId, provider, syncType)`. */
export const SyncJobPayload = Type.Object(
  { tenantId: Id, provider: Provider, syncType: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);

/** `batch` (low): a batch import or export. */
export const BatchJobPayload = Type.Object(
  { tenantId: Id, provider: Provider, operation: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);

/** `cleanup` (low): remove old integration data. */
export const CleanupJobPayload = Type.Object(
  {
    tenantId: Type.Optional(Id),
    olderThanDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  },
  { additionalProperties: false },
);

const breaker = { failureThreshold: 5, cooldownMs: 30_000 };

/** Seed 001's job types on their classes, with payload schemas, timeouts and a breaker per type. */
export const integrationJobTypes = {
  webhook: defineJobType({ class: 'critical', schema: WebhookJobPayload, timeoutMs: 30_000, breaker }),
  sync: defineJobType({ class: 'high', schema: SyncJobPayload, timeoutMs: 300_000, breaker }),
  'scheduled-sync': defineJobType({ class: 'normal', schema: SyncJobPayload, timeoutMs: 300_000, breaker }),
  batch: defineJobType({ class: 'low', schema: BatchJobPayload, timeoutMs: 1_800_000, breaker }),
  cleanup: defineJobType({ class: 'low', schema: CleanupJobPayload, timeoutMs: 1_800_000, breaker }),
};

/** Seed 001 (integration-service): its four priority classes and five job types; no schedules. */
export const integrationPreset: JobPreset<typeof integrationJobTypes> = {
  classes: integrationPriorityClasses,
  types: integrationJobTypes,
  schedules: [],
};
