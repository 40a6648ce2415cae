import { createTestGatewaysOnRedis } from '@interlink/testing/gateway';
import { afterAll, describe, expect, it } from 'vitest';
import { createDevUserTokens } from '../auth/dev-user-tokens.js';

const onRedis = createTestGatewaysOnRedis('gwtest-rl-');
const { redis, prefix: nameSpace, gateways } = onRedis;

afterAll(() => onRedis.close());

describe('rate limits on Redis', () => {
  it('count token requests across gateway instances, and /ready checks Redis', async () => {
    const users = createDevUserTokens();
    const start = () => gateways.start({ users, rateLimits: { redis, nameSpace, tokenPerIp: 3 } });
    const [a, b] = [await start(), await start()];
    const statuses: number[] = [];
    for (const gw of [a, b, a, b])
      statuses.push((await fetch(`${gw.url}/events/token`, { method: 'POST' })).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const ready = await fetch(`${a.url}/ready`);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { events: 'up', redis: 'up' } });
  });
});
