import { createService } from '@interlink/core';
import { openRedisScratch, uniqueName, amqpUrl as url, waitFor } from '@interlink/testing';
import { type ChannelModel, type ConsumeMessage, connect } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBus } from '../bus/create-bus.js';
import type { EventEnvelope } from '../envelope/event-envelope.js';
import { createRedisInbox } from '../inbox/redis-inbox.js';
import { deleteRabbitTopology } from '../rabbitmq/delete-rabbit-topology.test.helper.js';
import { isolatedRabbitTopology, queueName } from '../rabbitmq/rabbit-topology.js';
import { createRabbitTransport } from '../rabbitmq/rabbit-transport.js';
import type { Transport } from '../transport/transport.js';
import { binaryCodec } from './binary-codec.js';
import { SEED_002_ORDER_FORMAT } from './seed-002-codec.js';
import { bridgeRegistry, meteredBus, seed002OrderCreated } from './seed-events.test.helper.js';

// The seeds' topology (`tickettoken_events`, `order_service_queue` bound to order.*, ...) under
// names of this file's own.
const topology = isolatedRabbitTopology(uniqueName('bridge'));
const SEED_QUEUE = queueName(topology, 'order_service_queue');
const groups = [
  'analytics_events',
  'order_service_queue',
  'bridge_billing',
  'bridge_reader',
  'bridge_ledger',
];
const registry = bridgeRegistry();
// Seed 002's order.created payload at v2 (cents), as a migrated publisher sends it.
const { total: _total, ...seedPayload } = seed002OrderCreated('o-1', 'k', new Date()).payload;
const created = { ...seedPayload, totalCents: 2510 };

let transport: Transport;
let conn: ChannelModel;

beforeAll(async () => {
  transport = await createRabbitTransport({ url, topology });
  conn = await connect(url);
});

afterAll(async () => {
  await transport?.close();
  await conn?.close();
  await deleteRabbitTopology(url, topology, groups);
});

/** Publishes like the seeds' `publishEvent`: raw amqplib, JSON body, routing key = type, nothing else. */
async function seedPublish(routingKey: string, body: unknown): Promise<void> {
  const ch = await conn.createConfirmChannel();
  ch.publish(topology.exchange, routingKey, Buffer.from(JSON.stringify(body)), { persistent: true });
  await ch.waitForConfirms();
  await ch.close();
}

describe('seed 002 on RabbitMQ', () => {
  it('a consumer written as seed 002 writes it reads order events published by @interlink/bus with the seed codec', async () => {
    const service = createService({ name: 'order-service', logLevel: 'silent', production: false });
    const { bus } = meteredBus(
      transport,
      '/order-service',
      { codec: SEED_002_ORDER_FORMAT },
      service.metrics.registry,
    );
    // Seed 002's event-subscriber.ts: raw amqplib, JSON.parse, switch (event.type), event.payload.
    const ch = await conn.createChannel();
    const handled: Array<Record<string, unknown>> = [];
    const { consumerTag } = await ch.consume(SEED_QUEUE, (msg) => {
      if (!msg) return;
      const event = JSON.parse(msg.content.toString());
      const eventId = event.id || `${event.type}:${event.payload?.orderId}:${Date.now()}`;
      switch (event.type) {
        case 'order.created':
          handled.push({
            eventId,
            type: event.type,
            orderId: event.payload.orderId,
            cents: event.payload.totalCents,
          });
          break;
        case 'order.failed':
          handled.push({
            eventId,
            type: event.type,
            orderId: event.payload.orderId,
            reason: event.payload.reason,
          });
          break;
      }
      handled.push({ raw: event });
      ch.ack(msg);
    });
    const first = await bus.publish({ type: 'order.created', subject: 'o-1', sequence: 1, data: created });
    const second = await bus.publish({
      type: 'order.failed',
      subject: 'o-1',
      sequence: 2,
      data: { orderId: 'o-1', reason: 'payment declined' },
    });
    await waitFor(() => handled.length === 4, 'the seed consumer to handle both events');
    await ch.cancel(consumerTag);
    await ch.close();
    expect(handled.filter((h) => !('raw' in h))).toEqual([
      { eventId: first.id, type: 'order.created', orderId: 'o-1', cents: 2510 },
      { eventId: second.id, type: 'order.failed', orderId: 'o-1', reason: 'payment declined' },
    ]);
    // The seed's own fields, as its other readers expect them.
    expect(handled[1]).toEqual({
      raw: expect.objectContaining({
        id: first.id,
        version: 2,
        type: 'order.created',
        idempotencyKey: first.id,
        sequenceNumber: 1,
        aggregateId: 'o-1',
        payload: created,
        timestamp: first.time,
      }),
    });
    const metrics = await service.app.inject({ url: '/metrics' });
    expect(metrics.body).toContain(
      'interlink_bus_legacy_total{direction="write",format="seed-002",type="order.created",service="order-service"} 1',
    );
    expect(metrics.body).toContain(
      'interlink_bus_legacy_total{direction="write",format="seed-002",type="order.failed",service="order-service"} 1',
    );
    await service.close();
  });

  it('an Interlink consumer reads order events published by raw amqplib in seed 002 shape, upcast into the envelope', async () => {
    const service = createService({ name: 'billing', logLevel: 'silent', production: false });
    const { bus } = meteredBus(
      transport,
      '/billing',
      { legacyFormats: [SEED_002_ORDER_FORMAT] },
      service.metrics.registry,
    );
    const events: EventEnvelope[] = [];
    const sub = await bus.subscribe('order.*', async (e) => void events.push(e), { group: 'bridge_billing' });
    const timestamp = new Date('2026-12-01T10:00:00.000Z');
    await seedPublish(
      'order.created',
      seed002OrderCreated('o-7', 'order.created:o-7:1764583200000', timestamp),
    );
    await waitFor(() => events.length === 1, 'the Interlink consumer to read the seed event');
    await sub.close();
    expect(events[0]).toMatchObject({
      specversion: '1.0',
      id: 'order.created:o-7:1764583200000', // from idempotencyKey: the seed sends no id
      type: 'order.created',
      subject: 'o-7', // from aggregateId
      time: '2026-12-01T10:00:00.000Z', // from timestamp
      sequence: 4, // from sequenceNumber
      dataversion: 2, // version 1 (float total) upcast to 2
      data: { orderId: 'o-7', totalCents: 2510, currency: 'USD' },
    });
    const metrics = await service.app.inject({ url: '/metrics' });
    expect(metrics.body).toContain(
      'interlink_bus_legacy_total{direction="read",format="seed-002",type="order.created",service="billing"} 1',
    );
    await service.close();
  });

  it('handles once an event seed 002 published, published again by its retry, and republished by Interlink under its idempotency key', async () => {
    const scratch = openRedisScratch('bridge_inbox');
    const inbox = createRedisInbox({ redis: scratch.redis, prefix: scratch.prefix });
    const bus = createBus({ transport, registry, source: '/ledger', legacyFormats: [SEED_002_ORDER_FORMAT] });
    const handled: string[] = [];
    const sub = await bus.subscribe<{ orderId: string }>(
      'order.*',
      async (event) => {
        if (await inbox.claim('bridge_ledger', event.id)) handled.push(`${event.id} ${event.data.orderId}`);
      },
      { group: 'bridge_ledger' },
    );
    const key = 'order.created:o-9:1764583200000';
    const seed = seed002OrderCreated('o-9', key, new Date());
    await seedPublish('order.created', seed);
    await seedPublish('order.created', seed); // the seed's retry() after a lost confirm
    // The migrated publisher (its outbox) sends the same event as a CloudEvent, its id the seed's key.
    await createBus({ transport, registry, source: '/order-service' }).publish({
      id: key,
      type: 'order.created',
      data: { ...created, orderId: 'o-9' },
    });
    await bus.publish({ type: 'order.failed', data: { orderId: 'o-last', reason: 'sentinel' } });
    await waitFor(() => handled.some((h) => h.endsWith('o-last')), 'the sentinel after the duplicates');
    await sub.close();
    try {
      expect(handled.filter((h) => h.endsWith(' o-9'))).toEqual([`${key} o-9`]);
      // The inbox key is the seed's idempotency key, whichever format the event came in.
      expect(await scratch.redis.exists(`${scratch.prefix}bridge_ledger:${key}`)).toBe(1);
    } finally {
      await scratch.close();
    }
  });
});

describe('CloudEvents binary content mode on RabbitMQ', () => {
  it('puts the attributes in cloudEvents: application properties and the data alone in the body; consumers read both modes untold', async () => {
    const raw = await conn.createChannel();
    const { queue } = await raw.assertQueue('', { exclusive: true });
    await raw.bindQueue(queue, topology.exchange, 'order.#');
    const wire: ConsumeMessage[] = [];
    await raw.consume(queue, (msg) => void (msg && wire.push(msg)), { noAck: true });
    const reader = createBus({ transport, registry, source: '/reader' });
    const read: EventEnvelope[] = [];
    const sub = await reader.subscribe('order.*', async (e) => void read.push(e), { group: 'bridge_reader' });
    const binary = createBus({ transport, registry, source: '/binary', codec: binaryCodec });
    const structured = createBus({ transport, registry, source: '/structured' });
    const data = { orderId: 'o-b', reason: 'binary' };
    const sentBinary = await binary.publish({ type: 'order.failed', subject: 'o-b', tenantId: 't1', data });
    const sentStructured = await structured.publish({
      type: 'order.failed',
      data: { orderId: 'o-s', reason: 's' },
    });
    await waitFor(() => wire.length === 2 && read.length === 2, 'both events on the wire and read');
    await sub.close();
    await raw.close();
    const [binaryMsg, structuredMsg] = wire as [ConsumeMessage, ConsumeMessage];
    expect(JSON.parse(binaryMsg.content.toString())).toEqual(data);
    expect(binaryMsg.properties.contentType).toBe('application/json');
    // The content type is the AMQP property only: no header of the table repeats it.
    expect(binaryMsg.properties.headers).not.toHaveProperty('content-type');
    expect(binaryMsg.properties.headers).toMatchObject({
      'cloudEvents:specversion': '1.0',
      'cloudEvents:id': sentBinary.id,
      'cloudEvents:type': 'order.failed',
      'cloudEvents:source': '/binary',
      'cloudEvents:subject': 'o-b',
      'cloudEvents:tenantid': 't1',
      'cloudEvents:dataversion': '1',
    });
    expect(JSON.parse(structuredMsg.content.toString())).toMatchObject({
      specversion: '1.0',
      id: sentStructured.id,
    });
    expect(read).toEqual([sentBinary, sentStructured]);
  });
});
