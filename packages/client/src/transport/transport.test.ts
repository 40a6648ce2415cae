import { once } from 'node:events';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClientError } from '../errors/client-error.js';
import { clientFactory } from '../testing/client-factory.test.helper.js';
import { json, type RecordingUpstream, startUpstream } from '../testing/recording-upstream.test.helper.js';
import { rejection } from '../testing/rejection.test.helper.js';

let upstream: RecordingUpstream;
const client = clientFactory(() => ({ service: 'upstream', baseUrl: upstream.url, production: false }));

beforeAll(async () => {
  upstream = await startUpstream();
});
afterEach(async () => {
  upstream.requests.length = 0;
  upstream.handle((_req, res) => json(res, 200, { ok: true }));
});
afterAll(() => upstream.close());

describe('transport', () => {
  it('sends method, path, query and a JSON body, and parses the JSON answer', async () => {
    upstream.handle((_req, res, seen) => json(res, 201, { echo: JSON.parse(seen.body.toString()) }));
    const answer = await client().json<{ echo: unknown }>({
      method: 'post',
      path: '/orders',
      query: { a: 1, tags: ['x', 'y'], skip: undefined },
      json: { hello: 'world' },
      idempotencyKey: true,
    });
    expect(answer).toEqual({ echo: { hello: 'world' } });
    const seen = upstream.requests[0]!;
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe('/orders?a=1&tags=x&tags=y');
    expect(seen.headers['content-type']).toBe('application/json');
  });

  it('keeps connections alive across calls', async () => {
    const c = client();
    // undici may open a second socket while the first is being returned to the pool; after that
    // warm-up, sequential calls must reuse what is open.
    await c.json({ path: '/warm' });
    await c.json({ path: '/warm' });
    const before = upstream.connections;
    for (let i = 0; i < 10; i++) await c.json({ path: '/ping' });
    expect(upstream.connections - before).toBe(0);
    expect(new Set(upstream.requests.map((r) => r.socket)).size).toBeLessThanOrEqual(2);
  });

  it('does not pipeline: a second call waits for the first answer instead of sharing its socket', async () => {
    const held: Array<() => void> = [];
    upstream.handle((_req, res) => {
      held.push(() => json(res, 200, { ok: true }));
    });
    const c = client({ transportOptions: { connections: 1 } });
    const first = c.json({ path: '/one' });
    const second = c.json({ path: '/two' });
    while (upstream.requests.length < 1) await new Promise((r) => setTimeout(r, 5));
    // With pipelining the second request would already be on the socket behind the first.
    await new Promise((r) => setTimeout(r, 50));
    expect(upstream.requests.map((r) => r.url)).toEqual(['/one']);
    held.shift()!();
    await first;
    while (upstream.requests.length < 2) await new Promise((r) => setTimeout(r, 5));
    held.shift()!();
    await second;
    expect(upstream.requests.map((r) => r.url)).toEqual(['/one', '/two']);
  });

  it('raises ERR_UPSTREAM_TIMEOUT when the headers do not come in time', async () => {
    upstream.handle(() => undefined);
    const error = await rejection(client({ retry: false }).json({ path: '/slow', headersTimeoutMs: 100 }));
    expect(error).toBeInstanceOf(ClientError);
    expect(error.code).toBe('ERR_UPSTREAM_TIMEOUT');
    expect(error.extensions?.reason).toBe('headers');
  });

  it('raises ERR_UPSTREAM_TIMEOUT when the body stalls', async () => {
    upstream.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"partial":');
    });
    const error = await rejection(client().json({ path: '/stall', bodyTimeoutMs: 100 }));
    expect(error.code).toBe('ERR_UPSTREAM_TIMEOUT');
  });

  it('aborts an in-flight call when the caller aborts, and the upstream sees the connection go', async () => {
    let closed: Promise<unknown> | undefined;
    upstream.handle((_req, _res, seen) => {
      closed = once(seen.socket, 'close');
    });
    const controller = new AbortController();
    const pending = client().json({ path: '/abort', signal: controller.signal });
    while (upstream.requests.length < 1) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    const error = await rejection(pending);
    expect(error.code).toBe('ERR_CLIENT_ABORTED');
    await closed;
  });

  it('sends nothing when the caller has already aborted', async () => {
    upstream.handle((_req, res) => json(res, 200, { ok: true }));
    const error = await rejection(client().json({ path: '/never', signal: AbortSignal.abort() }));
    expect(error.code).toBe('ERR_CLIENT_ABORTED');
    expect(upstream.requests).toHaveLength(0);
  });

  it('streams response bodies: the first chunk arrives before the upstream has finished', async () => {
    let finish: (() => void) | undefined;
    upstream.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first;');
      finish = () => res.end('last');
    });
    const response = await client().request({ path: '/stream' });
    const iterator = response.body[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(Buffer.from(first.value as Buffer).toString()).toBe('first;');
    finish!();
    let rest = '';
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) rest += next.value;
    expect(rest).toBe('last');
  });

  it("keeps the call's deadline over a streamed body the caller is still reading", async () => {
    upstream.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first;'); // and nothing more: only the deadline can end this read
    });
    // The body timeout is far off, so only the deadline can end the read within the test's time.
    const response = await client().request({ path: '/stream-stall', timeoutMs: 300, bodyTimeoutMs: 60_000 });
    const error = await (async () => {
      for await (const _chunk of response.body) {
        // Reading until the deadline cuts the body off.
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(response.body.destroyed).toBe(true);
  });

  it('streams request bodies and does not retry them', async () => {
    upstream.handle((_req, res, seen) => json(res, 503, { size: seen.body.length }));
    const body = Readable.from([Buffer.alloc(1000, 1), Buffer.alloc(1000, 2)]);
    const error = await rejection(client().request({ method: 'PUT', path: '/upload', body }));
    expect(error.code).toBe('ERR_UPSTREAM_STATUS');
    expect(upstream.requests).toHaveLength(1);
    expect(upstream.requests[0]!.body.length).toBe(2000);
  });

  it('raises ERR_UPSTREAM_UNAVAILABLE when nothing listens', async () => {
    const closed = await startUpstream();
    await closed.close();
    const c = client({ service: 'gone', baseUrl: closed.url, retry: false });
    const error = await rejection(c.json({ path: '/' }));
    expect(error.code).toBe('ERR_UPSTREAM_UNAVAILABLE');
  });

  it('refuses a path that would leave the base URL', async () => {
    const error = await rejection(client().json({ path: '//evil.example/x' }));
    expect(error.code).toBe('ERR_CLIENT_REQUEST_INVALID');
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('response limits', () => {
  it('refuses a JSON answer larger than maxResponseBytes, declared or chunked', async () => {
    upstream.handle((req, res) => {
      const body = JSON.stringify({ data: 'x'.repeat(1000) });
      if (req.url === '/declared') json(res, 200, JSON.parse(body));
      else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(body.slice(0, 500));
        res.end(body.slice(500));
      }
    });
    for (const path of ['/declared', '/chunked']) {
      const error = await rejection(client().json({ path, maxResponseBytes: 100 }));
      expect(error.code).toBe('ERR_UPSTREAM_RESPONSE_INVALID');
      expect(await client().json({ path, maxResponseBytes: 10_000 })).toEqual({ data: 'x'.repeat(1000) });
    }
  });

  it('raises ERR_UPSTREAM_RESPONSE_INVALID for a 2xx answer that is not JSON', async () => {
    upstream.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>proxy error page</html>');
    });
    const error = await rejection(client().json({ path: '/html' }));
    expect(error.code).toBe('ERR_UPSTREAM_RESPONSE_INVALID');
    expect(error.message).not.toContain('proxy error page');
  });
});
