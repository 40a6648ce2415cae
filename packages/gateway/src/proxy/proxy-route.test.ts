import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { startTestGateway, type TestGateway } from '@interlink/testing/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const seen: Seen[] = [];
let releaseStream: () => void = () => {};
let upstream: http.Server;
let upstreamUrl: string;
let gw: TestGateway;
let slowGw: TestGateway;
let downGw: TestGateway;

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      if (req.url === '/slow') return; // never answers
      if (req.url === '/stream') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('first;');
        // The second chunk is only written after the client has read the first: proves streaming.
        releaseStream = () => res.end('second');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, bodyLength: body.length }));
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  gw = await startTestGateway({
    upstream: {
      url: upstreamUrl,
      signRequest: async ({ method, url, headers }) => ({
        signature: `test=:${Buffer.from(`${method} ${url} ${headers['x-tenant-id']}`).toString('base64')}:`,
      }),
    },
  });
  slowGw = await startTestGateway({ users: gw.users, upstream: { url: upstreamUrl, timeoutMs: 200 } });
  downGw = await startTestGateway({ users: gw.users, upstream: { url: 'http://127.0.0.1:9' } });
});

afterAll(async () => {
  for (const g of [gw, slowGw, downGw]) await g?.close();
  upstream.closeAllConnections();
  await new Promise((r) => upstream.close(r));
});

const jwt = () => gw.users.mint({ userId: 'u1', tenantId: 't1' });

/** Sends a request line exactly as written: fetch and http.get would normalize `..` themselves. */
function raw(
  base: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => {
      const lines = [`GET ${path} HTTP/1.1`, 'host: gateway', 'connection: close'];
      for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    });
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk) => {
      text += chunk;
    });
    socket.on('end', () => {
      const status = Number(text.slice(9, 12));
      resolve({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
    socket.on('error', reject);
    socket.setTimeout(3000, () => {
      socket.destroy();
      resolve({ status: 0, body: `timed out after: ${text}` });
    });
  });
}

describe('ALL /api/*', () => {
  it('forwards the verified identity and strips what the client claims (seed 003 finding 4)', async () => {
    seen.length = 0;
    const res = await fetch(`${gw.url}/api/orders/42?expand=items`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await jwt()}`,
        'content-type': 'application/json',
        'x-tenant-id': 'other-tenant',
        'x-user-id': 'admin',
        'x-internal-service': 'true',
        'x-service-token': 'forged',
        signature: 'forged',
        'signature-input': 'forged',
        cookie: 'session=1',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      },
      body: JSON.stringify({ qty: 2 }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, bodyLength: 9 });
    const [request] = seen;
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe('/orders/42?expand=items');
    expect(request!.body).toBe('{"qty":2}');
    expect(request!.headers['x-tenant-id']).toBe('t1');
    expect(request!.headers['x-user-id']).toBe('u1');
    // The trace continues, with the gateway's span as the upstream's parent.
    expect(request!.headers.traceparent).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    expect(request!.headers.traceparent).not.toContain('b7ad6b7169203331');
    for (const name of [
      'x-internal-service',
      'x-service-token',
      'signature-input',
      'cookie',
      'authorization',
    ]) {
      expect(request!.headers[name]).toBeUndefined();
    }
    // Seed 003 finding 16: the upstream request carries the signer's headers, not the client's.
    expect(request!.headers.signature).toBe(
      `test=:${Buffer.from(`POST ${upstreamUrl}/orders/42?expand=items t1`).toString('base64')}:`,
    );
  });

  it('streams the response as the upstream writes it', async () => {
    const res = await fetch(`${gw.url}/api/stream`, { headers: { authorization: `Bearer ${await jwt()}` } });
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(Buffer.from(first.value!).toString()).toBe('first;');
    releaseStream();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      rest += Buffer.from(chunk.value).toString();
    }
    expect(rest).toBe('second');
  });

  it('refuses traversal in every encoding without calling the upstream (seed 003 finding 9)', async () => {
    const authorization = `Bearer ${await jwt()}`;
    seen.length = 0;
    for (const path of [
      '/api/../admin',
      '/api/orders/../../admin',
      '/api/%2e%2e/admin',
      '/api/%2E%2E/admin',
      '/api/.%2e/admin',
      '/api/orders/..%2f..%2fadmin',
      '/api/%252e%252e/admin',
      '/api/%25252e%25252e/admin',
      '/api/orders\\..\\admin',
      '/api/orders%5c..%5cadmin',
      '/api//admin',
      '/api/orders/%2f%2fadmin',
      '/api/orders%00.json',
      '/api/./orders',
      '/api/%2525252e',
    ]) {
      const res = await raw(gw.url, path, { authorization });
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      if (res.body.startsWith('{'))
        expect(JSON.parse(res.body).code).toMatch(/^ERR_(GATEWAY_PATH_REJECTED|BAD_REQUEST)$/);
    }
    expect(seen).toEqual([]);
    // A normal encoded path still works.
    const ok = await raw(gw.url, '/api/orders/a%20b', { authorization });
    expect(ok.status).toBe(200);
    expect(seen.at(-1)!.url).toBe('/orders/a%20b');
  });

  it('limits requests per user after authentication', async () => {
    const limited = await startTestGateway({
      users: gw.users,
      upstream: { url: upstreamUrl },
      rateLimits: { apiPerUser: 2 },
    });
    const as = async (userId: string) =>
      (
        await fetch(`${limited.url}/api/orders`, {
          headers: { authorization: `Bearer ${await gw.users.mint({ userId, tenantId: 't1' })}` },
        })
      ).status;
    expect([await as('u1'), await as('u1'), await as('u1'), await as('u2')]).toEqual([200, 200, 429, 200]);
    await limited.close();
  });

  it('requires a user token', async () => {
    seen.length = 0;
    const res = await fetch(`${gw.url}/api/orders`);
    expect(res.status).toBe(401);
    expect(seen).toEqual([]);
  });

  it('turns upstream timeouts into 504 and unreachable upstreams into 502 problems', async () => {
    const authorization = `Bearer ${await jwt()}`;
    const slow = await fetch(`${slowGw.url}/api/slow`, { headers: { authorization } });
    expect(slow.status).toBe(504);
    expect(slow.headers.get('content-type')).toContain('application/problem+json');
    expect(((await slow.json()) as { code: string }).code).toBe('ERR_GATEWAY_UPSTREAM_TIMEOUT');
    const down = await fetch(`${downGw.url}/api/orders`, { headers: { authorization } });
    expect(down.status).toBe(502);
    expect(((await down.json()) as { code: string }).code).toBe('ERR_GATEWAY_UPSTREAM_FAILED');
  });
});
