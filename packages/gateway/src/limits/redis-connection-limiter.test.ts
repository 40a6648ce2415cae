import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createDevUserTokens } from '../auth/dev-user-tokens.js';
import { createGatewayEvents } from '../events/gateway-bus.js';
import { openStream, type TestStream } from '../testing/sse-test-client.js';
import { startTestGateway, type TestGateway } from '../testing/start-test-gateway.js';
import { createRedisConnectionLimiter } from './redis-connection-limiter.js';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = `gwtest:${randomBytes(4).toString('hex')}:`;
const gateways: TestGateway[] = [];
const streams: TestStream[] = [];

afterAll(async () => {
  for (const s of streams) s.close();
  for (const gw of gateways) await gw.close();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe('Redis connection limiter', () => {
  it('holds per-user and per-tenant limits across gateway instances', async () => {
    const users = createDevUserTokens();
    const events = await createGatewayEvents();
    for (let i = 0; i < 2; i++) {
      const limiter = createRedisConnectionLimiter({ redis, prefix, perUser: 1, perTenant: 2 });
      gateways.push(await startTestGateway({ users, events, connectionLimiter: limiter }));
    }
    const [a, b] = gateways as [TestGateway, TestGateway];
    const open = async (gw: TestGateway, userId: string) => {
      const jwt = await users.mint({ userId, tenantId: 't1' });
      const s = await openStream(`${gw.url}/events/stream`, { authorization: `Bearer ${jwt}` });
      streams.push(s);
      return s;
    };
    const first = await open(a, 'u1');
    expect(first.status).toBe(200);
    const again = await open(b, 'u1');
    expect(again.status).toBe(429);
    expect(JSON.parse(again.body)).toMatchObject({ code: 'ERR_GATEWAY_CONNECTION_LIMIT', limit: 'user' });
    expect((await open(b, 'u2')).status).toBe(200);
    const tenantFull = await open(a, 'u3');
    expect(JSON.parse(tenantFull.body)).toMatchObject({ limit: 'tenant' });

    first.close();
    await first.waitFor(() => a.gateway.connectionCount() === 0, 'the stream to close');
    await new Promise((r) => setTimeout(r, 50)); // the release is one Redis round trip after close
    expect((await open(b, 'u1')).status).toBe(200);
  });

  it('lets the leases of a crashed instance expire', async () => {
    const limiter = createRedisConnectionLimiter({
      redis,
      prefix: `${prefix}x:`,
      perUser: 1,
      perTenant: 5,
      leaseMs: 500,
    });
    const lease = { connectionId: 'c1', userId: 'u1', tenantId: 't1' };
    expect(await limiter.acquire(lease)).toEqual({ ok: true });
    expect(await limiter.acquire({ ...lease, connectionId: 'c2' })).toEqual({ ok: false, limit: 'user' });
    await limiter.refresh([lease]);
    await new Promise((r) => setTimeout(r, 600)); // never released, never refreshed again
    expect(await limiter.acquire({ ...lease, connectionId: 'c3' })).toEqual({ ok: true });
  });
});
