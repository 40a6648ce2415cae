import { isInterlinkErrorWithCode } from '@interlink/testing';
import { Type } from '@sinclair/typebox';
import { Registry } from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import { createMemoryBackend } from '../backend/memory-backend.js';
import { createJobManager } from './create-job-manager.js';
import { defineJobType } from './job-definitions.js';

const schema = Type.Object({});
const good = { queue: 'q', attempts: 1, keepCompleted: 1, keepFailed: 1, concurrency: 1 };

describe('createJobManager configuration', () => {
  it('refuses a class with out-of-range options at start-up', () => {
    for (const bad of [
      { attempts: 0 },
      { concurrency: 0 },
      { keepFailed: -1 },
      { backoff: { type: 'linear', delay: 1 } },
    ]) {
      expect(() =>
        createJobManager({
          backend: createMemoryBackend(),
          classes: { c: { ...good, ...bad } as never },
          types: { t: defineJobType({ class: 'c', schema }) },
        }),
      ).toThrow(expect.objectContaining({ code: 'ERR_JOB_OPTIONS_INVALID' }));
    }
  });

  it('refuses a type on an unknown class, and unknown types and classes at call time', async () => {
    expect(() =>
      createJobManager({
        backend: createMemoryBackend(),
        classes: { c: good },
        types: { t: defineJobType({ class: 'nope', schema }) },
      }),
    ).toThrow(expect.objectContaining({ code: 'ERR_JOB_TYPE_UNKNOWN' }));
    const jobs = createJobManager({
      backend: createMemoryBackend(),
      classes: { c: good },
      types: { t: defineJobType({ class: 'c', schema }) },
    });
    expect(() => jobs.breakerState('x' as 't')).toThrow(
      expect.objectContaining({ code: 'ERR_JOB_TYPE_UNKNOWN' }),
    );
    await expect(jobs.countJobs('x')).rejects.toSatisfy(isInterlinkErrorWithCode('ERR_JOB_TYPE_UNKNOWN'));
    await jobs.close();
    await expect(jobs.add('t', {})).rejects.toSatisfy(isInterlinkErrorWithCode('ERR_JOB_MANAGER_CLOSED'));
    await expect(jobs.backend.add('q', { name: 't', data: {}, options: good })).rejects.toSatisfy(
      isInterlinkErrorWithCode('ERR_JOB_MANAGER_CLOSED'),
    );
  });

  it('logs each failed attempt with its code, and the jobs left running at the shutdown timeout', async () => {
    const warnings: object[] = [];
    const logger = { warn: (obj: object) => warnings.push(obj), error: () => {} };
    const backend = createMemoryBackend();
    const jobs = createJobManager({
      backend,
      classes: { c: good },
      types: { t: defineJobType({ class: 'c', schema: Type.Object({ n: Type.Integer() }) }) },
      logger,
    });
    let release!: () => void;
    jobs.handle('t', ({ n }) =>
      n === 1 ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve(),
    );
    jobs.start();
    const bad = await backend.add('q', { name: 't', data: { payload: { n: 'x' }, meta: {} }, options: good });
    await vi.waitFor(async () => expect((await jobs.getJob('c', bad))?.state).toBe('failed'));
    expect(warnings[0]).toMatchObject({ queue: 'q', type: 't', jobId: bad, code: 'ERR_JOB_PAYLOAD_INVALID' });
    const stuck = await jobs.add('t', { n: 1 });
    await vi.waitFor(async () => expect((await jobs.getJob('c', stuck))?.state).toBe('active'));
    await jobs.close({ timeoutMs: 20 });
    release();
    expect(warnings[1]).toMatchObject({ unfinished: 1, timeoutMs: 20 });
  });

  it('logs a handler that throws or rejects, once per attempt, and counts it failed', async () => {
    const warnings: { reason?: string; code?: unknown }[] = [];
    const logger = { warn: (obj: object) => warnings.push(obj), error: () => {} };
    const registry = new Registry();
    const jobs = createJobManager({
      backend: createMemoryBackend(),
      classes: { c: { ...good, keepFailed: 10 } },
      types: { t: defineJobType({ class: 'c', schema: Type.Object({ n: Type.Integer() }) }) },
      logger,
      registry,
    });
    jobs.handle('t', ({ n }) => {
      if (n === 1) throw Object.assign(new Error('thrown'), { code: 'E_SYNC' });
      return Promise.reject(Object.assign(new Error('rejected'), { code: 'E_ASYNC' }));
    });
    jobs.start();
    const thrown = await jobs.add('t', { n: 1 });
    const rejected = await jobs.add('t', { n: 2 });
    await vi.waitFor(async () => {
      expect((await jobs.getJob('c', thrown))?.state).toBe('failed');
      expect((await jobs.getJob('c', rejected))?.state).toBe('failed');
    });
    expect(warnings.map((w) => [w.reason, w.code]).sort()).toEqual([
      ['rejected', 'E_ASYNC'],
      ['thrown', 'E_SYNC'],
    ]);
    const failed = await registry.getSingleMetric('jobs_failed_total')?.get();
    expect(failed?.values.reduce((sum, v) => sum + v.value, 0)).toBe(2);
    await jobs.close();
  });

  it('exposes completed and failed runs and their durations per queue and type', async () => {
    const registry = new Registry();
    const jobs = createJobManager({
      backend: createMemoryBackend(),
      classes: { c: { ...good, keepCompleted: 10, keepFailed: 10 } },
      types: { t: defineJobType({ class: 'c', schema: Type.Object({ ok: Type.Boolean() }) }) },
      registry,
    });
    jobs.handle('t', async ({ ok }) => {
      if (!ok) throw new Error('no');
    });
    jobs.start();
    const ids = [
      await jobs.add('t', { ok: true }),
      await jobs.add('t', { ok: true }),
      await jobs.add('t', { ok: false }),
    ];
    await vi.waitFor(async () => {
      for (const id of ids) expect(['completed', 'failed']).toContain((await jobs.getJob('c', id))?.state);
    });
    const text = await registry.metrics();
    expect(text).toContain('jobs_completed_total{queue="q",type="t"} 2');
    expect(text).toContain('jobs_failed_total{queue="q",type="t"} 1');
    expect(text).toContain('jobs_duration_seconds_count{queue="q",type="t",outcome="completed"} 2');
    expect(text).toContain('jobs_duration_seconds_count{queue="q",type="t",outcome="failed"} 1');
    expect(text).toContain(
      'jobs_duration_seconds_bucket{le="+Inf",queue="q",type="t",outcome="completed"} 2',
    );
    // Counted once: a second scrape shows the same totals, not twice the increments.
    expect(await registry.metrics()).toContain('jobs_completed_total{queue="q",type="t"} 2');
    await jobs.close();
  });

  it('reports a status snapshot: counts and pause per class, breakers, schedules', async () => {
    const jobs = createJobManager({
      backend: createMemoryBackend(),
      classes: { c: good, d: { ...good, queue: 'q2' } },
      types: {
        t: defineJobType({ class: 'c', schema, breaker: { failureThreshold: 1, cooldownMs: 60_000 } }),
        u: defineJobType({ class: 'd', schema }),
      },
    });
    await jobs.pause('d');
    await jobs.add('u', {});
    await jobs.applySchedules([{ id: 'hourly', type: 't', every: 3_600_000 }]);
    const status = await jobs.status();
    expect(status.classes.d).toMatchObject({ queue: 'q2', paused: true, counts: { waiting: 1 } });
    expect(status.classes.c).toMatchObject({ paused: false, counts: { waiting: 0 } });
    expect(status.breakers).toEqual({ t: 'closed' });
    expect(status.schedules.c).toEqual([expect.objectContaining({ id: 'hourly', every: 3_600_000 })]);
    await jobs.close({ timeoutMs: 10 });
  });
});
