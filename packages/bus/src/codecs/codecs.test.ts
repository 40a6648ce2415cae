import { runWithContext } from '@interlink/core';
import { waitFor } from '@interlink/testing';
import { describe, expect, it } from 'vitest';
import { createBus } from '../bus/create-bus.js';
import { createEvent } from '../envelope/create-event.js';
import type { EventEnvelope } from '../envelope/event-envelope.js';
import { createMemoryBroker } from '../memory/memory-transport.js';
import { binaryCodec } from './binary-codec.js';
import { type EventCodec, structuredCodec } from './event-codec.js';
import { readDelivery } from './read-delivery.js';
import { SEED_000_ANALYTICS_FORMAT } from './seed-000-codec.js';
import { SEED_002_ORDER_FORMAT } from './seed-002-codec.js';
import { SEED_003_NATS_FORMAT } from './seed-003-codec.js';
import { bridgeRegistry } from './seed-events.test.helper.js';

const registry = bridgeRegistry();
const LEGACY = [SEED_002_ORDER_FORMAT, SEED_003_NATS_FORMAT, SEED_000_ANALYTICS_FORMAT];
const trace = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), flags: 1 };

/** Publishes one event with `codec` on a memory broker and reads it back with every format accepted. */
async function roundTrip(codec: EventCodec): Promise<{ sent: EventEnvelope; read: EventEnvelope }> {
  const broker = createMemoryBroker();
  const reader = createBus({
    transport: broker.connect(),
    registry,
    source: '/reader',
    legacyFormats: LEGACY,
  });
  const read: EventEnvelope[] = [];
  await reader.subscribe('order.*', async (e) => void read.push(e), { group: 'g' });
  const writer = createBus({ transport: broker.connect(), registry, source: '/writer', codec });
  const sent = await runWithContext({ requestId: 'r', trace }, () =>
    writer.publish({
      type: 'order.failed',
      subject: 'o-1',
      sequence: 3,
      tenantId: 't1',
      userId: 'u1',
      data: { orderId: 'o-1', reason: 'declined' },
    }),
  );
  await waitFor(() => read.length === 1, 'the event');
  await reader.close();
  return { sent, read: read[0]! };
}

describe('codecs', () => {
  it.each([structuredCodec, binaryCodec, SEED_002_ORDER_FORMAT])(
    '$name: an event written with it is read back whole, without the reader being told the format',
    async (codec) => {
      const { sent, read } = await roundTrip(codec);
      expect(read).toEqual(sent);
    },
  );

  it('seed-003 and seed-000 keep id, type, time, tenant, user, data and trace (seed 003 also subject and sequence)', async () => {
    const nats = await roundTrip(SEED_003_NATS_FORMAT);
    expect(nats.read).toEqual({ ...nats.sent, correlationid: 'a'.repeat(32) });
    const redis = await roundTrip(SEED_000_ANALYTICS_FORMAT);
    const { subject: _s, sequence: _q, traceparent: _t, ...carried } = redis.sent;
    expect(redis.read).toEqual(carried);
  });

  it('refuses a seed shape when its format is not accepted, naming what is', () => {
    const body = Buffer.from(
      JSON.stringify({
        version: 1,
        type: 'order.failed',
        idempotencyKey: 'k',
        aggregateId: 'o',
        payload: {},
      }),
    );
    const read = (legacy: typeof LEGACY) => () =>
      readDelivery({ id: '', body, headers: {} }, { registry, maxBytes: 1e6, legacy });
    expect(read([])).toThrow(/not a CloudEvents 1.0 envelope \(no legacy format is accepted\)/);
    expect(read([SEED_003_NATS_FORMAT])).toThrow(/nor a seed-003 event/);
  });

  it('binary mode writes every attribute an envelope has as a header, on AMQP with the content type apart', () => {
    const sent = runWithContext({ requestId: 'r', trace }, () =>
      createEvent(
        {
          type: 'order.failed',
          data: { orderId: 'o', reason: 'r' },
          subject: 'o',
          tenantId: 't1',
          userId: 'u1',
          sequence: 3,
        },
        { registry, source: '/x' },
      ),
    );
    const attributes = {
      specversion: '1.0',
      id: sent.id,
      source: '/x',
      type: 'order.failed',
      time: sent.time,
      dataversion: '1',
      subject: 'o',
      tenantid: 't1',
      userid: 'u1',
      sequence: '3',
      traceparent: sent.traceparent,
      correlationid: 'c1',
    };
    const withExtension = { ...sent, correlationid: 'c1' };
    const amqp = binaryCodec.encode(withExtension, { transport: 'rabbitmq', maxBytes: 1e6 });
    expect(amqp.headers).toEqual(
      Object.fromEntries(Object.entries(attributes).map(([k, v]) => [`cloudEvents:${k}`, v])),
    );
    expect(amqp.contentType).toBe('application/json');
    const nats = binaryCodec.encode(withExtension, { transport: 'nats', maxBytes: 1e6 });
    expect(nats.headers).toEqual({
      ...Object.fromEntries(Object.entries(attributes).map(([k, v]) => [`ce-${k}`, v])),
      'content-type': 'application/json',
    });
    // An envelope built elsewhere, with an attribute of another type, keeps the ones it has.
    const odd = {
      ...sent,
      dataversion: '1' as unknown as number,
      specversion: undefined as unknown as '1.0',
    };
    const { headers } = binaryCodec.encode(odd, { transport: 'rabbitmq', maxBytes: 1e6 });
    expect(headers['cloudEvents:dataversion']).toBe('1');
    expect(headers).not.toHaveProperty('cloudEvents:specversion');
  });

  it('binary mode writes structured mode on Redis, which has no headers', () => {
    const sent = createEvent(
      { type: 'order.failed', data: { orderId: 'o', reason: 'r' } },
      { registry, source: '/x' },
    );
    const { body, headers } = binaryCodec.encode(sent, { transport: 'redis', maxBytes: 1e6 });
    expect(JSON.parse(Buffer.from(body).toString())).toEqual(sent);
    expect(headers).toEqual({ 'content-type': 'application/cloudevents+json' });
  });

  it('refuses a structured message of another specversion', () => {
    const body = Buffer.from(JSON.stringify({ specversion: '0.3', id: 'x', type: 'order.failed', data: {} }));
    expect(() =>
      readDelivery({ id: '', body, headers: {} }, { registry, maxBytes: 1e6, legacy: [] }),
    ).toThrow(expect.objectContaining({ code: 'ERR_BUS_UNSUPPORTED_SPECVERSION' }));
  });
});
