import { isInterlinkErrorWithCode } from '@interlink/testing';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { createMemoryBackend } from '../backend/memory-backend.js';
import { createJobManager } from '../manager/create-job-manager.js';
import type { PriorityClass } from '../manager/job-definitions.js';
import { ANALYTICS_EVENT_QUEUES, analyticsClasses, analyticsPreset } from './seed-analytics-preset.js';
import {
  integrationJobTypes,
  integrationPreset,
  integrationPriorityClasses,
} from './seed-integration-preset.js';
import { orderClasses, orderPreset } from './seed-order-preset.js';

/** A class as a row of the seeds' tables: queue, attempts, backoff, retention, concurrency. */
const classRow = (c: PriorityClass) => [
  c.queue,
  c.attempts,
  `${c.backoff?.type} ${c.backoff?.delay}`,
  c.keepCompleted,
  c.keepFailed,
  c.concurrency,
];

describe('seed 001 priority classes', () => {
  it('are exactly the table of the seed: queue, attempts, backoff, retention, concurrency', () => {
    const rows = Object.entries(integrationPriorityClasses).map(([name, c]) => [name, ...classRow(c)]);
    expect(rows).toEqual([
      ['critical', 'integration-critical', 5, 'exponential 1000', 50, 100, 10],
      ['high', 'integration-high', 3, 'exponential 2000', 100, 200, 5],
      ['normal', 'integration-normal', 3, 'exponential 5000', 200, 500, 3],
      ['low', 'integration-low', 2, 'fixed 10000', 500, 1000, 1],
    ]);
  });

  it("puts seed 001's job types on their classes", () => {
    const classes = Object.fromEntries(Object.entries(integrationJobTypes).map(([t, d]) => [t, d.class]));
    expect(classes).toEqual({
      webhook: 'critical',
      sync: 'high',
      'scheduled-sync': 'normal',
      batch: 'low',
      cleanup: 'low',
    });
  });

  it('checks payloads against each type schema', () => {
    const { webhook, sync, batch, cleanup } = integrationJobTypes;
    expect(Value.Check(webhook.schema, { provider: 'stripe', event: 'charge.succeeded', payload: {} })).toBe(
      true,
    );
    expect(Value.Check(webhook.schema, { provider: 'paypal', event: 'x', payload: {} })).toBe(false);
    expect(Value.Check(sync.schema, { tenantId: 't', provider: 'square', syncType: 'customers' })).toBe(true);
    expect(Value.Check(sync.schema, { tenantId: '', provider: 'square', syncType: 'customers' })).toBe(false);
    expect(Value.Check(batch.schema, { tenantId: 't', provider: 'quickbooks', operation: 'export' })).toBe(
      true,
    );
    expect(Value.Check(cleanup.schema, { olderThanDays: 0 })).toBe(false);
  });
});

describe('seed 000 and seed 002 presets', () => {
  it("keeps seed 000's event queue names and runs pricing every 15 minutes", () => {
    expect(ANALYTICS_EVENT_QUEUES.map((q) => analyticsPreset.classes[q]!.queue)).toEqual([
      'ticket-purchase',
      'ticket-scan',
      'page-view',
      'cart-update',
      'venue-update',
    ]);
    expect(analyticsPreset.schedules.find((s) => s.type === 'pricing')?.every).toBe(900_000);
    expect(analyticsPreset.schedules.map((s) => s.type)).toEqual(['pricing', 'rfm-calculation']);
  });

  it("runs both seeds' scheduled jobs one at a time on a queue of their own, retried and kept alike", () => {
    expect([orderClasses.orders, analyticsClasses.workers].map(classRow)).toEqual([
      ['order-jobs', 3, 'exponential 5000', 100, 500, 1],
      ['analytics-workers', 3, 'exponential 5000', 100, 500, 1],
    ]);
  });

  it("schedules seed 002's five jobs", () => {
    expect(orderPreset.schedules.map((s) => s.type).sort()).toEqual([
      'event-reminders',
      'order-archiving',
      'order-expiration',
      'order-reconciliation',
      'order-reminders',
    ]);
  });

  it('applies every preset together on one manager, each schedule on its class queue', async () => {
    const backend = createMemoryBackend();
    const jobs = createJobManager({
      backend,
      classes: { ...integrationPreset.classes, ...analyticsPreset.classes, ...orderPreset.classes },
      types: { ...integrationPreset.types, ...analyticsPreset.types, ...orderPreset.types },
    });
    try {
      await jobs.applySchedules([...analyticsPreset.schedules, ...orderPreset.schedules]);
      expect((await jobs.listSchedules('orders')).map((s) => s.id).sort()).toEqual(
        orderPreset.schedules.map((s) => s.id).sort(),
      );
      const workers = await jobs.listSchedules('workers');
      expect(workers.find((s) => s.id === 'analytics-rfm')).toMatchObject({ cron: '0 2 * * *', tz: 'UTC' });
      await expect(jobs.add('page-view', { type: 42 } as never)).rejects.toSatisfy(
        isInterlinkErrorWithCode('ERR_JOB_PAYLOAD_INVALID'),
      );
      expect(await jobs.add('page-view', { type: 'page.viewed', path: '/events/1' })).toBeTruthy();
    } finally {
      await jobs.close({ timeoutMs: 100 });
    }
  });
});
