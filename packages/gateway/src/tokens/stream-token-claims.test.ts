import { openRedisScratch } from '@interlink/testing';
import { createTestGateways, issueStreamToken, type TestGateway } from '@interlink/testing/gateway';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createMemoryStreamTokenStore } from './memory-stream-token-store.js';
import { createRedisStreamTokenStore } from './redis-stream-token-store.js';
import type { StreamTokenStore } from './stream-token-store.js';

const scratch = openRedisScratch('gwtest-token-claims-');
const gateways = createTestGateways();

afterEach(async () => {
  await gateways.close();
});
afterAll(async () => {
  await scratch.close();
});

const backends: Array<[string, () => StreamTokenStore]> = [
  ['memory', () => createMemoryStreamTokenStore()],
  ['Redis', () => createRedisStreamTokenStore({ redis: scratch.redis, prefix: scratch.prefix })],
];

describe.each(backends)('a stream token on the %s store', (_name, makeStore) => {
  const start = async () => gateways.start({ streamTokens: makeStore(), heartbeatMs: 50 });
  const tokenFor = async (gw: TestGateway, ttlSeconds = 3600) =>
    issueStreamToken(gw.url, await gw.users.mint({ userId: 'u1', tenantId: 't1', ttlSeconds }));

  it('holds one stream at a time: three opened at once leave one open, the newest', async () => {
    const gw = await start();
    const token = await tokenFor(gw);
    const url = `${gw.url}/events/stream?token=${token}`;
    const first = await gateways.open(url);
    await first.waitForEvents(1, 'connected');
    const [second, third] = await Promise.all([gateways.open(url), gateways.open(url)]);
    expect([first.status, second!.status, third!.status]).toEqual([200, 200, 200]);
    await first.waitClosed();
    await first.waitFor(() => gw.gateway.connectionCount() === 1, 'one stream left');
    // The one left is a working stream, and the other two were ended by the server.
    expect([second!.closed, third!.closed].filter(Boolean)).toHaveLength(1);
    const open = second!.closed ? third! : second!;
    await gw.events.publish({ subject: 'events.t1.u1', type: 'hello', data: '{}' });
    await open.waitForEvents(1, 'hello');
  });

  it('reopens with Last-Event-ID after its stream closed, as EventSource does after a blip', async () => {
    const gw = await start();
    const token = await tokenFor(gw);
    const first = await gateways.open(`${gw.url}/events/stream?token=${token}`);
    await gw.events.publish({ subject: 'events.t1.u1', type: 'before', data: '{}' });
    const [before] = await first.waitForEvents(1, 'before');
    first.close();
    await first.waitFor(() => gw.gateway.connectionCount() === 0, 'the first stream to close');
    await gw.events.publish({ subject: 'events.t1.u1', type: 'missed', data: '{}' });
    const again = await gateways.open(`${gw.url}/events/stream?token=${token}`, {
      'last-event-id': before!.id!,
    });
    expect(again.status).toBe(200);
    await again.waitForEvents(1, 'missed');
  });

  it('never outlives the JWT it was issued from', async () => {
    const gw = await start();
    const shortJwt = await gw.users.mint({ userId: 'u1', tenantId: 't1', ttlSeconds: 2 });
    const issued = await fetch(`${gw.url}/events/token`, {
      method: 'POST',
      headers: { authorization: `Bearer ${shortJwt}` },
    });
    const { token, expiresIn } = (await issued.json()) as { token: string; expiresIn: number };
    expect(expiresIn).toBeLessThanOrEqual(2);
    const record = await gw.gateway.streamTokens.verify(token);
    const jwtExp = JSON.parse(Buffer.from(shortJwt.split('.')[1]!, 'base64url').toString()).exp as number;
    expect(record!.expiresAt).toBeLessThanOrEqual(jwtExp * 1000);

    // The dev verifier, like most, accepts a JWT up to 30 s past its exp (clock tolerance): a token
    // issued from it would have no lifetime left, so none is issued.
    const expiredJwt = await gw.users.mint({ userId: 'u1', tenantId: 't1', ttlSeconds: -5 });
    const refused = await fetch(`${gw.url}/events/token`, {
      method: 'POST',
      headers: { authorization: `Bearer ${expiredJwt}` },
    });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { code: string }).code).toBe('ERR_GATEWAY_UNAUTHENTICATED');
  });

  it('ends its open stream with the JWT it came from, after token-expiring', async () => {
    const gw = await start();
    const token = await tokenFor(gw, 2);
    const stream = await gateways.open(`${gw.url}/events/stream?token=${token}`);
    expect(stream.status).toBe(200);
    await stream.waitForEvents(1, 'token-expiring');
    await stream.waitClosed();
    const reopened = await gateways.open(`${gw.url}/events/stream?token=${token}`);
    expect(reopened.status).toBe(401);
  });

  it('ends an open stream within a heartbeat when the token is revoked', async () => {
    const gw = await start();
    const token = await tokenFor(gw);
    const stream = await gateways.open(`${gw.url}/events/stream?token=${token}`);
    await stream.waitForEvents(1, 'connected');
    expect(await gw.gateway.streamTokens.revoke(token)).toBe(true);
    await stream.waitClosed();
  });
});

describe('a stream token across instances (Redis)', () => {
  it('moves to the newest stream: the instance holding the old one ends it on its heartbeat', async () => {
    const [a, b] = await gateways.startPair(() => ({
      heartbeatMs: 50,
      streamTokens: createRedisStreamTokenStore({ redis: scratch.redis, prefix: `${scratch.prefix}x:` }),
    }));
    const token = await issueStreamToken(a.url, await a.users.mint({ userId: 'u2', tenantId: 't2' }));
    const onA = await gateways.open(`${a.url}/events/stream?token=${token}`);
    await onA.waitForEvents(1, 'connected');
    const onB = await gateways.open(`${b.url}/events/stream?token=${token}`);
    expect(onB.status).toBe(200);
    await onA.waitClosed();
    await a.events.publish({ subject: 'events.t2.u2', type: 'hello', data: '{}' });
    await onB.waitForEvents(1, 'hello');
    expect(onB.closed).toBe(false);
  });
});
