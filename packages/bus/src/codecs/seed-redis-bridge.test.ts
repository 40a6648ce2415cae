import { redisUrl, uniqueName, waitFor } from '@interlink/testing';
import { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import type { EventEnvelope } from '../envelope/event-envelope.js';
import { createRedisPubSubTransport } from '../redis/redis-pubsub-transport.js';
import { SEED_000_ANALYTICS_FORMAT } from './seed-000-codec.js';
import { meteredBus } from './seed-events.test.helper.js';

// Seed 000's `analytics:events` channel under a name of this file's own (pub/sub keeps no keys).
const channel = `${uniqueName('bridge')}:analytics:events`;
const redis = new Redis(redisUrl);

afterAll(() => redis.disconnect());

it("seed 000's analytics subscriber reads events published by @interlink/bus with the seed codec on its channel", async () => {
  const transport = createRedisPubSubTransport({ redis, channel, publishTo: 'channel' });
  const { bus, metrics } = meteredBus(transport, '/ticket-service', { codec: SEED_000_ANALYTICS_FORMAT });
  // Seed 000's subscribeToExternalEvents: subscribe('analytics:events'), JSON.parse, event.type.
  const subscriber = redis.duplicate();
  const pushed: Array<{ type: string; event: Record<string, unknown> }> = [];
  await subscriber.subscribe(channel);
  subscriber.on('message', (_channel: string, message: string) => {
    const event = JSON.parse(message);
    pushed.push({ type: event.type, event });
  });
  const sent = await bus.publish({
    type: 'ticket-purchase',
    tenantId: 't1',
    data: { venueId: 'v-1', quantity: 2 },
  });
  await waitFor(() => pushed.length === 1, 'the seed subscriber');
  subscriber.disconnect();
  await bus.close();
  expect(pushed[0]).toEqual({
    type: 'ticket-purchase',
    event: {
      id: sent.id,
      type: 'ticket-purchase',
      timestamp: sent.time,
      version: 1,
      source: '/ticket-service',
      tenantId: 't1',
      data: { venueId: 'v-1', quantity: 2 },
    },
  });
  expect(await metrics.metrics()).toContain(
    'interlink_bus_legacy_total{direction="write",format="seed-000",type="ticket-purchase",service="ticket-service"} 1',
  );
});

it('an Interlink consumer reads what a seed 000 publisher puts on the channel, and reports what it cannot read', async () => {
  const dropped: string[] = [];
  const publisher = redis.duplicate();
  const transport = createRedisPubSubTransport({
    redis: publisher,
    channel,
    onDrop: (_topic, reason) => dropped.push(reason),
  });
  const { bus, metrics } = meteredBus(transport, '/analytics', {
    legacyFormats: [SEED_000_ANALYTICS_FORMAT],
  });
  const events: EventEnvelope[] = [];
  await bus.subscribe('ticket-purchase', async (e) => void events.push(e), { group: 'analytics' });
  // A seed service's flat event, as it publishes it.
  await redis.publish(
    channel,
    JSON.stringify({ type: 'ticket-purchase', venueId: 'v-9', quantity: 3, timestamp: 1764583200000 }),
  );
  await redis.publish(channel, 'not json');
  await waitFor(() => events.length === 1 && dropped.length === 1, 'the event and the refusal');
  await bus.close();
  publisher.disconnect();
  expect(events[0]).toMatchObject({
    specversion: '1.0',
    type: 'ticket-purchase',
    time: '2025-12-01T10:00:00.000Z',
    dataversion: 1,
    data: { venueId: 'v-9', quantity: 3 },
  });
  expect(events[0]!.id).toMatch(/^sha256:[0-9a-f]{32}$/); // no id in the seed's event: a hash of it
  expect(dropped[0]).toContain('not JSON');
  const text = await metrics.metrics();
  expect(text).toContain(
    'interlink_bus_legacy_total{direction="read",format="seed-000",type="ticket-purchase",service="analytics"} 1',
  );
  expect(text).toContain(
    'interlink_bus_rejected_total{transport="redis",group="analytics",code="ERR_BUS_MALFORMED_MESSAGE"} 1',
  );
});
