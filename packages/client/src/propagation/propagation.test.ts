import { DEADLINE_HEADER, parseTraceparent, type RequestContext, runWithContext } from '@interlink/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceClient, type ServiceClient } from '../client/create-service-client.js';
import { type RecordingUpstream, startUpstream } from '../testing/recording-upstream.test.helper.js';

let upstream: RecordingUpstream;
let client: ServiceClient;

beforeAll(async () => {
  upstream = await startUpstream();
  client = createServiceClient({ service: 'upstream', baseUrl: upstream.url, production: false });
});
afterAll(async () => {
  await client.close();
  await upstream.close();
});

function context(overrides: Partial<RequestContext> = {}): RequestContext {
  return {
    requestId: 'req-123',
    trace: {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      flags: 1,
      tracestate: [
        ['rojo', '00f067aa0ba902b7'],
        ['congo', 't61rcWkgMzE'],
      ],
    },
    tenantId: 'tenant-from-context',
    principal: {
      kind: 'user',
      userId: 'user-7',
      tenantId: 'tenant-9',
      roles: [],
      permissions: [],
      scheme: 'jwt',
    },
    ...overrides,
  };
}

describe('propagation from the request context', () => {
  it('sends the trace with a new span id, tracestate, request id, tenant and user of the principal', async () => {
    const ctx = context();
    await runWithContext(ctx, () => client.json({ path: '/p' }));
    const seen = upstream.requests.at(-1)!.headers;
    const parent = parseTraceparent(seen.traceparent as string)!;
    expect(parent.traceId).toBe(ctx.trace.traceId);
    expect(parent.parentId).not.toBe(ctx.trace.spanId);
    expect(parent.flags).toBe(1);
    expect(seen.tracestate).toBe('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
    expect(seen['x-request-id']).toBe('req-123');
    expect(seen['x-tenant-id']).toBe('tenant-9');
    expect(seen['x-user-id']).toBe('user-7');
  });

  it("sends the caller's deadline when it is earlier than the call's own budget", async () => {
    const deadline = Date.now() + 3_000;
    await runWithContext(context({ deadline }), () => client.json({ path: '/p', timeoutMs: 60_000 }));
    expect(upstream.requests.at(-1)!.headers[DEADLINE_HEADER]).toBe(String(deadline));
  });

  it("sends the call's own deadline when it is earlier than the caller's", async () => {
    const callerDeadline = Date.now() + 60_000;
    const before = Date.now();
    await runWithContext(context({ deadline: callerDeadline }), () =>
      client.json({ path: '/p', timeoutMs: 1_000 }),
    );
    const sent = Number(upstream.requests.at(-1)!.headers[DEADLINE_HEADER]);
    expect(sent).toBeGreaterThanOrEqual(before + 1_000);
    expect(sent).toBeLessThan(callerDeadline);
  });

  it('sends each call its own deadline, calls started together with different budgets included', async () => {
    const before = Date.now();
    await Promise.all([
      client.json({ path: '/short', timeoutMs: 5_000 }),
      client.json({ path: '/long', timeoutMs: 9_000 }),
    ]);
    const sent = (path: string) =>
      Number(upstream.requests.findLast((r) => r.url === path)!.headers[DEADLINE_HEADER]);
    expect(sent('/short')).toBeGreaterThanOrEqual(before + 5_000);
    // The long call started no earlier than the short one: its deadline is 4 s later or more.
    expect(sent('/long') - sent('/short')).toBeGreaterThanOrEqual(4_000);
  });

  it('starts a new trace, and sends no request id or identity, outside of a request context', async () => {
    await client.json({ path: '/p' });
    const first = upstream.requests.at(-1)!.headers;
    await client.json({ path: '/p' });
    const second = upstream.requests.at(-1)!.headers;
    const a = parseTraceparent(first.traceparent as string)!;
    const b = parseTraceparent(second.traceparent as string)!;
    expect(a.traceId).not.toBe(b.traceId);
    expect(first['x-request-id']).toBeUndefined();
    expect(first['x-tenant-id']).toBeUndefined();
    expect(first[DEADLINE_HEADER]).toBeDefined();
  });

  it('sends an explicit tenant and user given to a call made outside of a context', async () => {
    await client.json({ path: '/p', tenantId: 't-job', userId: 'u-job' });
    const seen = upstream.requests.at(-1)!.headers;
    expect(seen['x-tenant-id']).toBe('t-job');
    expect(seen['x-user-id']).toBe('u-job');
  });
});

describe('many calls under one request context', () => {
  it('share one listener on the context signal: no EventTarget leak warning, and all abort with it', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    const controller = new AbortController();
    const held: Array<() => void> = [];
    upstream.handle((_req, res) => {
      held.push(() => res.end('{}'));
    });
    try {
      const ctx = context({ deadline: Date.now() + 60_000, signal: controller.signal });
      const calls = runWithContext(ctx, () =>
        Array.from({ length: 20 }, (_, i) => client.json({ path: `/fan/${i}` }).catch((e: unknown) => e)),
      );
      while (held.length < 20) await new Promise((r) => setTimeout(r, 5));
      controller.abort();
      const results = await Promise.all(calls);
      expect(results.map((e) => (e as { code?: string }).code)).toEqual(
        Array(20).fill('ERR_UPSTREAM_TIMEOUT'),
      );
      await new Promise((r) => setImmediate(r));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      for (const release of held) release();
      upstream.handle((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      });
    }
  });
});
