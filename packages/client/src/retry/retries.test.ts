import diagnosticsChannel from 'node:diagnostics_channel';
import { parseTraceparent, runWithContext } from '@interlink/core';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClientMetrics } from '../observability/client-metrics.js';
import { CLIENT_CHANNELS } from '../observability/diagnostics-channels.js';
import { createTestSigner, verifyTestSignature } from '../testing/auth-signer.test.helper.js';
import { clientFactory } from '../testing/client-factory.test.helper.js';
import { manualClock, steppingClock } from '../testing/manual-clock.test.helper.js';
import { json, type RecordingUpstream, startUpstream } from '../testing/recording-upstream.test.helper.js';
import { rejection } from '../testing/rejection.test.helper.js';

const SECRET = 'retry-test-secret-long-enough-for-hmac';
let upstream: RecordingUpstream;
const client = clientFactory(() => ({
  service: 'flaky',
  baseUrl: upstream.url,
  production: false,
  breaker: false,
  retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
}));

/** Answers each request with the next status of `statuses`, then 200. */
function script(...statuses: Array<number | 'reset'>): void {
  let i = 0;
  upstream.handle((_req, res) => {
    const next = statuses[i++];
    if (next === 'reset') res.socket?.destroy();
    else if (next !== undefined) json(res, next, { code: 'ERR_SERVICE_UNAVAILABLE' });
    else json(res, 200, { ok: true });
  });
}

beforeAll(async () => {
  upstream = await startUpstream();
});
afterEach(async () => {
  upstream.requests.length = 0;
});
afterAll(() => upstream.close());

describe('which calls are retried', () => {
  it('never retries a POST without an idempotency key', async () => {
    script(503, 503);
    const error = await rejection(client().json({ method: 'POST', path: '/orders', json: { n: 1 } }));
    expect(error.code).toBe('ERR_UPSTREAM_STATUS');
    expect(error.upstream?.status).toBe(503);
    expect(upstream.requests).toHaveLength(1);
  });

  it('retries a POST with a key, sending the same key, a fresh signature and a new span id each time', async () => {
    script(503, 'reset');
    const answer = await client({ signer: createTestSigner(SECRET) }).json({
      method: 'POST',
      path: '/orders',
      json: { n: 1 },
      idempotencyKey: true,
    });
    expect(answer).toEqual({ ok: true });
    expect(upstream.requests).toHaveLength(3);
    const keys = new Set(upstream.requests.map((r) => r.headers['idempotency-key']));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toMatch(/^"[0-9a-f-]{36}"$/);
    const nonces = await Promise.all(
      upstream.requests.map((r) => verifyTestSignature(SECRET, r.method, r.url, r.headers, r.body)),
    );
    expect(nonces.every((n) => n !== undefined)).toBe(true);
    expect(new Set(nonces).size).toBe(3);
    const parents = upstream.requests.map((r) => parseTraceparent(r.headers.traceparent as string)!);
    expect(new Set(parents.map((p) => p.traceId)).size).toBe(1);
    expect(new Set(parents.map((p) => p.parentId)).size).toBe(3);
  });

  it('keeps a key given by the caller', async () => {
    script(502);
    await client().json({ method: 'PATCH', path: '/x', json: {}, idempotencyKey: 'order-77-v1' });
    expect(upstream.requests.map((r) => r.headers['idempotency-key'])).toEqual([
      '"order-77-v1"',
      '"order-77-v1"',
    ]);
  });

  it('reports a failing signer as a local error, sends nothing and does not trip the breaker', async () => {
    const c = client({
      breaker: { halfOpenAfterMs: 60_000 },
      signer: {
        sign() {
          throw new Error('no key for ticket-service');
        },
      },
    });
    for (let i = 0; i < 6; i++) {
      const error = await rejection(c.json({ path: '/x' }));
      expect(error.code).toBe('ERR_CLIENT_REQUEST_INVALID');
      expect(error.attempts).toBe(1);
    }
    expect(c.breakerState()).toBe('closed');
    expect(upstream.requests).toHaveLength(0);
  });

  it('refuses an idempotency key that is not a printable string, sending nothing', async () => {
    const error = await rejection(
      client().json({ method: 'POST', path: '/x', json: {}, idempotencyKey: 'a"b\nc' }),
    );
    expect(error.code).toBe('ERR_CLIENT_REQUEST_INVALID');
    expect(upstream.requests).toHaveLength(0);
  });

  it.each([429, 502, 503, 504])('retries a GET answered %i', async (status) => {
    script(status);
    const response = await client().request({ path: '/r' });
    response.body.resume();
    expect(response.attempts).toBe(2);
  });

  it('retries a GET whose connection was reset', async () => {
    script('reset', 'reset');
    expect(await client().json({ path: '/r' })).toEqual({ ok: true });
    expect(upstream.requests).toHaveLength(3);
  });

  it.each([500, 400, 404, 409])('does not retry a GET answered %i', async (status) => {
    script(status);
    const error = await rejection(client().json({ path: '/r' }));
    expect(error.upstream?.status).toBe(status);
    expect(upstream.requests).toHaveLength(1);
  });

  it('stops after maxAttempts', async () => {
    script(503, 503, 503, 503, 503);
    const error = await rejection(client().json({ path: '/r' }));
    expect(error.attempts).toBe(3);
    expect(upstream.requests).toHaveLength(3);
  });
});

describe('Retry-After and deadlines', () => {
  it('waits the time Retry-After asks for', async () => {
    let i = 0;
    upstream.handle((_req, res) => {
      if (i++ === 0) json(res, 503, {}, { 'retry-after': '1' });
      else json(res, 200, { ok: true });
    });
    const clock = steppingClock();
    const delays: number[] = [];
    const onRetry = (m: unknown) => delays.push((m as { delayMs: number }).delayMs);
    diagnosticsChannel.subscribe(CLIENT_CHANNELS.retry, onRetry);
    try {
      expect(await client({ clock }).json({ path: '/r' })).toEqual({ ok: true });
    } finally {
      diagnosticsChannel.unsubscribe(CLIENT_CHANNELS.retry, onRetry);
    }
    expect(delays).toEqual([1000]);
    expect(clock.sleeps).toEqual([1000]);
    expect(upstream.requests).toHaveLength(2);
  });

  it('fails at once when Retry-After is longer than the client will wait', async () => {
    upstream.handle((_req, res) => json(res, 429, {}, { 'retry-after': '3600' }));
    const error = await rejection(client().json({ path: '/r' }));
    expect(error.upstream?.retryAfterMs).toBe(3_600_000);
    expect(upstream.requests).toHaveLength(1);
  });

  it("does not retry past the call's deadline", async () => {
    script(503, 503, 503);
    // Every backoff is 99% of its 1 s ceiling, more than the call's 300 ms budget.
    const c = client({ retry: { maxAttempts: 3, baseDelayMs: 1_000 }, random: () => 0.99 });
    const error = await rejection(c.json({ path: '/r', timeoutMs: 300 }));
    expect(error.code).toBe('ERR_UPSTREAM_STATUS');
    expect(upstream.requests).toHaveLength(1);
  });

  it("does not retry past the caller's deadline from the request context", async () => {
    script(503, 503, 503);
    const c = client({ retry: { maxAttempts: 3, baseDelayMs: 1_000 }, random: () => 0.99 });
    const ctx = {
      requestId: 'r1',
      trace: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), flags: 0 },
      deadline: Date.now() + 300,
    };
    const error = await rejection(runWithContext(ctx, () => c.json({ path: '/r', timeoutMs: 60_000 })));
    expect(error.code).toBe('ERR_UPSTREAM_STATUS');
    expect(upstream.requests).toHaveLength(1);
  });

  it('retries when the same backoff fits in the deadline', async () => {
    script(503, 503);
    const c = client({ retry: { maxAttempts: 3, baseDelayMs: 20 }, random: () => 0.99 });
    await c.json({ path: '/r', timeoutMs: 5_000 });
    expect(upstream.requests).toHaveLength(3);
  });

  it('raises ERR_UPSTREAM_TIMEOUT when the deadline passes before the call is made', async () => {
    const error = await rejection(client().json({ path: '/r', deadline: Date.now() - 1 }));
    expect(error.code).toBe('ERR_UPSTREAM_TIMEOUT');
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('cancellation between attempts', () => {
  it('stops waiting for a retry when the caller aborts during the backoff', async () => {
    script(503, 503);
    const controller = new AbortController();
    const clock = manualClock();
    const c = client({
      retry: { maxAttempts: 3, baseDelayMs: 60_000, maxDelayMs: 60_000 },
      random: () => 0.5,
      clock,
    });
    const pending = rejection(c.json({ path: '/r', signal: controller.signal, timeoutMs: 120_000 }));
    await clock.sleepsAsked(1);
    controller.abort();
    const error = await pending;
    expect(error.code).toBe('ERR_CLIENT_ABORTED');
    expect(clock.sleeps).toEqual([30_000]);
    expect(upstream.requests).toHaveLength(1);
  });
});

describe('the retry budget', () => {
  it('keeps an outage from multiplying traffic: 1,000 failing calls make at most ~1,200 attempts', async () => {
    upstream.handle((_req, res) => json(res, 503, { code: 'ERR_SERVICE_UNAVAILABLE' }));
    const registry = new Registry();
    const metrics = createClientMetrics({ registry });
    const c = client({
      retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2 },
      retryBudget: { ratio: 0.2, minRetries: 10, windowMs: 60_000 },
      metrics,
    });
    const codes: Record<string, number> = {};
    const calls = 1000;
    let next = 0;
    await Promise.all(
      Array.from({ length: 25 }, async () => {
        while (next < calls) {
          next++;
          const error = await rejection(c.json({ path: '/outage' }));
          codes[error.code] = (codes[error.code] ?? 0) + 1;
        }
      }),
    );
    const attempts = upstream.requests.length;
    // Without the budget this would be 4,000 attempts.
    expect(attempts).toBeLessThanOrEqual(calls * 1.2 + 10);
    expect(attempts).toBeGreaterThan(calls * 1.15);
    expect(codes.ERR_RETRY_BUDGET_EXHAUSTED).toBeGreaterThan(0);
    const refusals = await registry.getSingleMetric('interlink_client_retry_budget_exhausted_total')!.get();
    expect(refusals.values[0]!.value).toBe(codes.ERR_RETRY_BUDGET_EXHAUSTED);
  });

  it('lets a healthy target retry its occasional failure', async () => {
    script(503);
    const c = client({ retryBudget: { ratio: 0.2, minRetries: 1 } });
    expect(await c.json({ path: '/r' })).toEqual({ ok: true });
    expect(upstream.requests).toHaveLength(2);
  });
});
