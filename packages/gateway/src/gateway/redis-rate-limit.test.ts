import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createDevUserTokens } from '../auth/dev-user-tokens.js';
import { startTestGateway, type TestGateway } from '../testing/start-test-gateway.js';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const nameSpace = `gwtest-rl-${randomBytes(4).toString('hex')}-`;
const gateways: TestGateway[] = [];

afterAll(async () => {
  for (const gw of gateways) await gw.close();
  const keys = await redis.keys(`${nameSpace}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe('rate limits on Redis', () => {
  it('count token requests across gateway instances, and /ready checks Redis', async () => {
    const users = createDevUserTokens();
    for (let i = 0; i < 2; i++) {
      gateways.push(await startTestGateway({ users, rateLimits: { redis, nameSpace, tokenPerIp: 3 } }));
    }
    const [a, b] = gateways as [TestGateway, TestGateway];
    const statuses: number[] = [];
    for (const gw of [a, b, a, b])
      statuses.push((await fetch(`${gw.url}/events/token`, { method: 'POST' })).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const ready = await fetch(`${a.url}/ready`);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { events: 'up', redis: 'up' } });
  });
});
