import { createTestGatewaysOnRedis, type TestGateway } from '@interlink/testing/gateway';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisConnectionLimiter } from './redis-connection-limiter.js';

const onRedis = createTestGatewaysOnRedis('gwtest-limits-');
const { redis, prefix, gateways } = onRedis;

afterAll(() => onRedis.close());

describe('Redis connection limiter', () => {
  it('holds per-user and per-tenant limits across gateway instances', async () => {
    // Two instances, each with its own limiter, sharing the counts in Redis.
    const [a, b] = await gateways.startPair(() => ({
      connectionLimiter: createRedisConnectionLimiter({ redis, prefix, perUser: 1, perTenant: 2 }),
    }));
    const open = async (gw: TestGateway, userId: string) => {
      const jwt = await a.users.mint({ userId, tenantId: 't1' });
      return gateways.open(`${gw.url}/events/stream`, { authorization: `Bearer ${jwt}` });
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
