import { AsyncLocalStorage } from 'node:async_hooks';
import diagnosticsChannel from 'node:diagnostics_channel';
import { once } from 'node:events';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_CHANNELS } from '../observability/diagnostics-channels.js';
import { clientFactory } from '../testing/client-factory.test.helper.js';
import { json, type RecordingUpstream, startUpstream } from '../testing/recording-upstream.test.helper.js';
import { rejection } from '../testing/rejection.test.helper.js';

// json() reads its answer through its own undici dispatch handler (send-buffered-attempt.ts):
// these are the ways a body can go wrong while that handler is collecting it.
let upstream: RecordingUpstream;
const client = clientFactory(() => ({ service: 'upstream', baseUrl: upstream.url, production: false }));

beforeAll(async () => {
  upstream = await startUpstream();
});
afterEach(() => {
  upstream.requests.length = 0;
  upstream.handle((_req, res) => json(res, 200, { ok: true }));
});
afterAll(() => upstream.close());

const waitForRequests = async (n: number) => {
  while (upstream.requests.length < n) await new Promise((r) => setTimeout(r, 5));
};

describe('json() over the buffered path', () => {
  it('stops reading a body that goes past maxResponseBytes, and cuts its connection', async () => {
    let closed: Promise<unknown> | undefined;
    let written = 0;
    upstream.handle((_req, res, seen) => {
      closed = once(seen.socket, 'close');
      res.writeHead(200, { 'content-type': 'application/json' });
      // An endless body: only the client's limit can end this call.
      const write = () => {
        if (seen.socket.destroyed) return;
        written += 1024;
        res.write('x'.repeat(1024), () => setImmediate(write));
      };
      write();
    });
    const error = await rejection(
      client({ retry: false }).json({ path: '/endless', maxResponseBytes: 4096 }),
    );
    expect(error.code).toBe('ERR_UPSTREAM_RESPONSE_INVALID');
    expect(error.message).toContain('too large');
    await closed;
    expect(written).toBeGreaterThan(4096);
  });

  it('raises ERR_UPSTREAM_TIMEOUT when the deadline passes while the body is arriving', async () => {
    let closed: Promise<unknown> | undefined;
    upstream.handle((_req, res, seen) => {
      closed = once(seen.socket, 'close');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"partial":'); // and nothing more: only the deadline can end this read
    });
    // The body timeout is far off, so only the deadline can end the read within the test's time.
    const error = await rejection(client().json({ path: '/drip', timeoutMs: 300, bodyTimeoutMs: 60_000 }));
    expect(error.code).toBe('ERR_UPSTREAM_TIMEOUT');
    expect(error.extensions?.reason).toBe('deadline');
    await closed;
    // The answer had its headers: the attempt succeeded there, and no retry reads the body again.
    expect(upstream.requests).toHaveLength(1);
  });

  it('raises ERR_UPSTREAM_UNAVAILABLE when the connection is cut in the middle of the body', async () => {
    upstream.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"cut":', () => res.socket?.destroy());
    });
    const error = await rejection(client().json({ path: '/cut' }));
    expect(error.code).toBe('ERR_UPSTREAM_UNAVAILABLE');
    expect(error.extensions?.reason).toBe('connection');
    expect(upstream.requests).toHaveLength(1);
  });

  it('reads the problem document of an error answer, and raises ERR_UPSTREAM_STATUS without one past 64 KiB', async () => {
    upstream.handle((req, res) =>
      req.url === '/small'
        ? json(res, 409, { code: 'ERR_TICKET_TAKEN', detail: 'taken' })
        : json(res, 409, { code: 'ERR_TICKET_TAKEN', detail: 'x'.repeat(70 * 1024) }),
    );
    const small = await rejection(client().json({ path: '/small' }));
    expect(small.code).toBe('ERR_UPSTREAM_STATUS');
    expect(small.upstream?.status).toBe(409);
    expect(small.upstream?.problem?.code).toBe('ERR_TICKET_TAKEN');
    const large = await rejection(client().json({ path: '/large' }));
    expect(large.code).toBe('ERR_UPSTREAM_STATUS');
    expect(large.upstream?.status).toBe(409);
    expect(large.upstream?.problem).toBeUndefined();
  });

  it('does not send a call its caller aborted while it waited for a socket', async () => {
    const held: Array<() => void> = [];
    upstream.handle((_req, res) => {
      held.push(() => json(res, 200, { ok: true }));
    });
    const c = client({ transportOptions: { connections: 1 } });
    const first = c.json({ path: '/one' });
    await waitForRequests(1);
    const controller = new AbortController();
    const second = c.json({ path: '/two', signal: controller.signal });
    controller.abort();
    held.shift()!();
    expect(await first).toEqual({ ok: true });
    const error = await rejection(second);
    expect(error.code).toBe('ERR_CLIENT_ABORTED');
    // A third call on the same socket goes through, and the aborted one never reached the upstream.
    upstream.handle((_req, res) => json(res, 200, { ok: 3 }));
    expect(await c.json({ path: '/three' })).toEqual({ ok: 3 });
    expect(upstream.requests.map((r) => r.url)).toEqual(['/one', '/three']);
  });

  it("ends each attempt in its caller's async context, not in that of the call that opened the socket", async () => {
    const store = new AsyncLocalStorage<string>();
    const seen: Array<string | undefined> = [];
    const onEnd = () => {
      seen.push(store.getStore());
    };
    diagnosticsChannel.subscribe(CLIENT_CHANNELS.attemptEnd, onEnd);
    try {
      const c = client({ transportOptions: { connections: 1 } });
      // The first call opens the one socket; the later ones are answered on it.
      await store.run('first', () => c.json({ path: '/a' }));
      await store.run('second', () => c.json({ path: '/b' }));
      upstream.handle((_req, res) => json(res, 503, {}));
      // Answered 503 three times: the retries run in the caller's context too.
      await rejection(store.run('third', () => c.json({ path: '/c' })));
    } finally {
      diagnosticsChannel.unsubscribe(CLIENT_CHANNELS.attemptEnd, onEnd);
    }
    expect(seen).toEqual(['first', 'second', 'third', 'third', 'third']);
  });
});
