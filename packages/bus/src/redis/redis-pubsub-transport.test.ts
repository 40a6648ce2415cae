import { setTimeout as sleep } from 'node:timers/promises';
import { uniqueName, redisUrl as url, waitFor } from '@interlink/testing';
import { describeTransportConformance } from '@interlink/testing/bus';
import { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import { createBus } from '../bus/create-bus.js';
import { createSeedRegistry } from '../presets/seed-registry.js';
import { createRedisPubSubTransport } from './redis-pubsub-transport.js';

const channel = `${uniqueName('bus-test-')}:analytics:events`;
const connections: Redis[] = [];

function redis(): Redis {
  const r = new Redis(url);
  connections.push(r);
  return r;
}

afterAll(async () => {
  await Promise.allSettled(connections.map((c) => c.quit()));
});

describeTransportConformance('redis pub/sub (at-most-once subset)', {
  create: async () => createRedisPubSubTransport({ redis: redis(), channel }),
  atMostOnce: true,
});

it('is at-most-once: a throwing handler is not called again, and nothing is kept for late subscribers', async () => {
  const drops: string[] = [];
  const transport = createRedisPubSubTransport({
    redis: redis(),
    channel,
    onDrop: (_t, reason) => drops.push(reason),
  });
  const bus = createBus({ transport, registry: createSeedRegistry(), source: '/analytics-service' });
  await bus.publish({ type: 'order.failed', data: { orderId: 'before', reason: 'nobody listening' } });
  const calls: string[] = [];
  await bus.subscribe<{ orderId: string }>(
    'order.*',
    async (e) => {
      calls.push(e.data.orderId);
      throw new Error('dashboard broke');
    },
    { group: 'dashboard' },
  );
  await bus.publish({ type: 'order.failed', data: { orderId: 'after', reason: 'x' } });
  await waitFor(() => drops.length === 1, 'the failed message to be dropped');
  await sleep(100);
  expect(calls).toEqual(['after']);
  expect(drops[0]).toContain('dashboard broke');
  expect(transport.deadLetters).toBeUndefined();
  await bus.close();
});
