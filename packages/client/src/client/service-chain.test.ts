import {
  createService,
  currentContext,
  PROBLEM_CONTENT_TYPE,
  type Service,
  updateContext,
} from '@interlink/core';
import { waitFor } from '@interlink/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSigner, verifyTestSignature } from '../testing/auth-signer.test.helper.js';
import { rejection } from '../testing/rejection.test.helper.js';
import { createServiceClient, type ServiceClient } from './create-service-client.js';

const SECRET = 'chain-test-secret-that-is-long-enough';

interface Seen {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  deadline: number | undefined;
  tenantId: string | undefined;
  userId: string | undefined;
}

const seen: Record<string, Seen> = {};
const services: Service[] = [];
const clients: ServiceClient[] = [];

/** A client of `service` at `baseUrl`, closed after the file's tests; `signed` hops sign with the test signer. */
function clientOf(service: string, baseUrl: string, options: { signed?: boolean; retry?: false } = {}) {
  const client = createServiceClient({
    service,
    baseUrl,
    production: false,
    ...(options.signed ? { signer: createTestSigner(SECRET) } : {}),
    ...(options.retry === false ? { retry: false } : {}),
  });
  clients.push(client);
  return client;
}

/** A service of the kit whose "auth" accepts tenant and user only from a valid test signature. */
function makeService(name: string): Service {
  const service = createService({ name, logLevel: 'silent', helmet: false });
  service.app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    (req as unknown as { rawBody: Buffer }).rawBody = body as Buffer;
    try {
      done(null, (body as Buffer).length === 0 ? undefined : JSON.parse((body as Buffer).toString()));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  service.app.addHook('preHandler', async (request) => {
    const raw = (request as unknown as { rawBody?: Buffer }).rawBody ?? Buffer.alloc(0);
    const nonce = await verifyTestSignature(SECRET, request.method, request.url, request.headers, raw);
    if (nonce !== undefined) {
      updateContext({
        tenantId: request.headers['x-tenant-id'] as string | undefined,
        userId: request.headers['x-user-id'] as string | undefined,
      });
    }
  });
  services.push(service);
  return service;
}

function record(name: string): void {
  const ctx = currentContext()!;
  seen[name] = {
    traceId: ctx.trace.traceId,
    spanId: ctx.trace.spanId,
    parentSpanId: ctx.trace.parentSpanId,
    deadline: ctx.deadline,
    tenantId: ctx.tenantId,
    userId: ctx.userId,
  };
}

let urlA: string;
let urlB: string;

beforeAll(async () => {
  const c = makeService('svc-c');
  c.app.get('/c', async () => {
    record('c');
    return { from: 'c' };
  });
  // An upstream that leaks its internals in its own problem document.
  c.app.get('/c/fails', async (_request, reply) =>
    reply.code(500).type(PROBLEM_CONTENT_TYPE).send({
      type: 'about:blank',
      title: 'Oops',
      status: 500,
      code: 'ERR_INTERNAL',
      detail: 'SELECT secret FROM internals WHERE password = hunter2',
      stack: 'Error at db.ts:42',
    }),
  );
  c.app.get('/c/slow', async (request) => {
    const signal = currentContext()!.signal!;
    // The caller's own timer and this deadline fall on the same instant; answer only once the caller
    // has hung up, so a late answer cannot win that race (it would on Node 24, where timers run in
    // a different order).
    const hungUp = new Promise<void>((resolve) => request.raw.socket.once('close', () => resolve()));
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    seen.cAborted = { ...seen.c!, deadline: currentContext()!.deadline };
    await hungUp;
    return { late: true };
  });
  const urlC = await c.listen({ handleSignals: false });

  const b = makeService('svc-b');
  const toC = clientOf('svc-c', urlC, { signed: true });
  b.app.get('/b', async () => {
    record('b');
    return { from: 'b', next: await toC.json({ path: '/c', timeoutMs: 2_000 }) };
  });
  b.app.get('/b/fails', async () => toC.json({ path: '/c/fails' }));
  urlB = await b.listen({ handleSignals: false });

  const a = makeService('svc-a');
  const toB = clientOf('svc-b', urlB, { signed: true });
  a.app.get('/a', async () => {
    record('a');
    updateContext({ tenantId: 'tenant-42', userId: 'user-7' });
    return { from: 'a', next: await toB.json({ path: '/b', timeoutMs: 3_000 }) };
  });
  urlA = await a.listen({ handleSignals: false });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all(services.map((s) => s.close()));
});

describe('a three-service chain A -> B -> C on the service kit', () => {
  it('carries one trace id, a signed tenant and user, and a shrinking deadline', async () => {
    const caller = clientOf('svc-a', urlA);
    const answer = await caller.json({ path: '/a', timeoutMs: 5_000 });
    expect(answer).toEqual({ from: 'a', next: { from: 'b', next: { from: 'c' } } });
    const { a, b, c } = seen as Record<'a' | 'b' | 'c', Seen>;
    expect(b.traceId).toBe(a.traceId);
    expect(c.traceId).toBe(a.traceId);
    // Each hop's parent is the span of the attempt that called it, not the caller's own span.
    expect(b.parentSpanId).toBeDefined();
    expect(b.parentSpanId).not.toBe(a.spanId);
    expect(c.parentSpanId).not.toBe(b.spanId);
    expect(c.tenantId).toBe('tenant-42');
    expect(c.userId).toBe('user-7');
    expect(a.deadline).toBeDefined();
    expect(b.deadline!).toBeLessThan(a.deadline!);
    expect(c.deadline!).toBeLessThan(b.deadline!);
  });

  it('lets the callee see the deadline expire, and the caller gets ERR_UPSTREAM_TIMEOUT', async () => {
    const caller = clientOf('svc-c', services[0]!.app.listeningOrigin);
    // Long enough that the request reaches the handler before its deadline on a busy machine: one
    // that arrives late is refused at the door (504) and its handler never sees the deadline.
    const error = await rejection(caller.json({ path: '/c/slow', timeoutMs: 1_500 }));
    expect(error.code).toBe('ERR_UPSTREAM_TIMEOUT');
    await waitFor(() => seen.cAborted !== undefined, 'the callee to see its deadline pass');
    expect(seen.cAborted!.deadline).toBeLessThanOrEqual(Date.now());
  });

  it("does not leak an upstream's internals to the caller's caller", async () => {
    const toB = clientOf('svc-b', urlB, { retry: false });
    const error = await rejection(toB.json({ path: '/b/fails' }));
    // B answered its caller with its own problem: 502, naming C, its status and code only.
    expect(error.code).toBe('ERR_UPSTREAM_STATUS');
    expect(error.upstream?.status).toBe(502);
    const problem = error.upstream?.problem;
    expect(problem?.code).toBe('ERR_UPSTREAM_STATUS');
    expect(problem?.upstream).toEqual({ service: 'svc-c', status: 500, code: 'ERR_INTERNAL' });
    expect(JSON.stringify(problem)).not.toMatch(/SELECT|hunter2|stack|db\.ts/);
  });
});
