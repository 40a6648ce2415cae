import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createDevUserTokens } from '../auth/dev-user-tokens.js';
import { createGatewayEvents } from '../events/gateway-bus.js';
import { openStream } from '../testing/sse-test-client.js';
import { startTestGateway, type TestGateway } from '../testing/start-test-gateway.js';
import { createMemoryStreamTokenStore } from './memory-stream-token-store.js';
import { createRedisStreamTokenStore } from './redis-stream-token-store.js';
import { createStreamTokens, hashStreamToken } from './stream-tokens.js';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = `gwtest:${randomBytes(4).toString('hex')}:`;
const gateways: TestGateway[] = [];

afterAll(async () => {
  for (const gw of gateways) await gw.close();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe('stream tokens', () => {
  it('are opaque, at least 256 bits, and stored only as their hash in Redis', async () => {
    const tokens = createStreamTokens({ store: createRedisStreamTokenStore({ redis, prefix }) });
    const { token, expiresIn } = await tokens.issue({ userId: 'u1', tenantId: 't1' });
    expect(expiresIn).toBe(300);
    expect(token).toMatch(/^st_[A-Za-z0-9_-]{43}$/); // 43 base64url characters = 256 bits
    const keys = await redis.keys(`${prefix}*`);
    expect(keys).toEqual([`${prefix}st:${hashStreamToken(token)}`]);
    const stored = await redis.get(keys[0]!);
    expect(stored).not.toContain(token.slice(3));
    expect(await redis.pttl(keys[0]!)).toBeGreaterThan(290_000);
    expect(await tokens.verify(token)).toMatchObject({ userId: 'u1', tenantId: 't1' });
    expect(await tokens.revoke(token)).toBe(true);
    expect(await tokens.verify(token)).toBeUndefined();
  });

  it('expire, and the memory store behaves the same way', async () => {
    const store = createMemoryStreamTokenStore();
    const { token } = await createStreamTokens({ store }).issue({ userId: 'u1', tenantId: 't1' });
    const tokens = createStreamTokens({ store });
    expect(await tokens.verify(token)).toMatchObject({ userId: 'u1' });
    expect(await tokens.verify(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toBeUndefined();
    const shortLived = await createStreamTokens({ store, ttlSeconds: 0.001 }).issue({
      userId: 'u2',
      tenantId: 't1',
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(await tokens.verify(shortLived.token)).toBeUndefined();
    expect(await tokens.revoke(token)).toBe(true);
    expect(await tokens.verify(token)).toBeUndefined();
  });

  it('POST /events/token needs a user JWT; a token from one instance opens a stream on another, until revoked', async () => {
    const users = createDevUserTokens();
    const events = await createGatewayEvents();
    for (let i = 0; i < 2; i++) {
      gateways.push(
        await startTestGateway({
          users,
          events,
          streamTokens: createRedisStreamTokenStore({ redis, prefix }),
        }),
      );
    }
    const [a, b] = gateways as [TestGateway, TestGateway];
    const anonymous = await fetch(`${a.url}/events/token`, { method: 'POST' });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { code: string }).code).toBe('ERR_GATEWAY_UNAUTHENTICATED');

    const jwt = await users.mint({ userId: 'u9', tenantId: 't9' });
    const issued = await fetch(`${a.url}/events/token`, {
      method: 'POST',
      headers: { authorization: `Bearer ${jwt}` },
    });
    expect(issued.status).toBe(200);
    expect(issued.headers.get('cache-control')).toBe('no-store');
    const body = (await issued.json()) as { token: string; expiresIn: number };
    expect(body.expiresIn).toBe(300);

    const onB = await openStream(`${b.url}/events/stream?token=${body.token}`);
    expect(onB.status).toBe(200);
    await onB.waitForEvents(1, 'connected');
    await events.publish({ subject: 'events.t9.u9', type: 'hello', data: '{}' });
    await onB.waitForEvents(1, 'hello');
    onB.close();

    await a.gateway.streamTokens.revoke(body.token);
    const revoked = await openStream(`${b.url}/events/stream?token=${body.token}`);
    expect(revoked.status).toBe(401);
    expect(JSON.parse(revoked.body).code).toBe('ERR_GATEWAY_STREAM_TOKEN_INVALID');
  });
});
