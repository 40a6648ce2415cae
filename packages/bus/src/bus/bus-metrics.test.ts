import { waitFor } from '@interlink/testing';
import { Registry } from 'prom-client';
import { expect, it } from 'vitest';
import { createMemoryTransport } from '../memory/memory-transport.js';
import { createBusMetrics, observeConsumerLag } from '../metrics/bus-metrics.js';
import { createSeedRegistry } from '../presets/seed-registry.js';
import { type Bus, createBus } from './create-bus.js';

/** A bus on the memory transport with the seed events, and the registry a test reads its series on. */
function busOnRegistry(withBusMetrics: boolean): { registry: Registry; bus: Bus } {
  const registry = new Registry();
  const bus = createBus({
    transport: createMemoryTransport(),
    registry: createSeedRegistry(),
    source: '/order-service',
    ...(withBusMetrics ? { metrics: createBusMetrics(registry) } : {}),
  });
  return { registry, bus };
}

it('counts published, consumed, redelivered and dead-lettered events on the registry it is given', async () => {
  const { registry, bus } = busOnRegistry(true);
  let calls = 0;
  await bus.subscribe(
    'order.*',
    async (e) => {
      calls++;
      if ((e.data as { reason: string }).reason === 'poison') throw new Error('no');
    },
    { group: 'billing', maxDeliver: 2, backoff: () => 1 },
  );
  await bus.publish({ type: 'order.failed', data: { orderId: 'o-1', reason: 'fine' } });
  await bus.publish({ type: 'order.failed', data: { orderId: 'o-2', reason: 'poison' } });
  await waitFor(async () => (await bus.transport.deadLetters!.list()).length === 1, 'the dead letter');
  const text = await registry.metrics();
  expect(text).toContain('interlink_bus_published_total{transport="memory",type="order.failed"} 2');
  expect(text).toContain('interlink_bus_consumed_total{transport="memory",group="billing",outcome="ok"} 1');
  expect(text).toContain(
    'interlink_bus_consumed_total{transport="memory",group="billing",outcome="error"} 2',
  );
  expect(text).toContain('interlink_bus_redelivered_total{transport="memory",group="billing"} 1');
  expect(text).toContain('interlink_bus_dead_lettered_total{transport="memory",group="billing"} 1');
  expect(calls).toBe(3);
  await bus.close();
});

it('exports the consumer lag of the groups it is told about, read from the broker at scrape time', async () => {
  // No bus metrics: the lag gauge stands on its own.
  const { registry, bus } = busOnRegistry(false);
  observeConsumerLag(registry, bus.transport, ['billing']);
  const sub = await bus.subscribe('order.*', async () => {}, { group: 'billing' });
  await sub.close();
  for (let i = 0; i < 4; i++)
    await bus.publish({ type: 'order.failed', data: { orderId: `o-${i}`, reason: 'x' } });
  expect(await registry.metrics()).toContain(
    'interlink_bus_consumer_lag{transport="memory",group="billing"} 4',
  );
  await bus.close();
});
