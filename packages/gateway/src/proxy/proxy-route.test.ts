import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { startTestGateway, type TestGateway } from '@interlink/testing/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAFE_PATHS, TRAVERSALS } from './traversal-cases.test.helper.js';

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
let limitedGw: TestGateway;

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
  limitedGw = await startTestGateway({ users: gw.users, upstream: { url: upstreamUrl, maxBodyBytes: 1024 } });
});

afterAll(async () => {
  for (const g of [gw, slowGw, downGw, limitedGw]) await g?.close();
  upstream.closeAllConnections();
  await new Promise((r) => upstream.close(r));
});

const jwt = () => gw.users.mint({ userId: 'u1', tenantId: 't1' });

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends a request exactly as written (fetch and http.get would normalize `..` themselves, and
 * always finish a body): `head` is the method and target, `body` what follows the headers, sent as
 * it is (a chunked body may be left unfinished). Resolves once the response is complete.
 */
function raw(base: string, head: string, headers: Record<string, string>, body = ''): Promise<RawResponse> {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => {
      const lines = [`${head} HTTP/1.1`, 'host: gateway', 'connection: close'];
      for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
      socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
    });
    let text = '';
    const parse = (): RawResponse | undefined => {
      const end = text.indexOf('\r\n\r\n');
      if (end === -1) return undefined;
      const [statusLine, ...fields] = text.slice(0, end).split('\r\n');
      const parsed: Record<string, string> = {};
      for (const field of fields) {
        const colon = field.indexOf(':');
        parsed[field.slice(0, colon).toLowerCase()] = field.slice(colon + 1).trim();
      }
      return { status: Number(statusLine!.slice(9, 12)), headers: parsed, body: text.slice(end + 4) };
    };
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      text += chunk;
      const response = parse();
      const length = Number(response?.headers['content-length']);
      if (response && Buffer.byteLength(response.body) >= length) {
        socket.destroy();
        resolve(response);
      }
    });
    socket.on('end', () => resolve(parse() ?? { status: 0, headers: {}, body: text }));
    socket.on('error', reject);
    socket.setTimeout(3000, () => {
      socket.destroy();
      resolve({ status: 0, headers: {}, body: `timed out after: ${text}` });
    });
  });
}

/** A POST that announces `length` body bytes and sends none: the answer cannot wait for the body. */
async function announceBody(target: TestGateway, length: number, headers: Record<string, string> = {}) {
  return raw(target.url, 'POST /api/orders', {
    authorization: `Bearer ${await jwt()}`,
    'content-type': 'application/octet-stream',
    'content-length': String(length),
    ...headers,
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

  it('refuses traversal in every encoding by its own check, without calling the upstream (seed 003 finding 9)', async () => {
    const authorization = `Bearer ${await jwt()}`;
    seen.length = 0;
    for (const { path, code = 'ERR_GATEWAY_PATH_REJECTED' } of TRAVERSALS) {
      const res = await raw(gw.url, `GET ${path}`, { authorization });
      const problem = res.body.startsWith('{') ? (JSON.parse(res.body) as { code: string }).code : res.body;
      expect({ path, status: res.status, code: problem }).toEqual({ path, status: 400, code });
      expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    }
    expect(seen).toEqual([]);
    for (const path of SAFE_PATHS) {
      const ok = await raw(gw.url, `GET ${path}`, { authorization });
      expect({ path, status: ok.status }).toEqual({ path, status: 200 });
      expect(seen.at(-1)!.url).toBe(path.slice('/api'.length));
    }
  });

  it('answers a malformed percent-escape in the query or path with a 400 problem and the usual headers', async () => {
    const authorization = `Bearer ${await jwt()}`;
    const usual = await raw(gw.url, 'GET /health', {});
    const securityHeaders = Object.fromEntries(
      [
        'content-security-policy',
        'x-content-type-options',
        'x-frame-options',
        'strict-transport-security',
      ].map((name) => [name, usual.headers[name]]),
    );
    expect(securityHeaders['x-content-type-options']).toBe('nosniff');
    seen.length = 0;
    for (const target of [
      '/api/x?x=%',
      '/api/x?%zz=1',
      '/api/orders?a=1&b=%2',
      '/%',
      '/api/%',
      '/health/%',
      '/api/%ff',
    ]) {
      const res = await raw(gw.url, `GET ${target}`, { authorization, 'x-request-id': 'req-malformed-1' });
      expect({ target, status: res.status }).toEqual({ target, status: 400 });
      expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(res.headers['x-request-id']).toBe('req-malformed-1');
      expect(res.headers).toMatchObject(securityHeaders);
      expect(JSON.parse(res.body)).toMatchObject({
        status: 400,
        code: 'ERR_GATEWAY_URL_MALFORMED',
        requestId: 'req-malformed-1',
      });
    }
    expect(seen).toEqual([]);
    // Well-formed escapes of any bytes go upstream as sent, undecoded.
    const bytes = await raw(gw.url, 'GET /api/orders?x=%ff&y=%2', { authorization });
    expect(bytes.status).toBe(400);
    const ok = await raw(gw.url, 'GET /api/orders?x=%ff&y=%25', { authorization });
    expect(ok.status).toBe(200);
    expect(seen.map((r) => r.url)).toEqual(['/orders?x=%ff&y=%25']);
  });

  it('refuses a body over the limit by its Content-Length, before reading it', async () => {
    seen.length = 0;
    const res = await announceBody(limitedGw, 1025, { 'x-request-id': 'req-too-large-1' });
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(res.headers['x-request-id']).toBe('req-too-large-1');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(JSON.parse(res.body)).toMatchObject({
      status: 413,
      code: 'ERR_GATEWAY_BODY_TOO_LARGE',
      maxBodyBytes: 1024,
    });
    expect(seen).toEqual([]);
  });

  it('stops a chunked body as soon as it passes the limit, and forwards one of exactly the limit', async () => {
    const authorization = `Bearer ${await jwt()}`;
    const headers = { authorization, 'content-type': 'text/plain', 'transfer-encoding': 'chunked' };
    const chunk = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;
    seen.length = 0;
    // 1,200 bytes and no last chunk: the refusal comes while the body is still open.
    const over = await raw(
      limitedGw.url,
      'POST /api/orders',
      headers,
      chunk('a'.repeat(600)) + chunk('b'.repeat(600)),
    );
    expect(over.status).toBe(413);
    expect(JSON.parse(over.body).code).toBe('ERR_GATEWAY_BODY_TOO_LARGE');
    expect(seen).toEqual([]);
    const exact = 'c'.repeat(1000) + 'd'.repeat(24);
    const ok = await raw(
      limitedGw.url,
      'POST /api/orders',
      headers,
      `${chunk(exact.slice(0, 512))}${chunk(exact.slice(512))}0\r\n\r\n`,
    );
    expect(ok.status).toBe(200);
    expect(seen.map((r) => [r.body, r.headers['content-length'], r.headers['content-type']])).toEqual([
      [exact, '1024', 'text/plain'],
    ]);
  });

  it('limits bodies to 1 MiB by default', async () => {
    const authorization = `Bearer ${await jwt()}`;
    seen.length = 0;
    const over = await announceBody(gw, 1024 * 1024 + 1);
    expect(over.status).toBe(413);
    expect(JSON.parse(over.body)).toMatchObject({
      code: 'ERR_GATEWAY_BODY_TOO_LARGE',
      maxBodyBytes: 1024 * 1024,
    });
    const ok = await fetch(`${gw.url}/api/orders`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/octet-stream' },
      body: Buffer.alloc(1024 * 1024, 'e'),
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, bodyLength: 1024 * 1024 });
    expect(seen).toHaveLength(1);
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
    // Over the limit, the gateway answers before reading a body: this one announces a body and never
    // sends it, and still gets its 429 (read after the body, it would wait for the request timeout).
    const { hostname, port } = new URL(limited.url);
    const socket = net.connect(Number(port), hostname);
    const answer = new Promise<string>((resolve) =>
      socket.once('data', (chunk) => resolve(chunk.toString())),
    );
    socket.write(
      `POST /api/orders HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${await gw.users.mint({ userId: 'u1', tenantId: 't1' })}\r\n` +
        'content-type: application/json\r\ncontent-length: 100\r\n\r\n',
    );
    expect(await answer).toMatch(/^HTTP\/1\.1 429 .*"code":"ERR_RATE_LIMITED"/s);
    socket.destroy();
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
