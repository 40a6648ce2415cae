import { deleteKeysWithPrefix, redisUrl, uniqueId } from '@interlink/testing';
import { startTestGateway, type TestGateway } from '@interlink/testing/gateway';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createDevUserTokens } from '../auth/dev-user-tokens.js';

const redis = new Redis(redisUrl);
const nameSpace = `gwtest-rl-${uniqueId()}-`;
const gateways: TestGateway[] = [];

afterAll(async () => {
  for (const gw of gateways) await gw.close();
  await deleteKeysWithPrefix(redis, nameSpace);
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
