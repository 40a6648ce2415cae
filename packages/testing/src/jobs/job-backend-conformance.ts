import {
  currentContext,
  newSpanId,
  newTraceId,
  notRetryable,
  type RequestContext,
  runWithContext,
} from '@interlink/core';
import {
  createJobManager,
  defineJobType,
  type JobBackend,
  type JobManager,
  type JobRecord,
  type JobState,
  type PriorityClass,
} from '@interlink/jobs';
import { integrationJobTypes, integrationPriorityClasses } from '@interlink/jobs/presets';
import { Type } from '@sinclair/typebox';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isInterlinkErrorWithCode } from '../errors/is-coded-error.js';

/** How the suite gets backends. */
export interface BackendHarness {
  /** A fresh backend over a store no other test sees. */
  create(): JobBackend;
  /**
   * Another replica over the same store as `of`: a second connection set for shared backends (as
   * another process would have), the same object for in-process ones.
   */
  replica(of: JobBackend): JobBackend;
}

const Probe = Type.Object(
  { n: Type.Optional(Type.Integer()), tag: Type.Optional(Type.String()) },
  { additionalProperties: false },
);

const testClasses = {
  ...integrationPriorityClasses,
  once: {
    queue: 'conformance-once',
    attempts: 1,
    keepCompleted: 'all',
    keepFailed: 'all',
    concurrency: 4,
  },
  // Seed 000's event queues: completed jobs removed at once, failed ones all kept.
  events: {
    queue: 'conformance-events',
    attempts: 1,
    keepCompleted: 0,
    keepFailed: 'all',
    concurrency: 2,
  },
} satisfies Record<string, PriorityClass>;

const testTypes = {
  ...integrationJobTypes,
  'probe-critical': defineJobType({ class: 'critical', schema: Probe }),
  'probe-high': defineJobType({ class: 'high', schema: Probe }),
  'probe-normal': defineJobType({ class: 'normal', schema: Probe }),
  'probe-low': defineJobType({ class: 'low', schema: Probe }),
  probe: defineJobType({ class: 'once', schema: Probe }),
  event: defineJobType({ class: 'events', schema: Probe }),
  slow: defineJobType({ class: 'once', schema: Probe, timeoutMs: 100 }),
  flaky: defineJobType({
    class: 'once',
    schema: Probe,
    breaker: { failureThreshold: 2, cooldownMs: 60_000 },
  }),
};

type TestManager = JobManager<typeof testTypes>;

const WAIT = { timeout: 10_000, interval: 20 };

/** A promise with its resolve, to hold a handler until the test lets it go. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/**
 * One conformance suite for {@link JobBackend} implementations, run through the job manager with
 * seed 001's classes: everything a service relies on, checked the same way on every backend.
 */
export function runJobBackendConformance(name: string, harness: BackendHarness): void {
  describe(`job backend conformance: ${name}`, () => {
    const backends: JobBackend[] = [];
    const managers: TestManager[] = [];

    function backend(): JobBackend {
      const b = harness.create();
      backends.push(b);
      return b;
    }
    function replica(of: JobBackend): JobBackend {
      const b = harness.replica(of);
      if (b !== of) backends.push(b);
      return b;
    }
    function manager(on: JobBackend, registry?: Registry, now?: () => number): TestManager {
      const m = createJobManager({
        backend: on,
        classes: testClasses,
        types: testTypes,
        closeBackend: false,
        ...(registry ? { registry } : {}),
        ...(now ? { now } : {}),
      });
      managers.push(m);
      return m;
    }
    async function jobIn(m: TestManager, cls: string, id: string): Promise<JobRecord> {
      const job = await m.getJob(cls, id);
      if (!job) throw new Error(`job ${id} not found`);
      return job;
    }
    async function waitForState(m: TestManager, cls: string, id: string, states: JobState[]) {
      return vi.waitFor(async () => {
        const job = await jobIn(m, cls, id);
        if (!states.includes(job.state)) throw new Error(`job ${id} is ${job.state}`);
        return job;
      }, WAIT);
    }

    afterEach(async () => {
      await Promise.all(managers.splice(0).map((m) => m.close({ timeoutMs: 200 })));
      await Promise.all(backends.splice(0).map((b) => b.close({ timeoutMs: 200 })));
    });

    it('retries follow seed 001 table: attempts and the backoff delay computed for each retry', async () => {
      const jobs = manager(backend());
      const expected: Record<string, number[]> = {
        critical: [1000, 2000, 4000, 8000],
        high: [2000, 4000],
        normal: [5000, 10000],
        low: [10000],
      };
      for (const cls of Object.keys(expected)) {
        jobs.handle(`probe-${cls}` as 'probe-critical', async () => {
          throw new Error(`${cls} down`);
        });
      }
      jobs.start(Object.keys(expected));
      await Promise.all(
        Object.entries(expected).map(async ([cls, delays]) => {
          const id = await jobs.add(`probe-${cls}` as 'probe-critical', {});
          const seen: number[] = [];
          for (;;) {
            const job = await waitForState(jobs, cls, id, ['delayed', 'failed']);
            if (job.state === 'failed') {
              expect(job.attemptsMade).toBe(testClasses[cls as 'critical'].attempts);
              expect(job.failedReason).toBe(`${cls} down`);
              break;
            }
            if (seen.length < job.attemptsMade) seen.push(job.delay);
            // Skip the wait: the delay is what is checked, not the clock.
            await jobs.backend.promoteJob(testClasses[cls as 'critical'].queue, id);
            await vi.waitFor(async () => {
              const now = await jobIn(jobs, cls, id);
              if (now.state === 'delayed' && now.attemptsMade === job.attemptsMade)
                throw new Error('not yet');
            }, WAIT);
          }
          expect(seen).toEqual(delays);
        }),
      );
    });

    it('retention trims completed and failed jobs to the class counts (critical: 50 and 100)', async () => {
      const jobs = manager(backend());
      let runs = 0;
      jobs.handle('probe-critical', async ({ n }) => {
        runs++;
        if (n! % 2 === 1) throw Object.assign(new Error('bad input'), { retryable: false });
      });
      jobs.start(['critical']);
      // 60 successes and 110 failures: 10 of each more than the class keeps.
      const payloads = Array.from({ length: 170 }, (_, i) => ({ payload: { n: i < 120 ? i : 2 * i + 1 } }));
      const ids = await jobs.addBulk('probe-critical', payloads);
      expect(new Set(ids).size).toBe(170);
      await vi.waitFor(() => expect(runs).toBe(170), WAIT);
      await vi.waitFor(async () => {
        const counts = await jobs.countJobs('critical');
        expect(counts.completed).toBe(50);
        expect(counts.failed).toBe(100);
      }, WAIT);
      // The newest are the ones kept.
      const completed = await jobs.listJobs('critical', 'completed');
      expect(completed.length).toBe(50);
      expect(await jobs.getJob('critical', ids[0]!)).toBeUndefined();
      expect(await jobs.getJob('critical', ids[118]!)).toBeDefined();
    });

    it("removes completed jobs at once and keeps every failed one when the class says so (seed 000's events)", async () => {
      const jobs = manager(backend());
      jobs.handle('event', async ({ n }) => {
        if (n! > 0) throw new Error('rejected');
      });
      jobs.start(['events']);
      const ids = await jobs.addBulk(
        'event',
        Array.from({ length: 6 }, (_, n) => ({ payload: { n } })),
      );
      await vi.waitFor(async () => expect((await jobs.countJobs('events')).failed).toBe(5), WAIT);
      await vi.waitFor(async () => expect(await jobs.getJob('events', ids[0]!)).toBeUndefined(), WAIT);
      expect((await jobs.countJobs('events')).completed).toBe(0);
    });

    it('runs at most `concurrency` jobs of a class at once, per seed 001 (10, 5, 3, 1)', async () => {
      const jobs = manager(backend());
      const limits = { critical: 10, high: 5, normal: 3, low: 1 };
      const release = gate();
      const running: Record<string, number> = {};
      const peak: Record<string, number> = {};
      for (const cls of Object.keys(limits)) {
        running[cls] = 0;
        peak[cls] = 0;
        jobs.handle(`probe-${cls}` as 'probe-critical', async () => {
          running[cls]!++;
          peak[cls] = Math.max(peak[cls]!, running[cls]!);
          await release.promise;
          running[cls]!--;
        });
      }
      jobs.start(Object.keys(limits));
      jobs.start(); // again: must not add workers
      for (const [cls, limit] of Object.entries(limits)) {
        await jobs.addBulk(
          `probe-${cls}` as 'probe-critical',
          Array.from({ length: limit * 2 }, () => ({ payload: {} })),
        );
      }
      await vi.waitFor(() => {
        for (const [cls, limit] of Object.entries(limits)) expect(running[cls]).toBe(limit);
      }, WAIT);
      release.open();
      await vi.waitFor(async () => {
        for (const cls of Object.keys(limits))
          expect((await jobs.countJobs(cls)).completed).toBe(limits[cls as 'low'] * 2);
      }, WAIT);
      expect(peak).toEqual(limits);
    });

    it('takes jobs by priority within a class (none first, then 1, 2, 3), and holds them while paused', async () => {
      const jobs = manager(backend());
      const order: string[] = [];
      jobs.handle('probe-low', async ({ tag }) => {
        order.push(tag!);
      });
      await jobs.pause('low');
      expect(await jobs.backend.isQueuePaused(testClasses.low.queue)).toBe(true);
      jobs.start(['low']);
      await jobs.add('probe-low', { tag: 'p3' }, { priority: 3 });
      await jobs.add('probe-low', { tag: 'p1' }, { priority: 1 });
      await jobs.add('probe-low', { tag: 'none' });
      await jobs.add('probe-low', { tag: 'p2' }, { priority: 2 });
      expect((await jobs.countJobs('low')).completed).toBe(0);
      expect(order).toEqual([]);
      await jobs.resume('low');
      await vi.waitFor(() => expect(order.length).toBe(4), WAIT);
      expect(order).toEqual(['none', 'p1', 'p2', 'p3']);
    });

    it('adds a job with the same id once, whatever its state', async () => {
      const jobs = manager(backend());
      let runs = 0;
      jobs.handle('probe', async () => {
        runs++;
      });
      const first = await jobs.add('probe', { n: 1 }, { id: 'order-42-paid' });
      const second = await jobs.add('probe', { n: 2 }, { id: 'order-42-paid' });
      expect(second).toBe(first);
      jobs.start(['once']);
      await waitForState(jobs, 'once', first, ['completed']);
      expect(await jobs.add('probe', { n: 3 }, { id: 'order-42-paid' })).toBe(first);
      const job = await jobIn(jobs, 'once', first);
      expect(job.data).toMatchObject({ payload: { n: 1 } });
      expect(runs).toBe(1);
      const counts = await jobs.countJobs('once');
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(1);
      await expect(jobs.add('probe', {}, { id: '42' })).rejects.toSatisfy(
        isInterlinkErrorWithCode('ERR_JOB_ID_INVALID'),
      );
      await expect(jobs.add('probe', {}, { id: 'a:b' })).rejects.toSatisfy(
        isInterlinkErrorWithCode('ERR_JOB_ID_INVALID'),
      );
    });

    it('refuses an invalid payload when added (nothing queued) and fails it at once, unretried, when run', async () => {
      const jobs = manager(backend());
      let runs = 0;
      jobs.handle('webhook', async () => {
        runs++;
      });
      const bad = { provider: 'paypal', event: 'x', payload: {} } as never;
      const error = await jobs.add('webhook', bad).catch((e: unknown) => e);
      expect(error).toSatisfy(isInterlinkErrorWithCode('ERR_JOB_PAYLOAD_INVALID'));
      expect((error as { extensions: { errors: unknown[] } }).extensions.errors.length).toBeGreaterThan(0);
      expect((await jobs.countJobs('critical')).waiting).toBe(0);
      // Valid for the schema (its `payload` is free-form) but not storable: refused with a code, not a crash.
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      for (const payload of [{ big: 1n }, circular]) {
        await expect(jobs.add('webhook', { provider: 'stripe', event: 'x', payload })).rejects.toSatisfy(
          isInterlinkErrorWithCode('ERR_JOB_PAYLOAD_INVALID'),
        );
      }
      await expect(jobs.add('probe', {}, { priority: -1 })).rejects.toSatisfy(
        isInterlinkErrorWithCode('ERR_JOB_OPTIONS_INVALID'),
      );
      await expect(jobs.add('nope' as 'webhook', {} as never)).rejects.toSatisfy(
        isInterlinkErrorWithCode('ERR_JOB_TYPE_UNKNOWN'),
      );

      // A producer that skipped validation (an older service, a plain BullMQ client).
      const queue = testClasses.critical.queue;
      const options = { attempts: 5, keepCompleted: 'all', keepFailed: 'all' } as const;
      const badId = await jobs.backend.add(queue, {
        name: 'webhook',
        data: { payload: { provider: 'stripe' }, meta: {} },
        options,
      });
      const unknownId = await jobs.backend.add(queue, { name: 'not-a-type', data: {}, options });
      // A bare payload, as plain Bull producers add it during a migration, runs.
      const bareId = await jobs.backend.add(queue, {
        name: 'webhook',
        data: { provider: 'stripe', event: 'charge.succeeded', payload: { id: 'ch_1' } },
        options,
      });
      jobs.start(['critical']);
      const failed = await waitForState(jobs, 'critical', badId, ['failed']);
      expect(failed.attemptsMade).toBe(1);
      expect(failed.failedCode).toBe('ERR_JOB_PAYLOAD_INVALID');
      const unknown = await waitForState(jobs, 'critical', unknownId, ['failed']);
      expect(unknown.attemptsMade).toBe(1);
      expect(unknown.failedCode).toBe('ERR_JOB_TYPE_UNKNOWN');
      await waitForState(jobs, 'critical', bareId, ['completed']);
      expect(runs).toBe(1);
    });

    it('fails a job that runs over its type timeout with ERR_JOB_TIMEOUT and aborts its signal', async () => {
      const jobs = manager(backend());
      const reasons: unknown[] = [];
      jobs.handle('slow', async ({ n }, { signal }) => {
        if (n === 0) return 'quick';
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        reasons.push(signal.reason);
      });
      jobs.start(['once']);
      const slowId = await jobs.add('slow', { n: 1 });
      const quickId = await jobs.add('slow', { n: 0 });
      const slow = await waitForState(jobs, 'once', slowId, ['failed']);
      expect(slow.failedCode).toBe('ERR_JOB_TIMEOUT');
      expect(reasons[0]).toSatisfy(isInterlinkErrorWithCode('ERR_JOB_TIMEOUT'));
      const quick = await waitForState(jobs, 'once', quickId, ['completed']);
      expect(quick.returnValue).toBe('quick');
    });

    it('opens a type breaker after N consecutive failures, defers that type only, and closes after the cooldown', async () => {
      // The breaker's clock runs ahead on demand, so "after the cooldown" does not depend on timing.
      let skew = 0;
      const jobs = manager(backend(), undefined, () => Date.now() + skew);
      let failing = true;
      let flakyRuns = 0;
      jobs.handle('flaky', async () => {
        flakyRuns++;
        if (failing) throw new Error('downstream unavailable');
      });
      jobs.handle('probe', async () => 'ok');
      jobs.start(['once']);
      const [a, b] = await jobs.addBulk('flaky', [{ payload: { n: 1 } }, { payload: { n: 2 } }]);
      await waitForState(jobs, 'once', a!, ['failed']);
      await waitForState(jobs, 'once', b!, ['failed']);
      expect(jobs.breakerState('flaky')).toBe('open');
      failing = false;
      const deferredId = await jobs.add('flaky', { n: 3 });
      const deferred = await waitForState(jobs, 'once', deferredId, ['delayed', 'completed']);
      // Put back without running and without using an attempt: the breaker is open.
      expect(deferred.state).toBe('delayed');
      expect(deferred.attemptsMade).toBe(0);
      expect(flakyRuns).toBe(2);
      // Other types of the same queue still run.
      const other = await jobs.add('probe', {});
      await waitForState(jobs, 'once', other, ['completed']);
      expect(jobs.breakerState('flaky')).toBe('open');
      skew = 60_000;
      expect(jobs.breakerState('flaky')).toBe('half-open');
      // Deferred until the cooldown's end in the breaker's clock; run it now rather than wait a minute.
      await jobs.backend.promoteJob(testClasses.once.queue, deferredId);
      const done = await waitForState(jobs, 'once', deferredId, ['completed']);
      expect(done.attemptsMade).toBe(1);
      expect(flakyRuns).toBe(3);
      expect(jobs.breakerState('flaky')).toBe('closed');
    });

    it('fails at once, its other attempts unused, a job whose handler throws an error that is not retryable', async () => {
      const jobs = manager(backend());
      let runs = 0;
      jobs.handle('probe-critical', async () => {
        runs++;
        throw notRetryable(new Error('unknown customer'));
      });
      jobs.start(['critical']);
      const id = await jobs.add('probe-critical', { n: 1 });
      const failed = await waitForState(jobs, 'critical', id, ['failed']);
      expect(failed).toMatchObject({ attemptsMade: 1, attempts: 5, failedReason: 'unknown customer' });
      expect(runs).toBe(1);
    });

    it('keeps a job that exhausted its attempts inspectable, and retries it on request', async () => {
      const jobs = manager(backend());
      let failing = true;
      jobs.handle('probe', async ({ n }) => {
        if (failing) throw new Error(`cannot process ${n}`);
        return { processed: n };
      });
      jobs.start(['once']);
      const id = await jobs.add('probe', { n: 7 });
      await waitForState(jobs, 'once', id, ['failed']);
      const failed = await jobs.listJobs('once', 'failed');
      expect(failed.map((j) => j.id)).toEqual([id]);
      expect(failed[0]).toMatchObject({ name: 'probe', failedReason: 'cannot process 7', attemptsMade: 1 });
      failing = false;
      await jobs.retry('once', id);
      const done = await waitForState(jobs, 'once', id, ['completed']);
      expect(done.returnValue).toEqual({ processed: 7 });
      await expect(jobs.retry('once', id)).rejects.toSatisfy(isInterlinkErrorWithCode('ERR_JOB_NOT_FAILED'));
      await expect(jobs.retry('once', 'no-such-job')).rejects.toSatisfy(
        isInterlinkErrorWithCode('ERR_JOB_NOT_FOUND'),
      );
    });

    it("carries the producer's trace and tenant into the worker's request context", async () => {
      const jobs = manager(backend());
      const seen: (RequestContext | undefined)[] = [];
      jobs.handle('probe', async () => {
        seen.push(currentContext());
      });
      jobs.start(['once']);
      const producer: RequestContext = {
        requestId: 'req-1',
        trace: { traceId: newTraceId(), spanId: newSpanId(), flags: 1 },
        tenantId: 'tenant-a',
        userId: 'user-1',
      };
      const id = await runWithContext(producer, () => jobs.add('probe', { n: 1 }));
      await waitForState(jobs, 'once', id, ['completed']);
      const bare = await jobs.add('probe', { n: 2 });
      await waitForState(jobs, 'once', bare, ['completed']);
      expect(seen[0]).toMatchObject({
        requestId: 'req-1',
        tenantId: 'tenant-a',
        userId: 'user-1',
        trace: { traceId: producer.trace.traceId, parentSpanId: producer.trace.spanId, flags: 1 },
      });
      expect(seen[0]!.trace.spanId).not.toBe(producer.trace.spanId);
      expect(seen[1]!.tenantId).toBeUndefined();
      expect(seen[1]!.trace.traceId).not.toBe(producer.trace.traceId);
    });

    it('runs each schedule tick once across two workers', async () => {
      const first = backend();
      const a = manager(first);
      const b = manager(replica(first));
      const ticks: string[] = [];
      const byWorker = { a: 0, b: 0 };
      a.handle('probe', async (_, { id }) => {
        ticks.push(id);
        byWorker.a++;
      });
      b.handle('probe', async (_, { id }) => {
        ticks.push(id);
        byWorker.b++;
      });
      a.start(['once']);
      b.start(['once']);
      // Both replicas apply the same configuration at start-up, as a deployment would.
      const schedule = [{ id: 'every-150', type: 'probe', every: 150, payload: { tag: 'tick' } }] as const;
      await Promise.all([a.applySchedules(schedule), b.applySchedules(schedule)]);
      await vi.waitFor(() => expect(ticks.length).toBeGreaterThanOrEqual(5), WAIT);
      await a.applySchedules([], { prune: true });
      // A tick's job id carries the tick's time: each tick ran once, and no two runs share a period.
      const times = ticks.map((id) => Number(/(\d+)$/.exec(id)?.[1])).sort((x, y) => x - y);
      expect(times.every(Number.isFinite)).toBe(true);
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(150);
      expect(await a.listSchedules('once')).toEqual([]);
    });

    it('runs a cron schedule on its pattern (6 fields: every second)', async () => {
      const jobs = manager(backend());
      const ticks: string[] = [];
      jobs.handle('probe', async (_, { id, scheduleId }) => {
        if (scheduleId === 'each-second') ticks.push(id);
      });
      jobs.start(['once']);
      await jobs.applySchedules([{ id: 'each-second', type: 'probe', cron: '* * * * * *', tz: 'UTC' }]);
      await vi.waitFor(() => expect(ticks.length).toBeGreaterThanOrEqual(2), WAIT);
      await jobs.applySchedules([], { prune: true });
      const times = ticks.map((id) => Number(/(\d+)$/.exec(id)?.[1]));
      // Each tick is a whole second, each one once.
      for (const time of times) expect(time % 1000).toBe(0);
      expect(new Set(times).size).toBe(times.length);
    });

    it('updates a schedule in place when its configuration changes', async () => {
      const jobs = manager(backend());
      const tags: string[] = [];
      jobs.handle('probe', async ({ tag }, { scheduleId }) => {
        if (scheduleId === 'report') tags.push(tag!);
      });
      jobs.start(['once']);
      await jobs.applySchedules([{ id: 'report', type: 'probe', every: 150, payload: { tag: 'v1' } }]);
      await vi.waitFor(() => expect(tags).toContain('v1'), WAIT);
      await jobs.applySchedules([{ id: 'report', type: 'probe', every: 200, payload: { tag: 'v2' } }]);
      await vi.waitFor(() => expect(tags.at(-1)).toBe('v2'), WAIT);
      const schedules = await jobs.listSchedules('once');
      expect(schedules).toHaveLength(1);
      expect(schedules[0]).toMatchObject({
        id: 'report',
        name: 'probe',
        every: 200,
        data: { payload: { tag: 'v2' } },
      });
      await expect(jobs.applySchedules([{ id: 'bad', type: 'probe', cron: 'not a cron' }])).rejects.toSatisfy(
        isInterlinkErrorWithCode('ERR_JOB_SCHEDULE_INVALID'),
      );
      await expect(
        jobs.applySchedules([{ id: 'both', type: 'probe', every: 100, cron: '* * * * *' }]),
      ).rejects.toSatisfy(isInterlinkErrorWithCode('ERR_JOB_SCHEDULE_INVALID'));
    });

    it('on close stops taking jobs and waits for the running one to finish', async () => {
      const first = backend();
      const jobs = manager(first);
      const other = manager(replica(first));
      const release = gate();
      const events: string[] = [];
      jobs.handle('probe', async ({ n }) => {
        events.push(`start ${n}`);
        await release.promise;
        events.push(`end ${n}`);
      });
      jobs.start(['once']);
      const running = await jobs.add('probe', { n: 1 });
      await waitForState(jobs, 'once', running, ['active']);
      await vi.waitFor(() => expect(events).toEqual(['start 1']), WAIT);
      const closed = jobs.close({ timeoutMs: 10_000 }).then(() => events.push('closed'));
      // Added while closing: must stay for another worker.
      const later = await other.add('probe', { n: 2 });
      release.open();
      await closed;
      expect(events).toEqual(['start 1', 'end 1', 'closed']);
      expect((await jobIn(other, 'once', running)).state).toBe('completed');
      expect((await jobIn(other, 'once', later)).state).toBe('waiting');
      await expect(jobs.add('probe', {})).rejects.toSatisfy(
        isInterlinkErrorWithCode('ERR_JOB_MANAGER_CLOSED'),
      );
    });

    it('leaves a job still running at the shutdown timeout to another worker, which completes it', async () => {
      const first = backend();
      const leaving = manager(first);
      const staying = manager(replica(first));
      let aborted = false;
      leaving.handle('probe', async (_, { signal }) => {
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        aborted = true;
        // Whatever it returns now is ignored: the job is no longer this worker's.
        return 'from the closed worker';
      });
      staying.handle('probe', async () => 'recovered');
      leaving.start(['once']);
      const id = await leaving.add('probe', { n: 1 });
      await waitForState(leaving, 'once', id, ['active']);
      await leaving.close({ timeoutMs: 50 });
      expect(aborted).toBe(true);
      staying.start(['once']);
      const done = await waitForState(staying, 'once', id, ['completed']);
      expect(done.returnValue).toBe('recovered');
      expect(done.attemptsMade).toBe(1);
    });

    it('reports queue depth, active jobs, outcomes, durations and breaker state on the injected registry', async () => {
      const registry = new Registry();
      const jobs = manager(backend(), registry);
      const release = gate();
      jobs.handle('probe', async ({ n }) => {
        if (n === 1) throw new Error('no');
        if (n === 2) await release.promise;
      });
      jobs.handle('flaky', async () => {
        throw new Error('down');
      });
      await jobs.add('probe', { n: 0 }, { delay: 60_000 });
      jobs.start(['once']);
      const ids = await jobs.addBulk('probe', [{ payload: { n: 0 } }, { payload: { n: 1 } }]);
      const flaky = await jobs.addBulk('flaky', [{ payload: {} }, { payload: {} }]);
      for (const id of [...ids, ...flaky]) await waitForState(jobs, 'once', id, ['completed', 'failed']);
      const text = await registry.metrics();
      expect(text).toContain('jobs_queue_depth{queue="conformance-once",state="delayed"} 1');
      expect(text).toContain('jobs_queue_depth{queue="conformance-once",state="completed"} 1');
      expect(text).toContain('jobs_queue_depth{queue="conformance-once",state="failed"} 3');
      expect(text).toContain('jobs_completed_total{queue="conformance-once",type="probe"} 1');
      expect(text).toContain('jobs_failed_total{queue="conformance-once",type="probe"} 1');
      expect(text).toContain(
        'jobs_duration_seconds_count{queue="conformance-once",type="probe",outcome="completed"} 1',
      );
      expect(text).toContain('jobs_active{queue="conformance-once"} 0');
      const held = await jobs.add('probe', { n: 2 });
      await waitForState(jobs, 'once', held, ['active']);
      await vi.waitFor(async () =>
        expect(await registry.metrics()).toContain('jobs_active{queue="conformance-once"} 1'),
      );
      release.open();
      await waitForState(jobs, 'once', held, ['completed']);
      expect(text).toContain('jobs_breaker_state{type="flaky"} 1');
      expect(text).toContain('jobs_breaker_state{type="webhook"} 0');
    });
  });
}
