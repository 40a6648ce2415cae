import { connect as connectTcp } from 'node:net';
import {
  createTestGateways,
  issueStreamToken,
  openStream,
  type TestGateway,
  type TestGatewayOptions,
} from '@interlink/testing/gateway';
import { afterEach, describe, expect, it } from 'vitest';
import { createGatewayEvents } from '../events/gateway-bus.js';

const gateways = createTestGateways();

afterEach(() => gateways.close());

const start = (options?: TestGatewayOptions) => gateways.start(options);

async function connect(gw: TestGateway, user = 'u1', tenant = 't1', headers: Record<string, string> = {}) {
  const token = await gw.users.mint({ userId: user, tenantId: tenant });
  return gateways.open(`${gw.url}/events/stream`, { authorization: `Bearer ${token}`, ...headers });
}

/** The raw response head of a GET, as the bytes arrive (up to the blank line). */
async function rawHead(url: string, path: string, headers: Record<string, string> = {}): Promise<string> {
  const { hostname, port } = new URL(url);
  const socket = connectTcp(Number(port), hostname);
  const lines = [`GET ${path} HTTP/1.1`, `host: ${hostname}:${port}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  let text = '';
  for await (const chunk of socket) {
    text += (chunk as Buffer).toString('latin1');
    const end = text.indexOf('\r\n\r\n');
    if (end !== -1) {
      socket.destroy();
      return text.slice(0, end + 2);
    }
  }
  throw new Error('the connection closed before the response head');
}

const publish = (gw: TestGateway, subject: string, type: string, data: unknown) =>
  gw.events.publish({ subject, type, data: JSON.stringify(data) });

describe('GET /events/stream', () => {
  it('answers with SSE headers, the seed retry value and a connected event at the current position', async () => {
    const gw = await start();
    const stream = await connect(gw);
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers['cache-control']).toBe('no-cache, no-transform');
    expect(stream.headers['x-accel-buffering']).toBe('no');
    const [connected] = await stream.waitForEvents(1, 'connected');
    expect(stream.retry).toBe(30000);
    expect(JSON.parse(connected!.data).connectionId).toMatch(/^[0-9a-f-]{36}$/);
    // The id is the stream's head, so a client that sees no event before dropping still resumes.
    expect(connected!.id).toMatch(/^[A-Za-z0-9_-]+:0$/);
    await publish(gw, 'events.t1.u1', 'e', {});
    const resumed = await connect(gw, 'u1', 't1', { 'last-event-id': connected!.id! });
    await resumed.waitForEvents(1, 'e');
    expect((await resumed.waitForEvents(1, 'connected'))[0]!.id).toBeUndefined();
  });

  it('sends the response head Node builds from the route headers, every security header included', async () => {
    const gw = await start();
    const token = await gw.users.mint({ userId: 'u1', tenantId: 't1' });
    const head = await rawHead(gw.url, '/events/stream', { authorization: `Bearer ${token}` });
    const lines = head.split('\r\n').slice(0, -1);
    expect(lines[0]).toBe('HTTP/1.1 200 OK');
    const names = lines.slice(1).map((line) => line.slice(0, line.indexOf(':')).toLowerCase());
    // The stream's head carries what any other response of the gateway carries (security headers),
    // plus the SSE headers, each once and well formed.
    const other = await fetch(`${gw.url}/health`);
    const security = [...other.headers.keys()].filter(
      (name) => !['content-type', 'content-length', 'date', 'connection', 'keep-alive'].includes(name),
    );
    expect(security.length).toBeGreaterThan(5);
    for (const name of security) {
      expect(names).toContain(name);
      // Per-request values (request id, rate-limit counters) differ between the two requests.
      if (!/request-id|ratelimit/.test(name)) expect(lines).toContain(`${name}: ${other.headers.get(name)}`);
    }
    expect(lines).toEqual(
      expect.arrayContaining([
        'content-type: text/event-stream; charset=utf-8',
        'cache-control: no-cache, no-transform',
        'x-accel-buffering: no',
        'connection: keep-alive',
        'Transfer-Encoding: chunked',
      ]),
    );
    expect(new Set(names).size).toBe(names.length);
    for (const line of lines.slice(1)) expect(line).toMatch(/^[A-Za-z0-9-]+: [^\r\n]*$/);
    expect(names).toContain('date');
  });

  it('sends events as id/event/data frames, line breaks inside data included, and heartbeats', async () => {
    const gw = await start({ heartbeatMs: 30, retryMs: 1234 });
    const stream = await connect(gw);
    await stream.waitForEvents(1, 'connected');
    expect(stream.retry).toBe(1234);
    await publish(gw, 'events.t1.u1', 'order.updated', { orderId: 'o-1' });
    await gw.events.publish({
      subject: 'events.t1.u1',
      type: 'note',
      data: JSON.stringify({ text: 'line one\nline two\r\nline three' }),
    });
    const [first] = await stream.waitForEvents(1, 'order.updated');
    expect(JSON.parse(first!.data)).toEqual({ orderId: 'o-1' });
    expect(first!.id).toMatch(/^[A-Za-z0-9_-]+:1$/);
    const [note] = await stream.waitForEvents(1, 'note');
    expect(JSON.parse(note!.data)).toEqual({ text: 'line one\nline two\r\nline three' });
    expect(note!.id).toMatch(/:2$/);
    await stream.waitFor(() => stream.comments.some((c) => c.trim() === 'ping'), 'a ping comment');
  });

  it('delivers user events to that user only and tenant-wide events to every user of the tenant', async () => {
    const gw = await start();
    const alice = await connect(gw, 'alice', 't1');
    const bob = await connect(gw, 'bob', 't1');
    const eve = await connect(gw, 'eve', 't2');
    for (const s of [alice, bob, eve]) await s.waitForEvents(1, 'connected');
    await publish(gw, 'events.t1.alice', 'private', { n: 1 });
    await publish(gw, 'events.t1', 'broadcast', { n: 2 });
    await alice.waitForEvents(1, 'broadcast');
    await bob.waitForEvents(1, 'broadcast');
    await publish(gw, 'events.t2', 'fence', {});
    await eve.waitForEvents(1, 'fence');
    expect(alice.events.map((e) => e.event)).toEqual(['connected', 'private', 'broadcast']);
    expect(bob.events.map((e) => e.event)).toEqual(['connected', 'broadcast']);
    expect(eve.events.map((e) => e.event)).toEqual(['connected', 'fence']);
  });

  it('holds one subscription per subject, released when the last connection closes', async () => {
    const gw = await start();
    const a = await connect(gw);
    const b = await connect(gw);
    await a.waitForEvents(1, 'connected');
    await b.waitForEvents(1, 'connected');
    expect(gw.gateway.subscriptionCount()).toBe(2);
    a.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(gw.gateway.subscriptionCount()).toBe(2);
    b.close();
    await b.waitFor(() => gw.gateway.connectionCount() === 0, 'connections to close');
    expect(gw.gateway.subscriptionCount()).toBe(0);
  });

  it('refuses requests without credentials and identities that cannot be subjects', async () => {
    const gw = await start();
    const none = await openStream(`${gw.url}/events/stream`);
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body).code).toBe('ERR_GATEWAY_UNAUTHENTICATED');
    for (const userId of ['a.b', 'a*', 'a>', 'a b', 'a@b', '_']) {
      const token = await gw.users.mint({ userId, tenantId: 't1' });
      const bad = await openStream(`${gw.url}/events/stream`, { authorization: `Bearer ${token}` });
      expect(bad.status).toBe(403);
      expect(JSON.parse(bad.body).code).toBe('ERR_GATEWAY_INVALID_IDENTITY');
    }
  });

  it('resumes after Last-Event-ID (header or query) with exactly the missed events, in order', async () => {
    const gw = await start();
    const first = await connect(gw);
    await first.waitForEvents(1, 'connected');
    for (let i = 1; i <= 3; i++) await publish(gw, i === 2 ? 'events.t1' : 'events.t1.u1', 'e', { i });
    await first.waitForEvents(3, 'e');
    const lastId = first.events.at(-1)!.id!;
    first.close();
    for (let i = 4; i <= 6; i++) await publish(gw, i === 5 ? 'events.t1' : 'events.t1.u1', 'e', { i });
    await publish(gw, 'events.t1.someone-else', 'e', { i: 99 });
    const resumed = await connect(gw, 'u1', 't1', { 'last-event-id': lastId });
    await resumed.waitForEvents(3, 'e');
    await publish(gw, 'events.t1.u1', 'e', { i: 7 });
    const got = await resumed.waitForEvents(4, 'e');
    expect(got.map((e) => JSON.parse(e.data).i)).toEqual([4, 5, 6, 7]);

    const token = await gw.users.mint({ userId: 'u1', tenantId: 't1' });
    const byQuery = await gateways.open(`${gw.url}/events/stream?lastEventId=${encodeURIComponent(lastId)}`, {
      authorization: `Bearer ${token}`,
    });
    const again = await byQuery.waitForEvents(4, 'e');
    expect(again.map((e) => JSON.parse(e.data).i)).toEqual([4, 5, 6, 7]);
  });

  it('sends an explicit reset when the requested history is gone or foreign', async () => {
    const gw = await start({ events: await createGatewayEvents({ retainEvents: 2, memoryEvents: 2 }) });
    const first = await connect(gw);
    await publish(gw, 'events.t1.u1', 'e', { i: 1 });
    const [one] = await first.waitForEvents(1, 'e');
    for (let i = 2; i <= 5; i++) await publish(gw, 'events.t1.u1', 'e', { i });
    const expired = await connect(gw, 'u1', 't1', { 'last-event-id': one!.id! });
    const [reset] = await expired.waitForEvents(1, 'reset');
    expect(JSON.parse(reset!.data)).toMatchObject({ reason: 'expired', lastEventId: one!.id });
    expect(expired.events.filter((e) => e.event === 'e')).toEqual([]);

    const foreign = await connect(gw, 'u1', 't1', { 'last-event-id': 'otherepoch:3' });
    expect(JSON.parse((await foreign.waitForEvents(1, 'reset'))[0]!.data).reason).toBe('epoch');
    const [epoch] = one!.id!.split(':');
    const future = await connect(gw, 'u1', 't1', { 'last-event-id': `${epoch}:99` });
    expect(JSON.parse((await future.waitForEvents(1, 'reset'))[0]!.data).reason).toBe('future');
    const garbage = await connect(gw, 'u1', 't1', { 'last-event-id': 'evt_123456789' });
    expect(JSON.parse((await garbage.waitForEvents(1, 'reset'))[0]!.data).reason).toBe('invalid');
  });

  it('limits streams per user, per tenant and per instance with a 429 problem', async () => {
    const gw = await start({ limits: { perUser: 2, perTenant: 3 }, maxConnections: 4 });
    const first = await connect(gw, 'u1');
    await connect(gw, 'u1');
    const third = await connect(gw, 'u1');
    expect(third.status).toBe(429);
    expect(JSON.parse(third.body)).toMatchObject({ code: 'ERR_GATEWAY_CONNECTION_LIMIT', limit: 'user' });
    await connect(gw, 'u2');
    const tenantFull = await connect(gw, 'u3');
    expect(JSON.parse(tenantFull.body)).toMatchObject({ limit: 'tenant' });
    await connect(gw, 'x1', 't9');
    const instanceFull = await connect(gw, 'x2', 't9');
    expect(instanceFull.status).toBe(429);
    expect(JSON.parse(instanceFull.body)).toMatchObject({ limit: 'instance' });
    // A closed stream gives its slot back.
    first.close();
    await first.waitFor(() => gw.gateway.connectionCount() === 3, 'a slot to free');
    expect((await connect(gw, 'u1')).status).toBe(200);
  });

  it('warns with token-expiring, then closes the stream when its stream token expires', async () => {
    const gw = await start({ streamTokenTtlSeconds: 1, tokenExpiringLeadMs: 600 });
    const jwt = await gw.users.mint({ userId: 'u1', tenantId: 't1' });
    const token = await issueStreamToken(gw.url, jwt);
    const stream = await gateways.open(`${gw.url}/events/stream?token=${token}`);
    expect(stream.status).toBe(200);
    await stream.waitForEvents(1, 'token-expiring');
    await stream.waitClosed();
    expect(gw.gateway.connectionCount()).toBe(0);
  });

  it('holds one expiry timer per open stream, not one for the warning and one for the end', async () => {
    const gw = await start();
    await (await connect(gw, 'warm')).waitForEvents(1, 'connected');
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const before = timers();
    const streams = [];
    for (let i = 0; i < 10; i++) streams.push(await connect(gw, `u${i}`));
    for (const stream of streams) await stream.waitForEvents(1, 'connected');
    // About 10, never 20: timers this test does not own (such as undici's clock for an earlier fetch,
    // which stops a second after its last connection closed) may stop or start meanwhile, so the
    // count is exact only on a quiet machine.
    expect(Math.abs(timers() - before - 10)).toBeLessThanOrEqual(2);
  });
});
