import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { currentContext } from '../context/request-context.js';
import { createLogger } from '../logger/create-logger.js';
import { createService } from './create-service.js';
import { MAX_DEADLINE_AHEAD_MS } from './request-hooks.js';
import { logLines, serviceFactory } from './service-under-test.test.helper.js';

const make = serviceFactory();

describe('createService: problem details', () => {
  it('answers an unknown route with a 404 problem', async () => {
    const { service } = make();
    const res = await service.app.inject({ method: 'GET', url: '/nowhere?token=abc' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body).toMatchObject({
      type: 'urn:interlink:error:ERR_NOT_FOUND',
      title: 'Not Found',
      status: 404,
      code: 'ERR_NOT_FOUND',
      instance: '/nowhere',
    });
    expect(body.requestId).toBe(res.headers['x-request-id']);
    expect(JSON.stringify(body)).not.toContain('abc');
  });

  it('lists each invalid field of a schema violation', async () => {
    const { service } = make();
    service.app.post(
      '/orders',
      {
        schema: {
          body: Type.Object({
            eventId: Type.String({ format: 'uuid' }),
            quantity: Type.Integer({ minimum: 1 }),
          }),
        },
      },
      async () => ({ ok: true }),
    );
    const res = await service.app.inject({
      method: 'POST',
      url: '/orders',
      payload: { eventId: 'x', quantity: 0 },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('ERR_VALIDATION');
    const fields = body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['body.eventId', 'body.quantity']);
  });

  it('names a missing required field', async () => {
    const { service } = make();
    service.app.post('/x', { schema: { body: Type.Object({ name: Type.String() }) } }, async () => ({}));
    const res = await service.app.inject({ method: 'POST', url: '/x', payload: {} });
    expect(res.json().errors).toEqual([
      { field: 'body.name', message: "must have required property 'name'" },
    ]);
  });

  it('answers malformed JSON with a 400 problem', async () => {
    const { service } = make();
    service.app.post('/x', async () => ({}));
    const res = await service.app.inject({
      method: 'POST',
      url: '/x',
      headers: { 'content-type': 'application/json' },
      payload: '{"a":',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('ERR_MALFORMED_BODY');
  });

  it('answers a body over the limit with a 413 problem', async () => {
    const { service } = make({ bodyLimit: 1024 });
    service.app.post('/x', async () => ({}));
    const res = await service.app.inject({ method: 'POST', url: '/x', payload: { big: 'x'.repeat(2048) } });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('ERR_BODY_TOO_LARGE');
  });

  it('answers a thrown error with a 500 that carries no internals, and logs them', async () => {
    const { service, logs } = make();
    service.app.get('/boom', async () => {
      const error = new Error(
        'duplicate key value violates unique constraint "users_pkey" SELECT * FROM users',
      );
      (error as Error & { code: string }).code = '23505';
      throw error;
    });
    const res = await service.app.inject({ method: 'GET', url: '/boom' });
    expect(res.statusCode).toBe(500);
    const text = res.body;
    const body = res.json();
    expect(body).toMatchObject({
      code: 'ERR_INTERNAL',
      status: 500,
      detail: 'An unexpected error occurred.',
    });
    for (const leak of ['duplicate key', 'SELECT', 'users_pkey', '23505', 'at ', '.ts:']) {
      expect(text).not.toContain(leak);
    }
    const logged = logs.find((l) => l.msg === 'request failed') as { err: { stack: string } } | undefined;
    expect(logged?.err.stack).toContain('duplicate key');
  });
});

describe('createService: request context', () => {
  it('continues the caller trace with a new span and keeps a safe request id', async () => {
    const { service } = make();
    service.app.get('/ctx', async () => currentContext());
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await service.app.inject({
      method: 'GET',
      url: '/ctx',
      headers: {
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
        tracestate: 'a=1',
        'x-request-id': 'req-123',
      },
    });
    const ctx = res.json();
    expect(ctx.requestId).toBe('req-123');
    expect(res.headers['x-request-id']).toBe('req-123');
    expect(ctx.trace.traceId).toBe(traceId);
    expect(ctx.trace.parentSpanId).toBe('00f067aa0ba902b7');
    expect(ctx.trace.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(ctx.trace.spanId).not.toBe('00f067aa0ba902b7');
    expect(ctx.trace.flags).toBe(1);
    expect(ctx.trace.tracestate).toEqual([['a', '1']]);
  });

  it('starts a new trace for an invalid traceparent and replaces an unsafe request id', async () => {
    const { service } = make();
    service.app.get('/ctx', async () => currentContext());
    const res = await service.app.inject({
      method: 'GET',
      url: '/ctx',
      headers: {
        traceparent: `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`,
        'x-request-id': 'bad id\nwith newline',
      },
    });
    const ctx = res.json();
    expect(ctx.trace.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(ctx.trace.traceId).not.toBe('0'.repeat(32));
    expect(ctx.trace.parentSpanId).toBeUndefined();
    expect(ctx.requestId).not.toContain(' ');
    // A new request id: 128 random bits, as hex, and a different one for the next request.
    expect(ctx.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(res.headers['x-request-id']).toBe(ctx.requestId);
    const next = await service.app.inject({ url: '/ctx' });
    expect(next.json().requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(next.json().requestId).not.toBe(ctx.requestId);
  });

  it('refuses work whose caller deadline has already passed', async () => {
    const { service } = make();
    let ran = false;
    service.app.get('/work', async () => {
      ran = true;
      return {};
    });
    const res = await service.app.inject({
      method: 'GET',
      url: '/work',
      headers: { 'x-interlink-deadline': String(Date.now() - 1000) },
    });
    expect(res.statusCode).toBe(504);
    expect(res.json().code).toBe('ERR_DEADLINE_EXCEEDED');
    expect(ran).toBe(false);
  });

  it('gives the handler an abort signal that fires at the caller deadline', async () => {
    const { service } = make();
    service.app.get('/wait', async () => {
      const signal = currentContext()?.signal;
      await new Promise((resolve) => signal?.addEventListener('abort', resolve, { once: true }));
      return { aborted: signal?.aborted, reason: (signal?.reason as { code?: string })?.code };
    });
    const res = await service.app.inject({
      method: 'GET',
      url: '/wait',
      headers: { 'x-interlink-deadline': String(Date.now() + 1000) },
    });
    expect(res.json()).toEqual({ aborted: true, reason: 'ERR_DEADLINE_EXCEEDED' });
  });

  it('a handler that reads the signal only after its caller hung up finds it aborted', async () => {
    const { service } = make();
    let entered: (() => void) | undefined;
    const inHandler = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let seen: ((value: { aborted?: boolean; reason?: string }) => void) | undefined;
    const outcome = new Promise<{ aborted?: boolean; reason?: string }>((resolve) => {
      seen = resolve;
    });
    service.app.get('/late', async (request) => {
      const closed = new Promise((resolve) => request.raw.socket.once('close', resolve));
      entered?.();
      // The signal is not read until the caller's connection has closed.
      await closed;
      await new Promise((resolve) => setImmediate(resolve));
      const signal = currentContext()?.signal;
      seen?.({ aborted: signal?.aborted, reason: (signal?.reason as Error | undefined)?.message });
      return {};
    });
    const address = await service.listen({ port: 0, handleSignals: false });
    const caller = new AbortController();
    const call = fetch(`${address}/late`, {
      headers: { 'x-interlink-deadline': String(Date.now() + 60_000) },
      signal: caller.signal,
    }).catch(() => undefined);
    await inHandler;
    caller.abort();
    await call;
    expect(await outcome).toEqual({ aborted: true, reason: 'The caller went away before its deadline' });
  });
});

describe('createService: caller deadlines', () => {
  it('refuses a deadline more than a day ahead with a 400 problem; a day ahead is accepted', async () => {
    const { service } = make();
    let ran = 0;
    service.app.get('/work', async () => {
      ran++;
      return { left: (currentContext()?.deadline ?? 0) - Date.now() };
    });
    const at = (deadline: number) =>
      service.app.inject({ url: '/work', headers: { 'x-interlink-deadline': String(deadline) } });
    // Past 2^31 ms a Node timer fires after 1 ms (TimeoutOverflowWarning): such a call was aborted at once.
    for (const ahead of [MAX_DEADLINE_AHEAD_MS + 1000, 2 ** 31 + 10]) {
      const res = await at(Date.now() + ahead);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().code).toBe('ERR_DEADLINE_TOO_FAR');
    }
    expect(ran).toBe(0);
    const ok = await at(Date.now() + MAX_DEADLINE_AHEAD_MS - 1000);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().left).toBeGreaterThan(MAX_DEADLINE_AHEAD_MS - 60_000);
  });

  it('a deadline already past is a quiet 504: logged at info, never at error level', async () => {
    const lines = logLines();
    const { service } = make({
      logger: createLogger({ name: 'test', destination: lines.stream, level: 'info' }),
    });
    service.app.get('/work', async () => ({}));
    const res = await service.app.inject({
      url: '/work',
      headers: { 'x-interlink-deadline': String(Date.now() - 1000) },
    });
    expect(res.statusCode).toBe(504);
    expect(res.json().code).toBe('ERR_DEADLINE_EXCEEDED');
    expect(lines.out.filter((line) => Number(line.level) >= 50)).toEqual([]);
    expect(lines.out).toContainEqual(expect.objectContaining({ code: 'ERR_DEADLINE_EXCEEDED', status: 504 }));
  });
});

describe('createService: health, readiness, metrics', () => {
  it('is live and ready with no checks, and not ready while a check fails', async () => {
    const { service } = make();
    expect((await service.app.inject({ url: '/health' })).json()).toEqual({ status: 'ok' });
    let redisUp = true;
    service.addReadinessCheck('redis', async () => {
      if (!redisUp) throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
    });
    expect((await service.app.inject({ url: '/ready' })).statusCode).toBe(200);
    redisUp = false;
    const res = await service.app.inject({ url: '/ready' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'ERR_NOT_READY', checks: { redis: 'down' } });
    expect(res.body).not.toContain('ECONNREFUSED');
  });

  it('counts a check that hangs as down once its timeout passes', async () => {
    const { service } = make({ readinessTimeoutMs: 50 });
    service.addReadinessCheck('slow', () => new Promise(() => {}));
    const res = await service.app.inject({ url: '/ready' });
    expect(res.statusCode).toBe(503);
    expect(res.json().checks).toEqual({ slow: 'down' });
  });

  it('records request durations by route template', async () => {
    const { service } = make();
    service.app.get('/orders/:id', async () => ({}));
    await service.app.inject({ url: '/orders/1' });
    await service.app.inject({ url: '/orders/2' });
    const text = (await service.app.inject({ url: '/metrics' })).body;
    const line = text
      .split('\n')
      .find((l) => l.startsWith('http_request_duration_seconds_count{') && l.includes('route="/orders/:id"'));
    expect(line).toContain('method="GET"');
    expect(line).toContain('status_code="200"');
    expect(line).toContain('service="test"');
    expect(line?.endsWith(' 2')).toBe(true);
    expect(text).toContain('process_cpu_seconds_total');
  });

  it('labels requests that no route matched as unmatched, also when a handler calls callNotFound', async () => {
    const { service } = make();
    service.app.get('/gone/:id', async (_request, reply) => reply.callNotFound());
    await service.app.inject({ url: '/nowhere' });
    await service.app.inject({ url: '/gone/1' });
    const text = (await service.app.inject({ url: '/metrics' })).body;
    const counts = text.split('\n').filter((l) => l.startsWith('http_request_duration_seconds_count{'));
    expect(counts.find((l) => l.includes('route="unmatched"') && l.includes('status_code="404"'))).toMatch(
      / 2$/,
    );
    expect(counts.some((l) => l.includes('route="/gone/:id"'))).toBe(false);
  });

  it('keeps each service on its own registry', async () => {
    const a = make().service;
    const b = make().service;
    a.app.get('/only-a', async () => ({}));
    await a.app.inject({ url: '/only-a' });
    expect((await b.app.inject({ url: '/metrics' })).body).not.toContain('/only-a');
  });

  it('requires the bearer token for /metrics when one is configured', async () => {
    const { service } = make({ metrics: { token: 'metrics-token-0123456789' } });
    expect((await service.app.inject({ url: '/metrics' })).statusCode).toBe(401);
    const wrong = await service.app.inject({ url: '/metrics', headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(401);
    const ok = await service.app.inject({
      url: '/metrics',
      headers: { authorization: 'Bearer metrics-token-0123456789' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('http_request_duration_seconds');
  });

  it('serves /metrics on its own port when configured, and not on the public one', async () => {
    const { service } = make({ metrics: { port: 0 } });
    const address = await service.listen({ port: 0, handleSignals: false });
    expect((await fetch(`${address}/metrics`)).status).toBe(404);
    const res = await fetch(`${service.metricsAddress()}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('process_cpu_seconds_total');
  });

  it('refuses to start in production with open metrics', () => {
    expect(() => createService({ name: 'prod', production: true })).toThrow(
      expect.objectContaining({
        code: 'ERR_CONFIG_INVALID',
        message: expect.stringMatching(/metrics\.port.*metrics\.token/),
      }),
    );
  });

  it('refuses a production metrics token shorter than 32 characters', () => {
    expect(() =>
      createService({ name: 'prod', production: true, metrics: { token: 'short-token' } }),
    ).toThrow(expect.objectContaining({ code: 'ERR_CONFIG_INVALID' }));
    expect(() =>
      createService({
        name: 'prod',
        production: true,
        metrics: { token: 'x'.repeat(32) },
        logLevel: 'silent',
      }),
    ).not.toThrow();
  });
});

describe('createService: graceful shutdown', () => {
  it('lets an in-flight request finish, refuses new work, then closes resources in reverse order', async () => {
    const { service } = make();
    const closed: string[] = [];
    service.onClose('database', () => {
      closed.push('database');
    });
    service.onClose('broker', async () => {
      closed.push('broker');
    });
    let release!: () => void;
    const started = new Promise<void>((resolveStarted) => {
      service.app.get('/slow', async () => {
        resolveStarted();
        await new Promise<void>((r) => {
          release = r;
        });
        return { done: true };
      });
    });
    const address = await service.listen({ port: 0, handleSignals: false });
    const inFlight = fetch(`${address}/slow`).then(async (r) => ({ status: r.status, body: await r.json() }));
    await started;
    const closing = service.close();
    expect(closed).toEqual([]);
    await expect(fetch(`${address}/health`)).rejects.toThrow();
    release();
    expect(await inFlight).toEqual({ status: 200, body: { done: true } });
    await closing;
    expect(closed).toEqual(['broker', 'database']);
  });

  it('stops waiting for a request that outlives the shutdown timeout', async () => {
    const { service } = make({ shutdownTimeoutMs: 100 });
    const closed: string[] = [];
    service.onClose('pool', () => {
      closed.push('pool');
    });
    // Close only once the request is in the handler: a request that arrives while closing gets a 503.
    let arrived!: () => void;
    const inHandler = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    service.app.get('/stuck', () => {
      arrived();
      return new Promise(() => {});
    });
    const address = await service.listen({ port: 0, handleSignals: false });
    const stuck = fetch(`${address}/stuck`).catch((error: Error) => error);
    await inHandler;
    await service.close();
    expect(closed).toEqual(['pool']);
    expect(await stuck).toBeInstanceOf(Error);
  });
});

describe('createService: typed routes', () => {
  it('types params, query and body from their TypeBox schemas and validates them', async () => {
    const { service } = make();
    service.app.post(
      '/orders/:orderId/items',
      {
        schema: {
          params: Type.Object({ orderId: Type.String({ format: 'uuid' }) }),
          querystring: Type.Object({ dryRun: Type.Optional(Type.Boolean()) }),
          body: Type.Object({ sku: Type.String(), quantity: Type.Integer({ minimum: 1 }) }),
        },
      },
      // No generic and no cast: these property reads compile only with the TypeBox type provider.
      async (request) => ({
        orderId: request.params.orderId.toLowerCase(),
        dryRun: request.query.dryRun === true,
        total: request.body.quantity * 2,
      }),
    );
    const ok = await service.app.inject({
      method: 'POST',
      url: '/orders/6f1c2b3a-4e5f-4a6b-9c7d-8e9f0a1b2c3d/items?dryRun=true',
      payload: { sku: 'seat', quantity: 3 },
    });
    expect(ok.json()).toEqual({ orderId: '6f1c2b3a-4e5f-4a6b-9c7d-8e9f0a1b2c3d', dryRun: true, total: 6 });
    const bad = await service.app.inject({
      method: 'POST',
      url: '/orders/not-a-uuid/items',
      payload: { sku: 'seat', quantity: 0 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('ERR_VALIDATION');
  });
});
