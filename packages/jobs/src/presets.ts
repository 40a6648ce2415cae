/**
 * `@interlink/jobs/presets`: the seed platform's own queues, classes, job types and schedules
 * (seed presets of seeds 000, 001 and 002), apart from the package's general code, ready to move to
 * `packages/contracts`.
 */
export {
  ANALYTICS_EVENT_QUEUES,
  ANALYTICS_WORKERS_QUEUE,
  AnalyticsEventPayload,
  AnalyticsRunPayload,
  analyticsClasses,
  analyticsJobTypes,
  analyticsPreset,
  analyticsSchedules,
} from './presets/seed-analytics-preset.js';
export {
  BatchJobPayload,
  CleanupJobPayload,
  integrationJobTypes,
  integrationPreset,
  integrationPriorityClasses,
  SyncJobPayload,
  WebhookJobPayload,
} from './presets/seed-integration-preset.js';
export {
  ORDER_JOBS_QUEUE,
  OrderJobPayload,
  orderClasses,
  orderJobTypes,
  orderPreset,
  orderSchedules,
} from './presets/seed-order-preset.js';
