import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClientMetrics } from '../observability/client-metrics.js';
import { clientFactory } from '../testing/client-factory.test.helper.js';
import { type ManualClock, manualClock, steppingClock } from '../testing/manual-clock.test.helper.js';
import {
  json,
  type RecordingUpstream,
  startUpstream,
  type UpstreamHandler,
} from '../testing/recording-upstream.test.helper.js';
import { rejection } from '../testing/rejection.test.helper.js';

let upstream: RecordingUpstream;
let healthy = true;
// The breakers' clock: a test steps past the half-open delay instead of sleeping through it.
let clock: ManualClock;
const client = clientFactory(() => ({
  service: 'shaky',
  baseUrl: upstream.url,
  production: false,
  retry: false,
  breaker: { halfOpenAfterMs: 100 },
  clock,
}));

/** Waits until `condition` holds (the upstream has seen what the test waits for), checking every few ms. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 5));
}

/** 404 for /missing*, 200 for /always-ok*, else 200 while `healthy` and 503 when not. */
const shaky: UpstreamHandler = (req, res) => {
  if (req.url?.startsWith('/missing')) json(res, 404, { code: 'ERR_NOT_FOUND' });
  else if (healthy || req.url?.startsWith('/always-ok')) json(res, 200, { ok: true });
  else json(res, 503, { code: 'ERR_SERVICE_UNAVAILABLE' });
};

/**
 * An upstream of its own that holds every request until the test answers it: `release[i]()` answers
 * the i-th with 200. Close it at the end of the test.
 */
async function holdingUpstream(): Promise<{ hold: RecordingUpstream; release: Array<() => void> }> {
  const release: Array<() => void> = [];
  const hold = await startUpstream((_req, res) => {
    release.push(() => json(res, 200, { ok: true }));
  });
  return { hold, release };
}

beforeAll(async () => {
  upstream = await startUpstream(shaky);
});
beforeEach(() => {
  clock = manualClock();
});
afterEach(async () => {
  upstream.requests.length = 0;
  healthy = true;
});
afterAll(() => upstream.close());

describe('circuit breaker', () => {
  it('opens after consecutive failures, stops sending, and recovers through a half-open probe', async () => {
    const registry = new Registry();
    const c = client({ metrics: createClientMetrics({ registry }) });
    healthy = false;
    for (let i = 0; i < 5; i++)
      expect((await rejection(c.json({ path: '/x' }))).code).toBe('ERR_UPSTREAM_STATUS');
    expect(c.breakerState()).toBe('open');
    const open = await rejection(c.json({ path: '/x' }));
    expect(open.code).toBe('ERR_CIRCUIT_OPEN');
    expect(open.status).toBe(503);
    expect(upstream.requests).toHaveLength(5);
    const gauge = await registry.getSingleMetric('interlink_client_circuit_state')!.get();
    expect(gauge.values[0]!.value).toBe(1);

    // Still failing when the probe goes: the circuit opens again.
    clock.advance(120);
    expect((await rejection(c.json({ path: '/x' }))).code).toBe('ERR_UPSTREAM_STATUS');
    expect(c.breakerState()).toBe('open');
    expect((await rejection(c.json({ path: '/x' }))).code).toBe('ERR_CIRCUIT_OPEN');

    healthy = true;
    clock.advance(120);
    expect(await c.json({ path: '/x' })).toEqual({ ok: true });
    expect(c.breakerState()).toBe('closed');
    expect(await c.json({ path: '/x' })).toEqual({ ok: true });
  });

  it('is not opened by 4xx answers, which are answers rather than failures', async () => {
    const c = client();
    for (let i = 0; i < 10; i++) await rejection(c.json({ path: '/missing' }));
    expect(c.breakerState()).toBe('closed');
    expect(upstream.requests).toHaveLength(10);
  });

  it('stops retries once it opens in the middle of a call', async () => {
    // Backoff waits pass at once on this clock.
    const c = client({
      retry: { maxAttempts: 10, baseDelayMs: 1 },
      breaker: { halfOpenAfterMs: 60_000 },
      clock: steppingClock(),
    });
    healthy = false;
    const error = await rejection(c.json({ path: '/x' }));
    expect(error.code).toBe('ERR_CIRCUIT_OPEN');
    expect(upstream.requests).toHaveLength(5);
  });

  it('can keep a breaker per operation, so one failing route does not cut off the others', async () => {
    const c = client({ breaker: { perOperation: true, halfOpenAfterMs: 60_000 } });
    healthy = false;
    for (let i = 0; i < 5; i++) await rejection(c.json({ path: '/x', operation: 'getPrices' }));
    expect(c.breakerState('getPrices')).toBe('open');
    expect((await rejection(c.json({ path: '/x', operation: 'getPrices' }))).code).toBe('ERR_CIRCUIT_OPEN');
    expect(await c.json({ path: '/always-ok', operation: 'getTicket' })).toEqual({ ok: true });
    expect(c.breakerState('getTicket')).toBe('closed');
  });

  it('makes calls made while the half-open probe is in flight wait for its outcome', async () => {
    // The upstream holds /probe* requests until told how to answer them.
    const held: Array<(status: number) => void> = [];
    upstream.handle((req, res) => {
      if (req.url?.startsWith('/probe')) held.push((status) => json(res, status, { ok: status < 300 }));
      else json(res, 503, { code: 'ERR_SERVICE_UNAVAILABLE' });
    });
    try {
      const c = client();
      const openIt = async () => {
        for (let i = 0; i < 5; i++) await rejection(c.json({ path: '/x' }));
        expect(c.breakerState()).toBe('open');
        clock.advance(120);
      };
      const settledFlag = (p: Promise<unknown>) => {
        const flag = { settled: false };
        p.then(
          () => (flag.settled = true),
          () => (flag.settled = true),
        );
        return flag;
      };
      const nextTurns = async () => {
        for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
      };

      // A failing probe: the waiting call is then refused without being sent.
      await openIt();
      const probe = rejection(c.json({ path: '/probe-1' }));
      await until(() => held.length >= 1);
      expect(c.breakerState()).toBe('half-open');
      const waiting = rejection(c.json({ path: '/probe-2' }));
      const waitingFlag = settledFlag(waiting);
      await nextTurns();
      expect(waitingFlag.settled).toBe(false);
      held[0]!(503);
      expect((await probe).code).toBe('ERR_UPSTREAM_STATUS');
      expect((await waiting).code).toBe('ERR_CIRCUIT_OPEN');
      expect(upstream.requests.filter((r) => r.url.startsWith('/probe')).map((r) => r.url)).toEqual([
        '/probe-1',
      ]);

      // A successful probe closes the circuit and the waiting call is sent after it.
      clock.advance(120);
      const probe2 = c.json({ path: '/probe-3' });
      await until(() => held.length >= 2);
      const waiting2 = c.json({ path: '/probe-4' });
      const waiting2Flag = settledFlag(waiting2);
      await nextTurns();
      expect(waiting2Flag.settled).toBe(false);
      expect(held).toHaveLength(2);
      held[1]!(200);
      expect(await probe2).toEqual({ ok: true });
      await until(() => held.length >= 3);
      held[2]!(200);
      expect(await waiting2).toEqual({ ok: true });
      expect(c.breakerState()).toBe('closed');
      expect(upstream.requests.filter((r) => r.url.startsWith('/probe')).map((r) => r.url)).toEqual([
        '/probe-1',
        '/probe-3',
        '/probe-4',
      ]);
    } finally {
      upstream.handle(shaky);
    }
  });

  it('closes after a half-open probe answered 4xx, which is not a failure of the target', async () => {
    const c = client();
    healthy = false;
    for (let i = 0; i < 5; i++) await rejection(c.json({ path: '/x' }));
    expect(c.breakerState()).toBe('open');
    clock.advance(120);
    expect((await rejection(c.json({ path: '/missing' }))).code).toBe('ERR_UPSTREAM_STATUS');
    expect(c.breakerState()).toBe('closed');
  });

  it('can be held open by hand during an incident', async () => {
    const c = client();
    const hold = c.isolate();
    expect((await rejection(c.json({ path: '/x' }))).code).toBe('ERR_CIRCUIT_OPEN');
    hold.dispose();
    expect(await c.json({ path: '/x' })).toEqual({ ok: true });
    expect(upstream.requests).toHaveLength(1);
  });
});

describe('bulkhead', () => {
  it('caps the calls in flight to a target and rejects the excess without sending it', async () => {
    const { hold, release } = await holdingUpstream();
    const c = client({ service: 'held', baseUrl: hold.url, bulkhead: { maxConcurrent: 2, maxQueued: 0 } });
    try {
      const first = c.json({ path: '/1' });
      const second = c.json({ path: '/2' });
      const third = await rejection(c.json({ path: '/3' }));
      expect(third.code).toBe('ERR_BULKHEAD_FULL');
      await until(() => release.length >= 2);
      for (const r of release) r();
      await Promise.all([first, second]);
      expect(hold.requests.map((r) => r.url).sort()).toEqual(['/1', '/2']);
      // The slots are free again.
      const fourth = c.json({ path: '/4' });
      await until(() => release.length >= 3);
      release[2]!();
      expect(await fourth).toEqual({ ok: true });
    } finally {
      await hold.close();
    }
  });

  it('frees the slot of an attempt that failed', async () => {
    const c = client({ bulkhead: { maxConcurrent: 1 } });
    expect((await rejection(c.json({ path: '/missing' }))).code).toBe('ERR_UPSTREAM_STATUS');
    expect(await c.json({ path: '/x' })).toEqual({ ok: true });
  });

  it('queues up to maxQueued attempts when configured, and rejects beyond that', async () => {
    const { hold, release } = await holdingUpstream();
    const c = client({ service: 'queued', baseUrl: hold.url, bulkhead: { maxConcurrent: 1, maxQueued: 1 } });
    try {
      const first = c.json({ path: '/1' });
      await until(() => release.length >= 1);
      const second = c.json({ path: '/2' });
      expect((await rejection(c.json({ path: '/3' }))).code).toBe('ERR_BULKHEAD_FULL');
      release[0]!();
      expect(await first).toEqual({ ok: true });
      await until(() => release.length >= 2);
      release[1]!();
      expect(await second).toEqual({ ok: true });
      expect(hold.requests.map((r) => r.url)).toEqual(['/1', '/2']);
    } finally {
      await hold.close();
    }
  });
});
